Feature: A VMBus host on the wire: channels, rescind and release
  The suite plays the guest against the implementation's VMBus host, as in wire_host_gpadl: it
  opens and closes channels with OPENCHANNEL and CLOSECHANNEL over a ring-buffer GPADL, and has the
  host revoke channels and the guest release them, checking what happens to the channel's GPADLs.

  Background:
    Given the host has offered channel 1

  @WHOST-13 @normative @digest:144 @digest:145 @digest:146 @requires:wireHost
  Rule: An OPENCHANNEL whose ring-buffer GPADL cannot hold two rings fails
    The ring-buffer GPADL must be an accepted GPADL of the channel, one range of whole pages from
    offset 0, and the downstream page offset must leave each ring at least one page. Otherwise the
    host answers OPENCHANNEL_RESULT with a status that is not 0, naming the channel and the openid.
    Source: https://github.com/microsoft/openvmm/blob/main/vm/devices/vmbus/vmbus_channel/src/gpadl_ring.rs

    Scenario: a ring of 4 pages split after 2 opens
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 2
      Then the host answers OPENCHANNEL_RESULT for channel 1 with status 0

    Scenario: a ring GPADL that does not exist
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 2
      Then the host answers OPENCHANNEL_RESULT for channel 1 with a failure status

    Scenario: a ring GPADL still waiting for its GPADL_BODY
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 30 pages
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 2
      Then the host answers OPENCHANNEL_RESULT for channel 1 with a failure status

    Scenario: a ring GPADL of two ranges
      Given the guest has created GPADL 0xE1E10 on channel 1 as 2 ranges of 2 pages
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 2
      Then the host answers OPENCHANNEL_RESULT for channel 1 with a failure status

    Scenario Outline: a ring GPADL of <bytes> bytes at offset <offset>
      Given the guest has created GPADL 0xE1E10 on channel 1 as one range of <bytes> bytes at offset <offset>
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 1
      Then the host answers OPENCHANNEL_RESULT for channel 1 with a failure status

      Examples:
        | bytes | offset |
        | 12288 | 0x10   |
        | 12000 | 0x0    |

    Scenario Outline: a downstream page offset of <split> in a 4-page ring
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset <split>
      Then the host answers OPENCHANNEL_RESULT for channel 1 with a failure status

      Examples:
        | split |
        | 0     |
        | 4     |
        | 9     |

  @WHOST-14 @normative @digest:149 @requires:wireHost
  Rule: CLOSECHANNEL leaves the channel's GPADLs alone
    Closing a channel tears nothing down: its GPADLs, the ring-buffer GPADL included, stay accepted
    until the guest tears them down, and the channel can be opened again with the same ring.
    Source: https://github.com/microsoft/openvmm/blob/main/vm/devices/vmbus/vmbus_server/src/channels.rs

    Scenario: another GPADL survives the close
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has created GPADL 0xE1E11 on channel 1 with 8 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      When the guest sends CLOSECHANNEL for channel 1
      Then the host answers nothing
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E11 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E11

    Scenario: the channel opens again on the same ring
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      And the guest has sent CLOSECHANNEL for channel 1
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 2
      Then the host answers OPENCHANNEL_RESULT for channel 1 with status 0

  @WHOST-15 @reference @choice:G13 @digest:150 @requires:wireHost
  Rule: A teardown of the ring-buffer GPADL of an open channel completes only after the close
    The open channel uses its ring, so the host holds GPADL_TORNDOWN back until CLOSECHANNEL.
    Source: README.md#choices-where-the-docs-are-silent (G13), vmbus-gpadl-digest.md §4.5

    Scenario: teardown, then close
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the guest sends CLOSECHANNEL for channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

  @WHOST-16 @normative @digest:153 @digest:157 @requires:wireHost
  Rule: After a revoke, GPADL teardowns are answered at once
    When the host revokes a channel, it answers the teardowns still waiting for a device, and
    answers every later GPADL_TEARDOWN of an accepted GPADL of that channel at once.
    Source: https://github.com/microsoft/openvmm/blob/main/vm/devices/vmbus/vmbus_server/src/tests.rs

    Scenario: a teardown after the revoke
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the host has revoked channel 1
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: a teardown waiting for a device when the host revokes
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When the host revokes channel 1
      Then the host answers, in order:
        | message              | channel | gpadl   |
        | RESCIND_CHANNELOFFER | 1       |         |
        | GPADL_TORNDOWN       |         | 0xE1E10 |

  @WHOST-17 @normative @digest:154 @requires:wireHost
  Rule: After a revoke, a new GPADL_HEADER on the channel is accepted until the guest releases it
    The guest may not have seen the rescind yet; the host accepts its GPADLs on the revoked channel
    so that its create does not fail for a reason it cannot know.
    Source: https://github.com/microsoft/openvmm/blob/main/vm/devices/vmbus/vmbus_server/src/tests.rs

    Scenario: a GPADL created after the revoke
      Given the host has revoked channel 1
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-18 @normative @digest:158 @requires:wireHost
  Rule: A revoke leaves the channel's accepted GPADLs in place
    Accepted GPADLs stay until the guest tears them down or releases the channel: their ids are
    still taken, and their teardown is answered.
    Source: https://github.com/microsoft/openvmm/blob/main/vm/devices/vmbus/vmbus_server/src/channels.rs

    Scenario: the id is still taken after the revoke
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the host has revoked channel 1
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host does not accept GPADL 0xE1E10
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

  @WHOST-19 @normative @digest:160 @requires:wireHost
  Rule: RELID_RELEASED tears down every GPADL the channel still has, without a reply
    Once the guest releases a revoked channel, the host drops its GPADLs itself: accepted ones are
    gone (a teardown for them gets no reply), and the id of one still in progress is free again on
    every channel.
    Source: https://github.com/microsoft/openvmm/blob/main/vm/devices/vmbus/vmbus_server/src/channels.rs

    Scenario: an accepted GPADL
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the host has revoked channel 1
      When the guest sends RELID_RELEASED for channel 1
      Then the host answers nothing
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing

    Scenario: a GPADL in progress frees its id
      Given the host has offered channel 2
      And the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 27 pages
      And the host has revoked channel 1
      When the guest sends RELID_RELEASED for channel 1
      Then the host answers nothing
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 2 with 1 page
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 2 with status 0
