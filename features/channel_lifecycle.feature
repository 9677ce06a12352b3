Feature: The channel life cycle around GPADLs (VmbChannelAllocate, Enable, Disable, Cleanup)
  A channel has a server endpoint on the host and a client endpoint in the guest. Each is allocated
  Disabled and configured while Disabled; enabling the server offers the channel, enabling the
  client opens it, which creates the ring-buffer GPADL and sends OPENCHANNEL. Disabling the client
  closes the channel; disabling the server rescinds the offer. A disabled endpoint is finally
  cleaned up. GPADLs live inside this cycle: the client establishes them once the channel is open
  and must delete them all when it closes.

  @CHAN-01 @normative @spec:KMCL-ALLOC-1 @spec:HDR-STATE-1 @spec:HDR-STATE-10 @half:guest @half:host
  Rule: A newly allocated endpoint is Disabled
    Allocating an endpoint gives a channel with default settings in the disabled state, on either
    side, ready to be configured and enabled.
    Source: spec KMCL-ALLOC-1, HDR-STATE-1, HDR-STATE-10

    Scenario: a server endpoint
      When the server allocates its endpoint
      Then the allocation succeeds
      And the server endpoint is Disabled

    Scenario: a client endpoint for an offered channel
      Given the server has offered the channel
      When the client allocates its endpoint
      Then the allocation succeeds
      And the client endpoint is Disabled

  @CHAN-02 @normative @spec:KMCL-ENABLE-1 @spec:HDR-STATE-2 @half:guest @half:host
  Rule: Enabling the server endpoint offers the channel without waiting for the client
    Enable on the host makes the offer and returns at once; the server endpoint is then Enabled
    while no client has opened the channel yet.
    Source: spec KMCL-ENABLE-1, HDR-STATE-2

    Scenario: the server enables its endpoint
      Given the server has allocated its endpoint
      When the server enables the channel
      Then the enable succeeds
      And the server endpoint is Enabled

  @CHAN-03 @normative @spec:KMCL-ENABLE-1 @spec:HDR-STATE-3 @spec:LINUX-CHANNEL-8 @half:guest @half:host
  Rule: Enabling the client endpoint of an offered channel opens the channel
    Enable on the guest opens the offered channel: both endpoints are then Opened, and the channel
    has its ring-buffer GPADL.
    Source: spec KMCL-ENABLE-1, HDR-STATE-3, LINUX-CHANNEL-8

    Background:
      Given the server has offered the channel
      And the client has allocated its endpoint

    Scenario: both endpoints are open
      When the client enables the channel
      Then the enable succeeds
      And the client endpoint is Opened
      And the server endpoint is Opened

    Scenario: the open channel has a ring-buffer GPADL
      When the client enables the channel
      Then the enable succeeds
      And the channel has a ring-buffer GPADL

  @CHAN-04 @normative @requires:trace @spec:LINUX-CHANNEL-8 @spec:FREEBSD-CHAN-4 @half:guest
  Rule: The open creates the ring-buffer GPADL before it sends OPENCHANNEL
    OPENCHANNEL names the ring-buffer GPADL, so the guest first establishes that GPADL (GPADL_HEADER
    answered by GPADL_CREATED), then sends OPENCHANNEL, and enable returns after the host's
    OPENCHANNEL_RESULT.
    Source: spec LINUX-CHANNEL-8, FREEBSD-CHAN-4

    Scenario: the messages of an open
      Given the server has offered the channel
      And the client has allocated its endpoint
      When the client enables the channel
      Then from the last enable call the trace shows, in order:
        | event         | what               | for               |
        | guest to host | GPADL_HEADER       | ring-buffer GPADL |
        | host to guest | GPADL_CREATED      | ring-buffer GPADL |
        | guest to host | OPENCHANNEL        |                   |
        | host to guest | OPENCHANNEL_RESULT |                   |
        | return        | enable             |                   |

    @requires:lifecycle
    Scenario: the messages of an open after a close
      Given an open channel
      And the client has disabled the channel
      When the client enables the channel
      Then from the last enable call the trace shows, in order:
        | event         | what               | for               |
        | guest to host | GPADL_HEADER       | ring-buffer GPADL |
        | host to guest | GPADL_CREATED      | ring-buffer GPADL |
        | guest to host | OPENCHANNEL        |                   |
        | host to guest | OPENCHANNEL_RESULT |                   |
        | return        | enable             |                   |

  @CHAN-05 @normative @spec:HDR-STATE-2 @half:guest
  Rule: A client endpoint enabled before the offer waits for it and opens when it comes
    On the guest, enable either accepts an existing offer or waits for one; it returns without
    waiting, and the channel opens once the server offers it.
    Source: spec HDR-STATE-2

    Background:
      Given the server has allocated its endpoint
      And the client has allocated its endpoint

    Scenario: the client enables first
      When the client enables the channel
      Then the enable succeeds
      And the client endpoint is Enabled

    Scenario: the offer opens the waiting client
      Given the client has enabled the channel
      When the server enables the channel
      Then the enable succeeds
      And the client endpoint is Opened

  @CHAN-06 @reference @choice:G9 @spec:HDR-STATE-3 @half:guest
  Rule: A create on a client endpoint that has not opened its channel fails with STATUS_INVALID_DEVICE_STATE
    GPADLs are established once the channel is open; the reference model refuses a create on a
    client endpoint that is allocated or enabled but not Opened, and writes out no handle.
    Source: spec HDR-STATE-3; choice G9 (README.md#choices-where-the-docs-are-silent)

    Scenario: a client endpoint that is allocated but not enabled
      Given the server has offered the channel
      And the client has allocated its endpoint
      And a 4096-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B"
      Then the create fails with STATUS_INVALID_DEVICE_STATE
      And no GPADL handle is returned

    Scenario: a client endpoint still waiting for the offer
      Given the server has allocated its endpoint
      And the client has allocated its endpoint
      And the client has enabled the channel
      And a 4096-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B"
      Then the create fails with STATUS_INVALID_DEVICE_STATE

  @CHAN-07 @normative @requires:lifecycle @spec:KMCL-RING-1 @spec:KMCL-RING-2 @spec:KMCL-ALLOC-2 @half:guest
  Rule: The ring-buffer page counts can be set only on a client endpoint before it is enabled
    The client donates the ring pages, so only a client endpoint accepts the setting, and only
    during initialization, before enable; the open then uses it.
    Source: spec KMCL-RING-1, KMCL-RING-2, KMCL-ALLOC-2

    Scenario: a client endpoint before enable
      Given the server has offered the channel
      And the client has allocated its endpoint
      When the client sets the ring buffer page counts to 4 incoming and 4 outgoing
      Then the ring buffer page count setting succeeds

    Scenario: a client endpoint after enable
      Given an open channel
      When the client sets the ring buffer page counts to 4 incoming and 4 outgoing
      Then the ring buffer page count setting fails

    Scenario: a server endpoint
      Given the server has allocated its endpoint
      When the server sets the ring buffer page counts to 4 incoming and 4 outgoing
      Then the ring buffer page count setting fails

    @requires:trace
    Scenario: the open lays out the ring-buffer GPADL with the counts set
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the client has set the ring buffer page counts to 3 incoming and 5 outgoing
      When the client enables the channel
      Then the OPENCHANNEL message puts the host-to-guest ring 5 pages into the ring-buffer GPADL

  @CHAN-08 @reference @choice:G6 @requires:lifecycle @spec:KMCL-RING-2 @spec:HDR-INIT-1 @half:guest
  Rule: The ring-buffer page count setter reports the wrong state as _1 and a zero count as _2 or _3
    The reference model reads "invalid state (Disabled)" as "no longer in the initial disabled
    state": once the endpoint has been enabled (even if it was disabled again since), and on a
    server endpoint, the setter fails with STATUS_INVALID_PARAMETER_1; a zero incoming count fails
    with _2, a zero outgoing count with _3.
    Source: spec KMCL-RING-2, HDR-INIT-1; choice G6 (README.md#choices-where-the-docs-are-silent)

    Scenario: a client endpoint after enable
      Given an open channel
      When the client sets the ring buffer page counts to 4 incoming and 4 outgoing
      Then the ring buffer page count setting fails with STATUS_INVALID_PARAMETER_1

    Scenario: a client endpoint enabled and disabled again
      Given an open channel
      And the client has disabled the channel
      When the client sets the ring buffer page counts to 4 incoming and 4 outgoing
      Then the ring buffer page count setting fails with STATUS_INVALID_PARAMETER_1

    Scenario: a server endpoint
      Given the server has allocated its endpoint
      When the server sets the ring buffer page counts to 4 incoming and 4 outgoing
      Then the ring buffer page count setting fails with STATUS_INVALID_PARAMETER_1

    Scenario Outline: <incoming> incoming and <outgoing> outgoing pages
      Given the server has offered the channel
      And the client has allocated its endpoint
      When the client sets the ring buffer page counts to <incoming> incoming and <outgoing> outgoing
      Then the ring buffer page count setting fails with <status>

      Examples:
        | incoming | outgoing | status                     |
        | 0        | 4        | STATUS_INVALID_PARAMETER_2 |
        | 4        | 0        | STATUS_INVALID_PARAMETER_3 |
        | 0        | 0        | STATUS_INVALID_PARAMETER_2 |

  @CHAN-09 @reference @choice:G19 @spec:KMCL-ENABLE-1 @half:guest @half:host
  Rule: Enabling an endpoint that is not Disabled fails with STATUS_INVALID_DEVICE_STATE
    Enable acts on a disabled endpoint; the reference model refuses a second enable of an endpoint
    that is already enabled or open, and leaves the channel as it was.
    Source: spec KMCL-ENABLE-1; choice G19 (README.md#choices-where-the-docs-are-silent)

    Scenario: an open client endpoint
      Given an open channel
      When the client enables the channel
      Then the enable fails with STATUS_INVALID_DEVICE_STATE
      And the client endpoint is Opened

    Scenario: an offered server endpoint
      Given the server has offered the channel
      When the server enables the channel
      Then the enable fails with STATUS_INVALID_DEVICE_STATE
      And the server endpoint is Enabled

  @CHAN-10 @normative @requires:lifecycle @spec:KMCL-DISABLE-1 @spec:KMCL-DISABLE-2 @spec:HDR-STATE-8 @spec:LINUX-CHANNEL-12 @spec:FREEBSD-CHAN-5 @half:guest
  Rule: Disabling the client endpoint closes the channel completely before it returns
    Disable on the guest closes the channel (CLOSECHANNEL) and waits until it is torn down: when it
    returns, the ring-buffer GPADL is gone and the client endpoint is Disabled.
    Source: spec KMCL-DISABLE-1, KMCL-DISABLE-2, HDR-STATE-8, LINUX-CHANNEL-12, FREEBSD-CHAN-5

    Scenario: the client endpoint after disable
      Given an open channel
      When the client disables the channel
      Then the client endpoint is Disabled
      And the channel has no ring-buffer GPADL

    @requires:trace
    Scenario: the messages of a close
      Given an open channel
      When the client disables the channel
      Then from the last disable call the trace shows, in order:
        | event         | what           | for               |
        | guest to host | CLOSECHANNEL   |                   |
        | guest to host | GPADL_TEARDOWN | ring-buffer GPADL |
        | host to guest | GPADL_TORNDOWN | ring-buffer GPADL |
        | return        | disable        |                   |

    Scenario: the client endpoint after a second disable
      Given an open channel
      And the client has disabled the channel
      And the client has enabled the channel
      When the client disables the channel
      Then the client endpoint is Disabled
      And the channel has no ring-buffer GPADL

    @requires:trace
    Scenario: the messages of a second close
      Given an open channel
      And the client has disabled the channel
      And the client has enabled the channel
      When the client disables the channel
      Then from the last disable call the trace shows, in order:
        | event         | what           | for               |
        | guest to host | CLOSECHANNEL   |                   |
        | guest to host | GPADL_TEARDOWN | ring-buffer GPADL |
        | host to guest | GPADL_TORNDOWN | ring-buffer GPADL |
        | return        | disable        |                   |

  @CHAN-11 @normative @requires:lifecycle @spec:KMCL-CLOSED-2 @spec:HDR-STATE-5 @spec:HDR-STATE-10 @half:host
  Rule: After a close, the server endpoint is Closed if the guest closed and Disabled if the host disabled
    The host's endpoint tells who ended the channel: a close by the guest leaves it Closed, its own
    disable leaves it Disabled.
    Source: spec KMCL-CLOSED-2, HDR-STATE-5, HDR-STATE-10

    Scenario: the guest closes
      Given an open channel
      When the client disables the channel
      Then the server endpoint is Closed

    Scenario: the host disables
      Given an open channel
      When the server disables the channel
      Then the server endpoint is Disabled

  @CHAN-12 @normative @requires:lifecycle @spec:KMCL-DISABLE-1 @spec:KMCL-CLOSED-3 @half:guest @half:host
  Rule: Disabling the server endpoint rescinds the offer, which leaves the client endpoint Disabled
    Disable on the host revokes the offer: the guest receives RESCIND_CHANNELOFFER, its channel is
    closed, and the client endpoint ends up Disabled.
    Source: spec KMCL-DISABLE-1, KMCL-CLOSED-3

    Scenario: the client endpoint after the rescind
      Given an open channel
      When the server disables the channel
      Then the client endpoint is Disabled

    @requires:trace
    Scenario: the rescind message
      Given an open channel
      When the server disables the channel
      Then from the last disable call the trace shows, in order:
        | event         | what                 | for |
        | host to guest | RESCIND_CHANNELOFFER |     |
        | return        | disable              |     |

  @CHAN-13 @normative @requires:lifecycle @spec:KMCL-CLOSED-3 @spec:HDR-STATE-5 @half:guest
  Rule: A client endpoint disabled by a close can be enabled again
    On the guest a closed channel is Disabled and must be enabled again to be used; while the server
    still offers it, that enable opens it anew.
    Source: spec KMCL-CLOSED-3, HDR-STATE-5

    Scenario: close and open again
      Given an open channel
      And the client has disabled the channel
      When the client enables the channel
      Then the enable succeeds
      And the client endpoint is Opened
      And the server endpoint is Opened

    Scenario: close and open again twice
      Given an open channel
      And the client has disabled the channel
      And the client has enabled the channel
      And the client has disabled the channel
      When the client enables the channel
      Then the enable succeeds
      And the client endpoint is Opened
      And the server endpoint is Opened
      And the channel has a ring-buffer GPADL

    Scenario: the channel opened again carries GPADLs the server maps
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has disabled the channel
      And the client has enabled the channel
      And the client has created a GPADL "G" for buffer "B"
      When the server maps "G" for write access
      Then the map succeeds

  @CHAN-14 @normative @requires:lifecycle @spec:LINUX-CHANNEL-6 @half:guest
  Rule: A create on a channel that the host rescinded fails and returns no handle
    Once the host has rescinded the offer, the guest no longer establishes GPADLs on the channel.
    Source: spec LINUX-CHANNEL-6

    Scenario: after the server disabled the channel
      Given an open channel
      And a 4096-byte buffer "B"
      And the server has disabled the channel
      When the client creates a GPADL "G" for buffer "B"
      Then the create fails
      And no GPADL handle is returned

  @CHAN-15 @reference @choice:G7 @choice:G9 @requires:lifecycle @spec:KMCL-CLOSED-3 @spec:LINUX-CHANNEL-13 @half:guest
  Rule: A create on a closed or rescinded channel fails with STATUS_INVALID_DEVICE_STATE
    Both a close by the client and a rescind by the host leave the client endpoint Disabled, and
    the reference model refuses a create on an endpoint that is not Opened as the wrong device state
    (Linux would still create GPADLs on a channel it closed but that is still offered).
    Source: spec KMCL-CLOSED-3, LINUX-CHANNEL-13; choices G7, G9 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: after the <role> disabled the channel
      Given an open channel
      And a 4096-byte buffer "B"
      And the <role> has disabled the channel
      When the client creates a GPADL "G" for buffer "B"
      Then the create fails with STATUS_INVALID_DEVICE_STATE

      Examples:
        | role   |
        | client |
        | server |

  @CHAN-16 @reference @choice:G7 @requires:lifecycle @requires:violations @spec:HDR-STATE-4 @spec:LINUX-CHANNEL-12 @half:guest
  Rule: Every GPADL still live when the client closes the channel is recorded as GpadlLiveAtClose
    The client must delete its GPADLs when the channel closes; the reference model records each
    GPADL it created that is still live at the close, but not the ring-buffer GPADL, which the close
    itself tears down.
    Source: spec HDR-STATE-4, LINUX-CHANNEL-12; choice G7 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"

    Scenario: two live GPADLs
      Given the client has created a GPADL "G" for buffer "B"
      And the client has created a read-only GPADL "H" for buffer "B"
      When the client disables the channel
      Then a GpadlLiveAtClose violation is recorded for "G"
      And a GpadlLiveAtClose violation is recorded for "H"
      And no GpadlLiveAtClose violation is recorded for the ring-buffer GPADL

    Scenario: a GPADL deleted before the close
      Given the client has created a GPADL "G" for buffer "B"
      And the client has deleted "G"
      When the client disables the channel
      Then no violation is recorded

  @CHAN-17 @reference @choice:G7 @requires:lifecycle @spec:OPENVMM-CHANNELS-10 @spec:KMCL-DELETE-2 @half:guest
  Rule: GPADLs left at a client close stay valid and can still be deleted
    The reference model keeps the host's GPADLs across a close, as OpenVMM does; the client can
    delete them afterwards, and a delete still waits for the server's mapping.
    Source: spec OPENVMM-CHANNELS-10, KMCL-DELETE-2; choice G7 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"

    Scenario: deleting after the close
      Given the client has disabled the channel
      When the client deletes "G"
      Then the delete of "G" has completed
      And buffer "B" is not locked

    Scenario: a mapped GPADL waits for the unmap after the close too
      Given the server has mapped "G"
      And the client has disabled the channel
      When the client deletes "G"
      Then the delete of "G" is pending

    Scenario: deleting after the channel was opened again
      Given the client has disabled the channel
      And the client has enabled the channel
      When the client deletes "G"
      Then the delete of "G" has completed
      And buffer "B" is not locked

  @CHAN-18 @reference @choice:G7 @choice:G4 @requires:lifecycle @spec:HDR-STATE-8 @spec:KMCL-UNMAP-2 @half:host
  Rule: A server mapping survives a close or rescind, but new maps need an open channel
    In the reference model neither disable waits for the server's mappings: the mapping stays
    usable until the server unmaps it, while a new map on a channel that is not open fails with
    STATUS_INVALID_DEVICE_STATE. (A disable that waits for the mappings, which no source asks
    for, is decided the other way.)
    Source: spec HDR-STATE-8, KMCL-UNMAP-2; choices G7, G4 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the client has written 0xA5 over bytes 0 to 4095 of buffer "B"

    Scenario Outline: the <role> disables while the server holds a mapping
      Given the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      When the <role> disables the channel
      Then the <role> endpoint is Disabled
      And bytes 0 to 4095 of the mapping of "G" hold 0xA5

      Examples:
        | role   |
        | client |
        | server |

    Scenario Outline: a new map after the <role> disabled the channel
      Given the <role> has disabled the channel
      When the server maps "G" for read-only access
      Then the map fails with STATUS_INVALID_DEVICE_STATE

      Examples:
        | role   |
        | client |
        | server |

    Scenario: a new map of a GPADL left at the close, once the client opened the channel again
      Given the client has disabled the channel
      And the client has enabled the channel
      When the server maps "G" for read-only access
      Then the map succeeds
      And the server has mapped the MDL of "G" into system virtual address space
      And bytes 0 to 4095 of the mapping of "G" hold 0xA5

  @CHAN-19 @reference @choice:G7 @requires:lifecycle @spec:LINUX-CHANNEL-11 @spec:OPENVMM-CHANNELS-8 @half:guest
  Rule: After a rescind, the client's deletes complete without waiting for the host
    A rescinded channel's GPADLs stay with the client until it deletes them; the guest then sends
    nothing and the delete completes at once, even while the server still holds a mapping.
    Source: spec LINUX-CHANNEL-11, OPENVMM-CHANNELS-8; choice G7 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"

    Scenario: an unmapped GPADL
      Given the server has disabled the channel
      When the client deletes "G"
      Then the delete of "G" has completed

    Scenario: a GPADL the server still has mapped
      Given the server has mapped "G"
      And the server has disabled the channel
      When the client deletes "G"
      Then the delete of "G" has completed

    @requires:trace
    Scenario: the delete exchanges no channel message
      Given the server has disabled the channel
      When the client deletes "G"
      Then no channel message follows the last delete call

  @CHAN-20 @reference @choice:G7 @requires:lifecycle @spec:KMCL-CLEANUP-2 @half:guest @half:host
  Rule: Cleanup of an endpoint that is not Disabled frees nothing and is recorded as CleanupOfEnabledChannel
    A channel must be disabled before cleanup; the reference model ignores a cleanup of an endpoint
    that is still enabled or open, which keeps working, and records the misuse.
    Source: spec KMCL-CLEANUP-2; choice G7 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"

    Scenario Outline: the <role> endpoint stays open
      When the <role> cleans up the channel
      Then the <role> endpoint is Opened

      Examples:
        | role   |
        | client |
        | server |

    Scenario: the client can still create GPADLs
      Given the client has cleaned up the channel
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds

    @requires:violations
    Scenario Outline: the misuse is recorded for the <role> endpoint
      When the <role> cleans up the channel
      Then a CleanupOfEnabledChannel violation is recorded for the <role> endpoint

      Examples:
        | role   |
        | client |
        | server |

  @CHAN-21 @normative @requires:lifecycle @spec:KMCL-CLEANUP-1 @spec:KMCL-ALLOC-2 @half:guest @half:host
  Rule: Cleanup of a disabled endpoint frees it, and the endpoint cannot be used afterwards
    Cleanup disposes of the channel that allocate created; a later call on the same endpoint fails.
    Source: spec KMCL-CLEANUP-1, KMCL-ALLOC-2

    Scenario Outline: the <role> endpoint after its cleanup
      Given an open channel
      And the <role> has disabled the channel
      And the <role> has cleaned up the channel
      When the <role> asks for the state of its endpoint
      Then the endpoint query fails

      Examples:
        | role   |
        | client |
        | server |

    Scenario: a create on a cleaned-up client endpoint
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has disabled the channel
      And the client has cleaned up the channel
      When the client creates a GPADL "G" for buffer "B"
      Then the create fails

  @CHAN-22 @reference @choice:G7 @requires:lifecycle @spec:KMCL-CLEANUP-1 @half:guest @half:host
  Rule: A cleaned-up endpoint is an invalid handle
    After cleanup the reference model answers the functions that return a status with
    STATUS_INVALID_HANDLE, and records a call of a void function as InvalidEndpointHandle.
    Source: spec KMCL-CLEANUP-1; choice G7 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"

    Scenario: the client endpoint after its cleanup
      Given the client has disabled the channel
      And the client has cleaned up the channel
      When the client creates a GPADL "H" for buffer "B"
      Then the create fails with STATUS_INVALID_HANDLE

    Scenario: the server endpoint after its cleanup
      Given the server has disabled the channel
      And the server has cleaned up the channel
      When the server maps "G" for write access
      Then the map fails with STATUS_INVALID_HANDLE

    Scenario: enabling a cleaned-up endpoint
      Given the client has disabled the channel
      And the client has cleaned up the channel
      When the client enables the channel
      Then the enable fails with STATUS_INVALID_HANDLE

    @requires:violations
    Scenario: a delete on a cleaned-up client endpoint
      Given the client has disabled the channel
      And the client has cleaned up the channel
      When the client deletes "G"
      Then an InvalidEndpointHandle violation is recorded for the client endpoint

    @requires:violations
    Scenario: an unmap on a cleaned-up server endpoint
      Given the server has disabled the channel
      And the server has cleaned up the channel
      When the server unmaps "G"
      Then an InvalidEndpointHandle violation is recorded for the server endpoint

    @requires:violations
    Scenario Outline: the <role> <action> its cleaned-up endpoint
      Given the <role> has disabled the channel
      And the <role> has cleaned up the channel
      When the <role> <action> the channel
      Then an InvalidEndpointHandle violation is recorded for the <role> endpoint

      Examples:
        | role   | action    |
        | client | disables  |
        | client | cleans up |
        | server | disables  |
        | server | cleans up |

  @CHAN-23 @reference @choice:G7 @requires:lifecycle @requires:violations @spec:KMCL-CREATE-5 @spec:HDR-STATE-4 @half:guest
  Rule: Every GPADL still live at the client's cleanup is recorded as GpadlLeakedAtCleanup
    Every GPADL must be deleted; the reference model records each one the client left when its
    endpoint is cleaned up.
    Source: spec KMCL-CREATE-5, HDR-STATE-4; choice G7 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"

    Scenario: two leaked GPADLs
      Given the client has created a GPADL "G" for buffer "B"
      And the client has created a GPADL "H" for buffer "B"
      And the client has disabled the channel
      When the client cleans up the channel
      Then a GpadlLeakedAtCleanup violation is recorded for "G"
      And a GpadlLeakedAtCleanup violation is recorded for "H"

  @CHAN-24 @reference @choice:G7 @requires:lifecycle @spec:KMCL-CREATE-5 @spec:OPENVMM-CHANNELS-13 @half:guest
  Rule: The client's cleanup tears down the GPADLs it leaked
    The reference model does not keep leaked GPADLs alive past the cleanup: it tears them down, so
    their buffers are no longer locked.
    Source: spec KMCL-CREATE-5, OPENVMM-CHANNELS-13; choice G7 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: a leaked GPADL after the <role> disabled the channel
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the <role> has disabled the channel
      When the client cleans up the channel
      Then buffer "B" is not locked

      Examples:
        | role   |
        | client |
        | server |

  @CHAN-25 @reference @choice:G7 @choice:G21 @requires:lifecycle @requires:violations @spec:KMCL-MAP-7 @spec:KMCL-UNMAP-2 @half:host
  Rule: Every mapping the server still holds at its cleanup is recorded as MappingLeakedAtCleanup
    Every map must be paired with an unmap; the reference model records each mapping a server
    endpoint still holds when it is cleaned up, and releases it as an unmap would: the MDL that map
    returned dies with it.
    Source: spec KMCL-MAP-7, KMCL-UNMAP-2; choices G7, G21 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"

    Scenario: a leaked mapping
      Given the server has mapped "G"
      And the server has disabled the channel
      When the server cleans up the channel
      Then a MappingLeakedAtCleanup violation is recorded for "G"

    Scenario: the cleanup releases the leaked mapping
      Given the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      And the server has disabled the channel
      And the server has cleaned up the channel
      When the server reads bytes 0 to 15 of the mapping of "G"
      Then the read through the mapping fails with STATUS_INVALID_DEVICE_STATE

  @CHAN-26 @reference @choice:G7 @requires:lifecycle @requires:violations @spec:KMCL-UNMAP-2 @spec:KMCL-DISABLE-1 @half:host
  Rule: Every mapping the server still holds when it disables the channel is recorded as MappingLiveAtDisable
    The server must retire its work, and unmap, before its channel goes; the reference model's
    disable does not wait for the mappings (CHAN-18), but records each one the server endpoint still
    holds when it rescinds the offer.
    Source: spec KMCL-UNMAP-2, KMCL-DISABLE-1; choice G7 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"

    Scenario: two mappings held at the disable
      Given the client has created a GPADL "H" for buffer "B"
      And the server has mapped "G"
      And the server has mapped "H" read-only
      When the server disables the channel
      Then a MappingLiveAtDisable violation is recorded for "G"
      And a MappingLiveAtDisable violation is recorded for "H"

    Scenario: a mapping unmapped before the disable
      Given the server has mapped "G"
      And the server has unmapped "G"
      When the server disables the channel
      Then no violation is recorded
