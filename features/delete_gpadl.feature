Feature: Deleting a GPADL (VmbChannelDeleteGpadl)
  The client deletes every GPADL it created. The guest sends GPADL_TEARDOWN and the delete is done
  when the host answers GPADL_TORNDOWN; from then on the handle names nothing. While the server
  still has the GPADL mapped, the delete does not complete: it waits until the server unmaps. Delete
  returns no status, so misuse cannot be reported to the caller; the reference model records it as
  a contract violation instead.

  Background:
    Given an open channel
    And an 8192-byte buffer "B"
    And the client has created a GPADL "G" for buffer "B"

  @DELETE-01 @normative @spec:KMCL-DELETE-1 @spec:KMCL-CLIENT-1 @half:guest
  Rule: A delete of a GPADL that the server has not mapped completes before it returns
    Nothing holds the teardown back when the server has no mapping, so the delete is done by the
    time the call returns, including after a map that was unmapped again.
    Source: spec KMCL-DELETE-1, KMCL-CLIENT-1

    Scenario: a GPADL that was never mapped
      When the client deletes "G"
      Then the delete of "G" has completed

    Scenario: a GPADL that was mapped and unmapped
      Given the server has mapped "G"
      And the server has unmapped "G"
      When the client deletes "G"
      Then the delete of "G" has completed

    Scenario: a read-only GPADL
      Given the client has created a read-only GPADL "R" for buffer "B"
      When the client deletes "R"
      Then the delete of "R" has completed

    Scenario Outline: a GPADL mapped with <first> and unmapped, then mapped with <second> and unmapped
      Given the server has mapped "G" with flags <first>
      And the server has unmapped "G"
      And the server has mapped "G" with flags <second>
      And the server has unmapped "G"
      When the client deletes "G"
      Then the delete of "G" has completed

      Examples:
        | first                              | second                             |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |
        | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

  @DELETE-02 @normative @spec:KMCL-DELETE-2 @half:guest @half:host
  Rule: A delete of a mapped GPADL waits until the server unmaps it
    While the server has the GPADL mapped, the delete stays blocked, however long that takes; the
    server's unmap is what lets it complete.
    Source: spec KMCL-DELETE-2

    Scenario Outline: the delete waits for a mapping made with <flags>
      Given the server has mapped "G" with flags <flags>
      When the client deletes "G"
      Then the delete of "G" is pending

      Examples:
        | flags                              |
        | 0                                  |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

    Scenario Outline: the unmap of a mapping made with <flags> completes the delete
      Given the server has mapped "G" with flags <flags>
      And the client has started deleting "G"
      When the server unmaps "G"
      Then the delete of "G" has completed

      Examples:
        | flags                              |
        | 0                                  |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

    Scenario: the delete keeps waiting while the server maps and unmaps another GPADL
      Given the client has created a GPADL "H" for buffer "B"
      And the server has mapped "G"
      And the client has started deleting "G"
      When the server maps "H" for write access
      And the server unmaps "H"
      Then the delete of "G" is pending

    Scenario Outline: the delete waits for a mapping made again with <second> after an unmap
      Given the server has mapped "G" with flags <first>
      And the server has unmapped "G"
      And the server has mapped "G" with flags <second>
      When the client deletes "G"
      Then the delete of "G" is pending
      When the server unmaps "G"
      Then the delete of "G" has completed

      Examples:
        | first                              | second                             |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |
        | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

    Scenario: two pending deletes of two mapped GPADLs, each completed by its own unmap
      Given the client has created a GPADL "H" for buffer "B"
      And the server has mapped "G"
      And the server has mapped "H" read-only
      And the client has started deleting "G"
      And the client has started deleting "H"
      When the server unmaps "H"
      Then the delete of "H" has completed
      And the delete of "G" is pending
      When the server unmaps "G"
      Then the delete of "G" has completed

    Scenario: an unmap and a delete on one channel leave another channel's mapped GPADL waiting
      Given an open channel "other"
      And the client has created a GPADL "H" for buffer "B" on channel "other"
      And the server of channel "other" has mapped "H"
      And the server has mapped "G"
      And the client has started deleting "H" through channel "other"
      When the server unmaps "G"
      And the client deletes "G"
      Then the delete of "G" has completed
      And the delete of "H" is pending
      When the server of channel "other" unmaps "H"
      Then the delete of "H" has completed

  @DELETE-03 @normative @spec:LINUX-CHANNEL-11 @spec:FREEBSD-CHAN-6 @requires:trace @half:guest
  Rule: A delete completes only after the host has answered GPADL_TORNDOWN
    The guest sends GPADL_TEARDOWN for the handle and treats the GPADL as gone, and its buffer as
    free, only once the host's GPADL_TORNDOWN for that handle has arrived.
    Source: spec LINUX-CHANNEL-11, FREEBSD-CHAN-6

    Scenario: an unmapped GPADL
      When the client deletes "G"
      Then from the last delete call the trace shows, in order:
        | event         | what           | for |
        | guest to host | GPADL_TEARDOWN | G   |
        | host to guest | GPADL_TORNDOWN | G   |
        | return        | delete         |     |

    Scenario: a mapped GPADL
      Given the server has mapped "G"
      When the client deletes "G"
      And the server unmaps "G"
      Then from the last delete call the trace shows, in order:
        | event         | what           | for |
        | guest to host | GPADL_TEARDOWN | G   |
        | host to guest | GPADL_TORNDOWN | G   |
        | completion    | delete         |     |

  @DELETE-04 @reference @choice:G13 @requires:trace @spec:KMCL-DELETE-2 @spec:OPENVMM-CHANNELS-8 @spec:OPENVMM-GPADL-2 @half:host
  Rule: The host holds GPADL_TORNDOWN back until the server unmaps
    In the reference model it is the host that waits: it receives GPADL_TEARDOWN at once, but
    answers GPADL_TORNDOWN only after the server's unmap, and the client's delete completes on that
    answer.
    Source: spec KMCL-DELETE-2, OPENVMM-CHANNELS-8, OPENVMM-GPADL-2; choice G13 (README.md#choices-where-the-docs-are-silent)

    Scenario: teardown of a mapped GPADL
      Given the server has mapped "G"
      When the client deletes "G"
      And the server unmaps "G"
      Then from the last delete call the trace shows, in order:
        | event         | what           | for |
        | guest to host | GPADL_TEARDOWN | G   |
        | call          | unmap          |     |
        | host to guest | GPADL_TORNDOWN | G   |
        | completion    | delete         |     |

  @DELETE-05 @reference @choice:G3 @spec:KMCL-DELETE-3 @half:guest
  Rule: A delete of a handle that is not a live GPADL of the channel changes nothing and completes at once
    A handle that was never created, handle 0, an already deleted GPADL, another channel's GPADL and
    the ring-buffer GPADL the open uses are not the client's to delete on this channel: the
    reference model sends nothing, leaves every GPADL as it was, and completes the call.
    Source: spec KMCL-DELETE-3; choice G3 (README.md#choices-where-the-docs-are-silent)

    Scenario: a handle that was never created
      When the client deletes GPADL handle 0x12345678
      Then the delete has completed

    Scenario: handle 0
      When the client deletes GPADL handle 0x0
      Then the delete has completed

    Scenario: a GPADL that is already deleted
      Given the client has deleted "G"
      When the client deletes "G" again
      Then the delete of "G" has completed

    Scenario: another channel's GPADL stays usable on its own channel
      Given an open channel "other"
      And the client has created a GPADL "H" for buffer "B" on channel "other"
      When the client deletes "H" through channel "main"
      Then the delete of "H" has completed
      And the server of channel "other" can still map "H"

    Scenario: the ring-buffer GPADL stays in place
      When the client deletes the ring-buffer GPADL
      Then the delete has completed
      And the channel has a ring-buffer GPADL
      And the client endpoint is Opened

    @requires:trace
    Scenario: a second delete exchanges no channel message
      Given the client has deleted "G"
      When the client deletes "G" again
      Then no channel message follows the last delete call

    @requires:trace
    Scenario Outline: a delete of handle <handle>, which was never created, exchanges no channel message
      When the client deletes GPADL handle <handle>
      Then no channel message follows the last delete call

      Examples:
        | handle     |
        | 0x12345678 |
        | 0x0        |

    @requires:trace
    Scenario: a delete of another channel's GPADL exchanges no channel message
      Given an open channel "other"
      And the client has created a GPADL "H" for buffer "B" on channel "other"
      When the client deletes "H" through channel "main"
      Then no channel message follows the last delete call

    @requires:trace
    Scenario: a delete of the ring-buffer GPADL exchanges no channel message
      When the client deletes the ring-buffer GPADL
      Then no channel message follows the last delete call

  @DELETE-06 @reference @choice:G3 @requires:violations @spec:KMCL-DELETE-3 @half:guest
  Rule: A delete of a handle that is not a live GPADL of the channel is recorded as DeleteOfUnknownGpadl
    The reference model records the misuse, since the void function cannot report it.
    Source: spec KMCL-DELETE-3; choice G3 (README.md#choices-where-the-docs-are-silent)

    Scenario: a handle that was never created
      When the client deletes GPADL handle 0x12345678
      Then a DeleteOfUnknownGpadl violation is recorded for GPADL handle 0x12345678

    Scenario: handle 0
      When the client deletes GPADL handle 0x0
      Then a DeleteOfUnknownGpadl violation is recorded for GPADL handle 0x0

    Scenario: a GPADL that is already deleted
      Given the client has deleted "G"
      When the client deletes "G" again
      Then a DeleteOfUnknownGpadl violation is recorded for "G"

    Scenario: another channel's GPADL
      Given an open channel "other"
      And the client has created a GPADL "H" for buffer "B" on channel "other"
      When the client deletes "H" through channel "main"
      Then a DeleteOfUnknownGpadl violation is recorded for "H"

    Scenario: the ring-buffer GPADL
      When the client deletes the ring-buffer GPADL
      Then a DeleteOfUnknownGpadl violation is recorded for the ring-buffer GPADL

    Scenario: a delete of a live GPADL is no violation
      When the client deletes "G"
      Then no violation is recorded

  @DELETE-07 @reference @choice:G3 @spec:OPENVMM-CLIENT-2 @half:guest
  Rule: A second delete of a GPADL whose delete is pending joins the first
    The reference model lets the second delete wait with the first: both complete on the one
    GPADL_TORNDOWN, only one GPADL_TEARDOWN is sent, and neither is misuse.
    Source: spec OPENVMM-CLIENT-2; choice G3 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given the server has mapped "G"
      And the client has started deleting "G"

    Scenario: both deletes wait for the unmap
      When the client deletes "G" again
      Then both deletes of "G" are pending

    Scenario: the unmap completes both deletes
      Given the client has started deleting "G"
      When the server unmaps "G"
      Then both deletes of "G" have completed

    @requires:trace
    Scenario: one teardown for both deletes
      Given the client has started deleting "G"
      When the server unmaps "G"
      Then exactly one GPADL_TEARDOWN message carries "G"

    @requires:violations
    Scenario: joining a pending delete is not misuse
      When the client deletes "G" again
      Then no violation is recorded

  @DELETE-08 @reference @choice:G1 @spec:KMCL-CLIENT-1 @spec:HDR-THEORY-1 @spec:KMCL-DELETE-3 @half:whole
  Rule: A delete on a server endpoint changes nothing and is recorded as ClientFunctionOnServer
    Deleting is the client's job; the reference model ignores a delete called on the server
    endpoint, records the misuse, and the GPADL stays usable.
    Source: spec KMCL-CLIENT-1, HDR-THEORY-1, KMCL-DELETE-3; choice G1 (README.md#choices-where-the-docs-are-silent)

    Scenario: the GPADL stays usable
      When the server deletes "G"
      Then the delete has completed
      And the server can still map "G"

    @requires:violations
    Scenario: the misuse is recorded
      When the server deletes "G"
      Then a ClientFunctionOnServer violation is recorded for "G"
