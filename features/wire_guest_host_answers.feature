@requires:hostControl
Feature: What the guest does when its host refuses or has not answered yet
  A guest's create waits for GPADL_CREATED and its open for OPENCHANNEL_RESULT, and the host may
  say no, or not answer before the channel goes. These rules make the host behind the channel
  refuse a GPADL, refuse an open or hold its answer back (capability hostControl), then look at the
  guest under test: what its calls return, what it sends, and what it leaves behind; and, for the
  host rules that need a host holding an answer back (WHOST-20) or answering nothing at a revoke
  (WHOST-28), what that host sends. That a
  create returns only after GPADL_CREATED (CREATE-04), that a refused create consumes its handle
  value (CREATE-11) and that a channel is released only after a waiting create's answer (WIRE-10)
  are checked where those rules live.

  @WIRE-12 @normative @spec:LINUX-CHANNEL-7 @spec:FREEBSD-CHAN-3 @half:guest
  Rule: A create that the host answers with a failed GPADL_CREATED fails and returns no handle
    When the host answers the GPADL with a non-zero creation status, the create fails: the
    caller gets no GPADL handle and the server has nothing it could map.
    Source: spec LINUX-CHANNEL-7, FREEBSD-CHAN-3

    Background:
      Given an open channel
      And a 8192-byte buffer "B"
      And the host will refuse the next GPADL

    Scenario: a create from a buffer
      When the client creates a GPADL "G" for buffer "B"
      Then the create fails
      And no GPADL handle is returned

    @requires:mdl
    Scenario: a create from an MDL
      Given an MDL "M" over buffer "B"
      When the client creates a GPADL "G" from MDL "M" starting at byte 0 for 0 bytes
      Then the create fails
      And no GPADL handle is returned

    Scenario: the refusal applies to one GPADL only
      Given the client's create of a GPADL for buffer "B" with flags 0x0 was refused
      When the client creates a GPADL "G" for buffer "B"
      Then the create succeeds
      And the server can still map "G"

    Scenario: two refusals apply to the next two GPADLs only
      Given the host will refuse the next GPADL
      And the client's create of a GPADL for buffer "B" with flags 0x0 was refused
      When the client creates a GPADL "G" for buffer "B"
      Then the create fails
      And no GPADL handle is returned
      When the client creates a GPADL "H" for buffer "B"
      Then the create succeeds
      And the server can still map "H"

    Scenario: a refusal, then an answer held back: the second create waits and succeeds
      Given the host will hold back its answer to the next GPADL
      And the client's create of a GPADL for buffer "B" with flags 0x0 was refused
      And the client has started creating a GPADL "G" for buffer "B"
      When the host answers the GPADL it held back
      Then the create of "G" has completed with a GPADL handle
      And the server can still map "G"

  @WIRE-13 @reference @choice:G29 @spec:LINUX-CHANNEL-7 @spec:KMCL-CREATE-3 @half:guest
  Rule: A create the host refused returns STATUS_UNSUCCESSFUL and unlocks its buffer
    The reference create reports a failed GPADL_CREATED as STATUS_UNSUCCESSFUL, and the buffer it
    probed and locked for the GPADL is unlocked again, since no delete will ever come for it.
    Source: spec LINUX-CHANNEL-7, KMCL-CREATE-3; choice G29 (README.md#choices-where-the-docs-are-silent)

    Scenario: a refused create from a buffer
      Given an open channel
      And a 4096-byte buffer "B"
      And the host will refuse the next GPADL
      When the client creates a GPADL "G" for buffer "B"
      Then the create fails with STATUS_UNSUCCESSFUL
      And buffer "B" is not locked

    Scenario: a second refused create, of another buffer
      Given an open channel
      And a 4096-byte buffer "B"
      And an 8192-byte buffer "C"
      And the host will refuse the next GPADL
      And the host will refuse the next GPADL
      And the client's create of a GPADL for buffer "B" with flags 0x0 was refused
      When the client creates a GPADL "G" for buffer "C"
      Then the create fails with STATUS_UNSUCCESSFUL
      And buffer "C" is not locked
      And buffer "B" is not locked

  @WIRE-14 @normative @requires:trace @spec:LINUX-CHANNEL-9 @spec:FREEBSD-CHAN-4 @half:guest
  Rule: When the host refuses an open, the guest tears down the ring-buffer GPADL it created for it
    A failed OPENCHANNEL_RESULT leaves the guest with a ring-buffer GPADL that nothing uses: the
    guest sends GPADL_TEARDOWN for the GPADL the OPENCHANNEL named, and the host confirms it.
    Whether the enable itself reports the refusal is another question (choice G29, WIRE-15): Linux's
    `vmbus_open` waits for the answer and returns it, the reference's enable has returned before.
    Source: spec LINUX-CHANNEL-9, FREEBSD-CHAN-4

    Scenario: the client enables the channel and the host refuses the open
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the host will refuse the next open
      When the client enables the channel, whatever the enable returns
      Then the host answered the OPENCHANNEL with a failure
      And after the failed OPENCHANNEL_RESULT the guest tore down the ring-buffer GPADL that OPENCHANNEL named

    Scenario: the endpoint keeps no ring-buffer GPADL
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the host will refuse the next open
      When the client enables the channel, whatever the enable returns
      Then the channel has no ring-buffer GPADL

    @requires:lifecycle
    Scenario: the host refuses the open a second time
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the host will refuse the next open
      And the host will refuse the next open
      And the client enables the channel, whatever the enable returns
      And the client disables the channel
      When the client enables the channel, whatever the enable returns
      Then the host answered the OPENCHANNEL with a failure
      And after the failed OPENCHANNEL_RESULT the guest tore down the ring-buffer GPADL that OPENCHANNEL named
      And the channel has no ring-buffer GPADL

    @requires:lifecycle
    Scenario: the host holds back the answer to the ring-buffer GPADL, then refuses the open
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the host will refuse the next open
      And the host will hold back its answer to the next GPADL
      And the client enables the channel, whatever the enable returns
      When the host answers the GPADL it held back
      Then the host answered the OPENCHANNEL with a failure
      And after the failed OPENCHANNEL_RESULT the guest tore down the ring-buffer GPADL that OPENCHANNEL named
      And the channel has no ring-buffer GPADL

  @WIRE-15 @reference @choice:G29 @requires:lifecycle @spec:HDR-STATE-2 @half:guest
  Rule: After a refused open the client endpoint stays Enabled, without a channel, until it is disabled and enabled again
    Enable does not wait for the open, so it has already returned STATUS_SUCCESS when the open
    fails; the endpoint then is Enabled, not Opened, and has no ring-buffer GPADL. Disabling it
    and enabling it again opens the channel anew.
    Source: spec HDR-STATE-2; choice G29 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given the server has offered the channel
      And the client has allocated its endpoint
      And the host will refuse the next open

    Scenario: the endpoint after the refused open
      When the client enables the channel
      Then the enable succeeds
      And the client endpoint is Enabled

    Scenario: a second try opens the channel
      Given the client has enabled the channel
      And the client has disabled the channel
      When the client enables the channel
      Then the enable succeeds
      And the client endpoint is Opened
      And the channel has a ring-buffer GPADL

    Scenario: two refused opens, and a third try opens the channel
      Given the host will refuse the next open
      And the client has enabled the channel
      And the client has disabled the channel
      When the client enables the channel
      Then the enable succeeds
      And the client endpoint is Enabled
      And the channel has no ring-buffer GPADL
      When the client disables the channel
      And the client enables the channel
      Then the enable succeeds
      And the client endpoint is Opened
      And the channel has a ring-buffer GPADL

    Scenario: the answer to the ring-buffer GPADL held back, then the open refused
      Given the host will hold back its answer to the next GPADL
      And the client has enabled the channel
      When the host answers the GPADL it held back
      Then the client endpoint is Enabled
      And the channel has no ring-buffer GPADL
      When the client disables the channel
      And the client enables the channel
      Then the enable succeeds
      And the client endpoint is Opened

  @WIRE-16 @normative @requires:lifecycle @spec:LINUX-MGMT-3 @spec:LINUX-CHANNEL-7 @spec:OPENVMM-CHANNELS-11 @half:guest
  Rule: A create still waiting for GPADL_CREATED when the host rescinds the channel fails and returns no handle
    The create blocks while the host holds its answer back; when the host rescinds the channel
    instead of answering, the create completes with a failure and no handle, and the buffer is
    unlocked: the GPADL never came to be.
    Source: spec LINUX-MGMT-3, LINUX-CHANNEL-7, OPENVMM-CHANNELS-11

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL

    Scenario: the create waits while the host holds its answer back
      When the client creates a GPADL "G" for buffer "B"
      Then the create of "G" is pending
      And buffer "B" is locked

    Scenario: the host rescinds the channel instead of answering
      Given the client has started creating a GPADL "G" for buffer "B"
      When the server disables the channel
      Then the create of "G" has failed with no GPADL handle
      And buffer "B" is not locked

    Scenario: the host rescinds the channel and answers nothing at all
      Given the client has started creating a GPADL "G" for buffer "B"
      And the host will answer nothing when it revokes the channel
      When the server disables the channel
      Then the create of "G" has failed with no GPADL handle
      And buffer "B" is not locked

    @requires:trace
    Scenario: three creates wait when the host rescinds the channel
      Given the host will hold back its answer to the next GPADL
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G1" for buffer "B"
      And the client has started creating a GPADL "G2" for buffer "B"
      And the client has started creating a GPADL "G3" for buffer "B"
      When the server disables the channel
      Then each of these creates has failed exactly once, with no GPADL handle:
        | G1 |
        | G2 |
        | G3 |
      And buffer "B" is not locked

  @WIRE-17 @reference @choice:G29 @requires:lifecycle @spec:LINUX-CHANNEL-7 @half:guest
  Rule: A create that a rescind ended returns STATUS_DEVICE_REMOVED
    The reference create tells a rescind (the device is gone) from a refusal (STATUS_UNSUCCESSFUL).
    A rescind ends every create still waiting, each once, even when the host answers nothing at
    the revoke (Linux wakes only the first request waiting on the channel).
    Source: spec LINUX-CHANNEL-7; choice G29 (README.md#choices-where-the-docs-are-silent)

    Scenario: the host rescinds the channel while a create waits
      Given an open channel
      And a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G" for buffer "B"
      When the server disables the channel
      Then the create of "G" has failed with STATUS_DEVICE_REMOVED

    Scenario: the host rescinds the channel and answers nothing at all while a create waits
      Given an open channel
      And a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G" for buffer "B"
      And the host will answer nothing when it revokes the channel
      When the server disables the channel
      Then the create of "G" has failed with STATUS_DEVICE_REMOVED

    @requires:trace
    Scenario: three creates wait when the host rescinds the channel and answers nothing at all
      Given an open channel
      And a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL
      And the host will hold back its answer to the next GPADL
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G1" for buffer "B"
      And the client has started creating a GPADL "G2" for buffer "B"
      And the client has started creating a GPADL "G3" for buffer "B"
      And the host will answer nothing when it revokes the channel
      When the server disables the channel
      Then each of these creates has failed exactly once with STATUS_DEVICE_REMOVED:
        | G1 |
        | G2 |
        | G3 |
      And buffer "B" is not locked

  @WIRE-18 @reference @choice:G7 @requires:hostControl @requires:lifecycle @spec:OPENVMM-CHANNELS-11 @spec:LINUX-MGMT-3 @half:guest
  Rule: A delete still waiting when the host rescinds the channel completes, whether or not the host answers at the revoke
    A delete that waits for the server's unmap when the channel is rescinded completes: at the
    revoke, when the host answers the teardown it held back then (OpenVMM), and, when the host
    answers nothing at the revoke, once the server unmaps and the host answers it. The reference
    guest completes a delete only on its GPADL_TORNDOWN; Linux wakes the first request waiting on
    the channel at the rescind.
    Source: spec OPENVMM-CHANNELS-11, LINUX-MGMT-3; choice G7 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      And the client has started deleting "G"

    Scenario: the host answers the teardown it held back at the revoke
      When the server disables the channel
      Then the delete of "G" has completed
      And buffer "B" is not locked

    Scenario: the host answers nothing at the revoke
      Given the host will answer nothing when it revokes the channel
      And the server has disabled the channel
      When the server unmaps "G"
      Then the delete of "G" has completed
      And buffer "B" is not locked

  @WHOST-20 @normative @spec:OPENVMM-CHANNELS-11 @requires:trace @requires:lifecycle @half:host
  Rule: A revoke refuses the GPADLs still awaiting the host's acknowledgement
    A GPADL whose page list is complete but which the host has not yet acknowledged gets its
    answer when the host revokes the channel: GPADL_CREATED with a failure status, naming its
    channel and id, so that nothing on the guest waits for ever. Here the implementation's own host
    holds the acknowledgement back (capability hostControl) and the trace shows its answer.
    Source: spec OPENVMM-CHANNELS-11

    Scenario: the host revokes the channel while it holds back the GPADL_CREATED of a GPADL
      Given an open channel
      And a 4096-byte buffer "B"
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "G" for buffer "B"
      When the server disables the channel
      Then after the last disable call the host answered the GPADL "G" sent with a failed GPADL_CREATED

  @WHOST-28 @reference @choice:G29 @requires:hostControl @requires:trace @requires:lifecycle @half:host
  Rule: A host told to revoke silently sends RESCIND_CHANNELOFFER and nothing else at the revoke
    With the directive revokeSilently the implementation's own host plays a host that answers
    nothing at a revoke: it neither refuses the GPADLs whose acknowledgement it holds back nor
    answers the teardown it holds back for the server's mapping. The guest rules with such a host
    (WIRE-16 to WIRE-18) rely on it.
    Source: choice G29 (README.md#choices-where-the-docs-are-silent)

    Scenario: a create and a delete wait when the host revokes the channel
      Given an open channel
      And a 4096-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      And the client has started deleting "G"
      And the host will hold back its answer to the next GPADL
      And the client has started creating a GPADL "H" for buffer "B"
      And the host will answer nothing when it revokes the channel
      When the server disables the channel
      Then after the last disable call the host sent RESCIND_CHANNELOFFER and nothing else
