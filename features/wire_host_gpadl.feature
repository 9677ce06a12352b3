Feature: A VMBus host on the wire: GPADL messages
  The implementation plays a VMBus host and the suite plays the guest, byte for byte: it sends
  GPADL_HEADER, GPADL_BODY and GPADL_TEARDOWN as raw channel messages and checks the raw messages
  the host answers with (GPADL_CREATED, GPADL_TORNDOWN). Where the public hosts agree (OpenVMM's
  vmbus_server and QEMU's hw/hyperv/vmbus.c) a rule is normative; where they differ, the rule
  checks the reference model's choice, which follows OpenVMM, and cites it.

  Background:
    Given the host has offered channel 1

  @WHOST-01 @normative @spec:OPENVMM-CHANNELS-1 @spec:OPENVMM-CHANNELS-2 @spec:OPENVMM-CHANNELS-9 @requires:wireHost @half:host
  Rule: The host answers GPADL_CREATED only once the whole page list has arrived
    A GPADL_HEADER declares the size of the range buffer (range_buflen); the page numbers that do
    not fit in it follow in GPADL_BODY messages. The host answers nothing until the last of them has
    arrived, then answers GPADL_CREATED once; a GPADL whose bodies never come stays pending.
    Source: spec OPENVMM-CHANNELS-1, OPENVMM-CHANNELS-2, OPENVMM-CHANNELS-9

    Scenario: a GPADL that fits in its header is answered at once
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 26 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

    Scenario: one GPADL_BODY: nothing after the header, GPADL_CREATED after the body
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 27 pages
      Then the host answers nothing
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

    Scenario Outline: <pages> pages: nothing after the header, GPADL_CREATED after the one GPADL_BODY
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with <pages> pages
      Then the host answers nothing
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

      Examples:
        | pages |
        | 28    |
        | 29    |
        | 53    |
        | 54    |

    Scenario Outline: <pages> pages: nothing before the last GPADL_BODY
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with <pages> pages
      When the guest sends every GPADL_BODY for GPADL 0xE1E10 but the last
      Then the host answers nothing
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

      Examples:
        | pages |
        | 55    |
        | 56    |
        | 82    |
        | 83    |
        | 200   |
        | 1000  |
        | 8190  |

    Scenario: two GPADLs in progress on one channel, their GPADL_BODY messages interleaved
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 60 pages
      And the guest has sent a GPADL_HEADER for GPADL 0xE1E11 on channel 1 with 83 pages
      When the guest sends the next GPADL_BODY for GPADL 0xE1E11
      Then the host answers nothing
      When the guest sends the next GPADL_BODY for GPADL 0xE1E10
      Then the host answers nothing
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0
      When the guest sends every GPADL_BODY for GPADL 0xE1E11 but the last
      Then the host answers nothing
      When the guest sends the last GPADL_BODY for GPADL 0xE1E11
      Then the host answers GPADL_CREATED for GPADL 0xE1E11 on channel 1 with status 0

    Scenario: two GPADLs in progress on two channels, completed in the other order
      Given the host has offered channel 2
      And the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 30 pages
      And the guest has sent a GPADL_HEADER for GPADL 0xE1E11 on channel 2 with 40 pages
      When the guest sends the last GPADL_BODY for GPADL 0xE1E11
      Then the host answers GPADL_CREATED for GPADL 0xE1E11 on channel 2 with status 0
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

    Scenario Outline: after reconnecting at version <version>, a 60-page GPADL
      Given the guest has unloaded
      When the guest sends INITIATE_CONTACT for version <version>
      Then the host answers VERSION_RESPONSE accepting the version
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 60 pages
      Then the host answers nothing
      When the guest sends every GPADL_BODY for GPADL 0xE1E10 but the last
      Then the host answers nothing
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

      Examples:
        | version |
        | 0.13    |
        | 1.1     |
        | 2.4     |
        | 3.0     |
        | 4.0     |
        | 4.1     |
        | 5.0     |
        | 5.3     |

    Scenario: a GPADL whose bodies have not come stays pending while another is created
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 60 pages
      When the guest sends a GPADL_HEADER for GPADL 0xE1E11 on channel 1 with 3 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E11 on channel 1 with status 0

  @WHOST-02 @normative @spec:OPENVMM-GPARANGE-1 @spec:OPENVMM-CHANNELS-3 @spec:OPENVMM-CHANNELS-5 @requires:wireHost @half:host
  Rule: The host never accepts a GPADL with an invalid range
    A range with a byte count of 0, a byte offset past the first page (over 0xFFF), or fewer page
    numbers than its offset and byte count span is never answered with a successful GPADL_CREATED.
    (OpenVMM answers a failure, QEMU answers nothing: see WHOST-03.)
    Source: spec OPENVMM-GPARANGE-1, OPENVMM-CHANNELS-3, OPENVMM-CHANNELS-5

    Scenario Outline: <what>
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with one range of <bytes> bytes at offset <offset> and <pfns> page numbers
      Then the host does not accept GPADL 0xE1E10

      Examples:
        | what                            | bytes | offset | pfns |
        | a byte count of 0               | 0     | 0x0    | 1    |
        | a byte offset of 0x1000         | 4096  | 0x1000 | 2    |
        | a byte offset of 0xFFFF         | 4096  | 0xFFFF | 17   |
        | one page number for three pages | 12288 | 0x0    | 1    |
        | one page number for two pages   | 4096  | 0x800  | 1    |

  @WHOST-03 @reference @choice:G24 @spec:OPENVMM-CHANNELS-3 @spec:OPENVMM-PROTOCOL-1 @requires:wireHost @half:host
  Rule: A refused GPADL_HEADER is answered with a failed GPADL_CREATED naming its channel and GPADL
    An invalid range or a channel the host never offered is refused with GPADL_CREATED whose status
    is not 0 and whose channel and GPADL ids are the header's, so that the guest's waiting create
    fails instead of hanging.
    Source: spec OPENVMM-CHANNELS-3, OPENVMM-PROTOCOL-1; choice G24 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: an invalid range: <what>
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with one range of <bytes> bytes at offset <offset> and <pfns> page numbers
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with a failure status

      Examples:
        | what                            | bytes | offset | pfns |
        | a byte count of 0               | 0     | 0x0    | 1    |
        | a byte offset of 0x1000         | 4096  | 0x1000 | 2    |
        | one page number for three pages | 12288 | 0x0    | 1    |

    Scenario: a channel the host never offered
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 4660 with 1 page
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 4660 with a failure status

  @WHOST-04 @reference @choice:G24 @spec:OPENVMM-CHANNELS-3 @requires:wireHost @half:host
  Rule: A GPADL_HEADER reusing an id live on the same channel is refused and the live GPADL stays
    The second header is answered with a failed GPADL_CREATED carrying the same id; the GPADL that
    already had that id, accepted or still in progress, goes on as if the second had never come.
    Source: spec OPENVMM-CHANNELS-3; choice G24 (README.md#choices-where-the-docs-are-silent)

    Scenario: the id of an accepted GPADL
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with a failure status
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: the id of a GPADL still in progress
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 27 pages
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with a failure status
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-05 @reference @choice:G25 @spec:OPENVMM-CHANNELS-4 @spec:OPENVMM-CHANNELS-3 @requires:wireHost @half:host
  Rule: GPADL ids belong to their channel, except while a GPADL is in progress
    The same id may be live on two channels at once, each torn down on its own. An id whose GPADL
    is still waiting for its GPADL_BODY messages is refused on every other channel, since a body
    names no channel.
    Source: spec OPENVMM-CHANNELS-4, OPENVMM-CHANNELS-3; choice G25 (README.md#choices-where-the-docs-are-silent)

    Scenario: the same id accepted on two channels, torn down one at a time
      Given the host has offered channel 2
      And the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 2 with 3 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 2 with status 0
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 2
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: an id in progress on one channel is refused on another
      Given the host has offered channel 2
      And the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 27 pages
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 2 with 1 page
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 2 with a failure status
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-06 @normative @spec:OPENVMM-CHANNELS-6 @requires:wireHost @half:host
  Rule: An id whose GPADL the host refused can be used again
    A refused GPADL_HEADER leaves nothing behind: the same id in a valid header on the same channel
    is accepted.
    Source: spec OPENVMM-CHANNELS-6

    Scenario Outline: after <what>
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with one range of <bytes> bytes at offset <offset> and <pfns> page numbers
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

      Examples:
        | what                            | bytes | offset | pfns |
        | a byte count of 0               | 0     | 0x0    | 1    |
        | a byte offset of 0x1000         | 4096  | 0x1000 | 2    |
        | one page number for three pages | 12288 | 0x0    | 1    |

  @WHOST-30 @reference @spec:INFER-8 @spec:OPENVMM-CHANNELS-3 @spec:OPENVMM-CHANNELS-8 @requires:wireHost @half:host
  Rule: Once the host has answered GPADL_TORNDOWN, the GPADL's id is free again on its channel
    A GPADL_HEADER reusing the id of a GPADL the host has torn down describes a new GPADL, accepted
    as any other however many GPADL_BODY messages it takes, with its own pages, held and torn down
    on its own. (The sources say only that a live id is refused, WHOST-04; that a torn-down id is
    not live is inferred.)
    Source: spec INFER-8, OPENVMM-CHANNELS-3, OPENVMM-CHANNELS-8

    Scenario Outline: a GPADL of <pages> pages with the id of a GPADL torn down
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with <pages> pages
      And the guest sends every GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

      Examples:
        | pages |
        | 1     |
        | 27    |
        | 60    |

    Scenario: the id of a GPADL torn down after a device let go of it
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 3 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

    Scenario: a device holds the new GPADL, and its teardown waits for it
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      And the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: the new GPADL, not the old one, is the ring an OPENCHANNEL names
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      And the guest has created GPADL 0xE1E10 on channel 1 with 30 pages
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 29
      Then the host answers OPENCHANNEL_RESULT for channel 1 with status 0

    Scenario: the id torn down on one channel stays live on another
      Given the host has offered channel 2
      And the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the guest has created GPADL 0xE1E10 on channel 2 with 2 pages
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 2 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 2 with a failure status
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-07 @normative @spec:OPENVMM-CHANNELS-5 @spec:OPENVMM-CHANNELS-7 @requires:wireHost @half:host
  Rule: A GPADL_BODY or GPADL_TEARDOWN for an id the host does not know is dropped without a reply
    A GPADL_BODY names no channel, so the host cannot answer one for an id that has no GPADL in
    progress; a GPADL_TEARDOWN for an id that is not a GPADL of its channel is dropped the same way.
    Nothing else changes.
    Source: spec OPENVMM-CHANNELS-5, OPENVMM-CHANNELS-7

    Scenario: a GPADL_BODY for an id never sent
      When the guest sends a GPADL_BODY with 3 page numbers for GPADL 0xBAD
      Then the host answers nothing

    Scenario: a GPADL_BODY for a GPADL already complete
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      When the guest sends a GPADL_BODY with 3 page numbers for GPADL 0xE1E10
      Then the host answers nothing
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: a GPADL_TEARDOWN for an id never sent
      When the guest sends GPADL_TEARDOWN for GPADL 0xBAD on channel 1
      Then the host answers nothing

    Scenario: a GPADL_TEARDOWN for a GPADL already torn down
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing

  @WHOST-08 @reference @choice:G26 @spec:OPENVMM-CHANNELS-7 @requires:wireHost @half:host
  Rule: A GPADL_TEARDOWN for a GPADL that is not accepted, or named on another channel, is dropped
    Only an accepted GPADL of the channel the teardown names can be torn down. A teardown of a GPADL
    still in progress, of one already being torn down, or naming another channel gets no reply and
    leaves the GPADL as it was.
    Source: spec OPENVMM-CHANNELS-7; choice G26 (README.md#choices-where-the-docs-are-silent)

    Scenario: a GPADL still waiting for its GPADL_BODY
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 27 pages
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

    Scenario: a GPADL already being torn down
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: a teardown naming another channel
      Given the host has offered channel 2
      And the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 2
      Then the host answers nothing
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

  @WHOST-09 @reference @choice:G13 @spec:OPENVMM-GPADL-1 @spec:OPENVMM-GPADL-2 @spec:OPENVMM-CHANNELS-8 @requires:wireHost @half:host
  Rule: The host answers GPADL_TORNDOWN only after every device using the GPADL has let go
    Several devices (views) may use one GPADL at once. A GPADL_TEARDOWN while any of them still
    uses it gets no reply yet; the GPADL_TORNDOWN goes out when the last one lets go, and no device
    can start using a GPADL that is being torn down.
    Source: spec OPENVMM-GPADL-1, OPENVMM-GPADL-2, OPENVMM-CHANNELS-8; choice G13 (README.md#choices-where-the-docs-are-silent)

    Scenario: one device
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: two devices
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: a device that held the GPADL twice and let go twice
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the device releases GPADL 0xE1E10 of channel 1
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the device releases GPADL 0xE1E10 of channel 1
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: a device holding the GPADL again after letting go
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the device releases GPADL 0xE1E10 of channel 1
      And a device on the host holds GPADL 0xE1E10 of channel 1
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: devices holding two GPADLs, the teardown of one waiting for its own device only
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the guest has created GPADL 0xE1E11 on channel 1 with 60 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And a device on the host holds GPADL 0xE1E11 of channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E11 on channel 1
      When the device releases GPADL 0xE1E11 of channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E11
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: no new device while the teardown waits
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When a device on the host tries to hold GPADL 0xE1E10 of channel 1
      Then the hold fails

  @WHOST-10 @reference @choice:G27 @spec:OPENVMM-GPARANGE-1 @requires:wireHost @half:host
  Rule: A GPADL_HEADER with no ranges and a range_buflen of 0 is accepted as an empty GPADL
    Nothing in it is invalid, so the host accepts it; whether a device can use an empty GPADL is the
    device's business.
    Source: spec OPENVMM-GPARANGE-1; choice G27 (README.md#choices-where-the-docs-are-silent)

    Scenario: an empty GPADL
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with no ranges
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-11 @normative @spec:OPENVMM-CHANNELS-2 @requires:wireHost @half:host
  Rule: The host ignores range-buffer bytes beyond the declared range_buflen
    Some guests (UEFI) always send full-size messages; page numbers past range_buflen, in the
    header or in the last GPADL_BODY, are not part of the GPADL and do not make it invalid.
    Source: spec OPENVMM-CHANNELS-2

    Scenario: a two-page GPADL in a full-size header
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages, padded with page numbers to 236 bytes
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

    Scenario: a 27-page GPADL whose one GPADL_BODY is full size
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 27 pages
      When the guest sends the next GPADL_BODY for GPADL 0xE1E10, padded with page numbers to 240 bytes
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-12 @reference @choice:G23 @spec:LINUX-HV-1 @spec:LINUX-DRV-1 @spec:OPENVMM-PROTOCOL-2 @spec:OPENVMM-CHANNELS-15 @requires:wireHost @half:host
  Rule: A message over 240 bytes is dropped without a reply and changes nothing
    A channel message payload is at most 240 bytes. The host drops a longer one unread, as a
    receiver of a SynIC message must; the GPADL it would have created does not exist.
    Source: spec LINUX-HV-1, LINUX-DRV-1, OPENVMM-PROTOCOL-2, OPENVMM-CHANNELS-15; choice G23 (README.md#choices-where-the-docs-are-silent)

    Scenario: a GPADL_HEADER of 244 bytes
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages, padded with page numbers to 244 bytes
      Then the host answers nothing
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

    Scenario: a GPADL_BODY of 248 bytes
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 27 pages
      When the guest sends the next GPADL_BODY for GPADL 0xE1E10, padded with page numbers to 248 bytes
      Then the host answers nothing
