Feature: What the guest sends to open and release a channel (OPENCHANNEL, RELID_RELEASED), read from the trace
  Opening a channel creates the ring-buffer GPADL, the outgoing (guest-to-host) ring first and the
  incoming ring after it, and sends OPENCHANNEL naming that GPADL and where the incoming ring
  starts. Once the host has rescinded a channel, the guest gives the channel id back with
  RELID_RELEASED when it is done with it. The order of an open (CHAN-04), of a close (CLOSECHANNEL,
  then the ring GPADL's teardown: CHAN-10) and the silence of deletes after a rescind (CHAN-19) are
  checked where those rules live.

  @WIRE-08 @normative @requires:trace @spec:LINUX-CHANNEL-8 @spec:LINUX-HYPERV-6 @spec:FREEBSD-CHAN-4 @half:guest
  Rule: OPENCHANNEL names the ring-buffer GPADL that the guest created on that channel
    The ring-buffer GPADL is established on the channel being opened (its GPADL_HEADER carries that
    channel's id) and OPENCHANNEL, sent for the same channel once the host has answered
    GPADL_CREATED, names it in ringbuffer_gpadlhandle.
    Source: spec LINUX-CHANNEL-8, LINUX-HYPERV-6, FREEBSD-CHAN-4

    Scenario: the first open of a channel
      Given the server has offered the channel
      And the client has allocated its endpoint
      When the client enables the channel
      Then the enable succeeds
      And the OPENCHANNEL message names the ring-buffer GPADL

    @requires:lifecycle
    Scenario: an open after a close
      Given an open channel
      And the client has disabled the channel
      When the client enables the channel
      Then the enable succeeds
      And the OPENCHANNEL message names the ring-buffer GPADL

    @requires:hostControl
    Scenario: the host holds back its answer for the ring-buffer GPADL
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the host will hold back its answer to the next GPADL
      And the client has enabled the channel
      When the host answers the GPADL it held back
      Then the client endpoint is Opened
      And from the last enable call the trace shows, in order:
        | event         | what          | for               |
        | guest to host | GPADL_HEADER  | ring-buffer GPADL |
        | host to guest | GPADL_CREATED | ring-buffer GPADL |
        | guest to host | OPENCHANNEL   |                   |
      And the OPENCHANNEL message names the ring-buffer GPADL

    @requires:hostControl @requires:lifecycle
    Scenario: the host holds back its answer for the ring-buffer GPADL of two opens in turn
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the host will hold back its answer to the next GPADL
      And the host will hold back its answer to the next GPADL
      And the client has enabled the channel
      And the host answers the GPADL it held back
      And the client has disabled the channel
      And the client has enabled the channel
      When the host answers the GPADL it held back
      Then the client endpoint is Opened
      And from the last enable call the trace shows, in order:
        | event         | what          | for               |
        | guest to host | GPADL_HEADER  | ring-buffer GPADL |
        | host to guest | GPADL_CREATED | ring-buffer GPADL |
        | guest to host | OPENCHANNEL   |                   |
      And the OPENCHANNEL message names the ring-buffer GPADL

  @WIRE-20 @reference @choice:G33 @requires:trace @spec:LINUX-CHANNEL-8 @half:guest
  Rule: OPENCHANNEL's openid is the channel's child_relid
    A host only echoes the openid in its OPENCHANNEL_RESULT (WHOST-13 checks that), so the value is
    the guest's to choose; the reference guest puts the channel's child_relid there, as Linux does.
    Source: spec LINUX-CHANNEL-8; choice G33 (README.md#choices-where-the-docs-are-silent)

    Scenario: the first open of a channel
      Given the server has offered the channel
      And the client has allocated its endpoint
      When the client enables the channel
      Then the enable succeeds
      And the OPENCHANNEL's openid is the channel's id

    @requires:lifecycle
    Scenario: an open after a close
      Given an open channel
      And the client has disabled the channel
      When the client enables the channel
      Then the enable succeeds
      And the OPENCHANNEL's openid is the channel's id

  @WIRE-09 @normative @requires:trace @requires:lifecycle @spec:LINUX-CHANNEL-10 @spec:LINUX-CHANNEL-8 @spec:KMCL-RING-1 @spec:FREEBSD-CHAN-4 @half:guest
  Rule: The ring-buffer GPADL is the outgoing ring then the incoming ring, and OPENCHANNEL splits it after the outgoing pages
    With the page counts the client set, the ring-buffer GPADL is one page-aligned range of
    incoming + outgoing whole pages, and OPENCHANNEL's downstream_ringbuffer_pageoffset, where
    the host-to-guest ring starts, is the outgoing page count.
    Source: spec LINUX-CHANNEL-10, LINUX-CHANNEL-8, KMCL-RING-1, FREEBSD-CHAN-4

    Scenario Outline: <incoming> incoming and <outgoing> outgoing pages
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the client has set the ring buffer page counts to <incoming> incoming and <outgoing> outgoing
      When the client enables the channel
      Then the enable succeeds
      And the ring-buffer GPADL is one range of <total> whole pages
      And the OPENCHANNEL message puts the host-to-guest ring <outgoing> pages into the ring-buffer GPADL

      Examples:
        | incoming | outgoing | total |
        | 1        | 1        | 2     |
        | 3        | 5        | 8     |
        | 5        | 3        | 8     |
        | 16       | 2        | 18    |

  @WIRE-10 @normative @requires:trace @requires:lifecycle @spec:OPENVMM-CLIENT-1 @spec:LINUX-MGMT-4 @half:guest
  Rule: The guest sends RELID_RELEASED only for a rescinded channel
    A channel id goes back to the host only once the host has rescinded the channel: a channel the
    guest merely closed is not released (Linux's `hv_process_channel_removal` insists on the
    rescind; OpenVMM's client releases only a revoked channel).
    Source: spec OPENVMM-CLIENT-1, LINUX-MGMT-4

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"

    Scenario: a channel the client closed and cleaned up
      Given the client has deleted "G"
      And the client has disabled the channel
      When the client cleans up the channel
      Then the guest sent no RELID_RELEASED

    Scenario: a rescind with a GPADL the client never deleted
      Given the server has disabled the channel
      When the client cleans up the channel
      Then the RELID_RELEASED follows the answer to every GPADL request the guest sent on the channel

  @WIRE-19 @reference @choice:G32 @requires:trace @requires:lifecycle @spec:OPENVMM-CLIENT-1 @half:guest
  Rule: The guest releases a rescinded channel only after every GPADL request on it has been answered
    RELID_RELEASED is never sent while a GPADL_HEADER or GPADL_TEARDOWN the guest sent on the channel
    still waits for its GPADL_CREATED or GPADL_TORNDOWN, as OpenVMM's client waits. Linux does not
    wait: its rescind ends the waiting call locally and, for a driver without a rescind callback,
    unregisters the device at once, whose release sends RELID_RELEASED (choice G32).
    Source: spec OPENVMM-CLIENT-1; choice G32 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"

    Scenario: a rescind while a delete waits for the server's unmap
      Given the server has mapped "G"
      And the client has started deleting "G"
      And the server has disabled the channel
      When the client cleans up the channel
      Then the RELID_RELEASED follows the answer to every GPADL request the guest sent on the channel

    @requires:hostControl
    Scenario: a rescind while a create waits for GPADL_CREATED
      Given a 4096-byte buffer "C"
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "H" for buffer "C"
      And the server has disabled the channel
      When the client cleans up the channel
      Then the RELID_RELEASED follows the answer to every GPADL request the guest sent on the channel

  @WIRE-11 @reference @requires:trace @requires:lifecycle @spec:INFER-7 @spec:OPENVMM-CLIENT-1 @half:guest
  Rule: A rescinded channel that the client opened is released once, at the client's cleanup
    The reference model treats the client endpoint's cleanup as the driver letting go of the
    channel (OpenVMM's client releases a revoked channel when its user drops it): RELID_RELEASED is
    sent then, once, and not at the rescind nor at a later delete.
    Source: spec INFER-7, OPENVMM-CLIENT-1

    Scenario: the client deletes its GPADL after the rescind, then cleans up
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the server has disabled the channel
      And the client has deleted "G"
      When the client cleans up the channel
      Then the guest sent one RELID_RELEASED for the channel, during the client's cleanup
