Feature: A VMBus host on the wire: channels, rescind and release, unload and reconnect
  The suite plays the guest against the implementation's VMBus host, as in wire_host_gpadl: it
  opens and closes channels with OPENCHANNEL and CLOSECHANNEL over a ring-buffer GPADL, has the
  host revoke channels and the guest release them, and has the guest unload (UNLOAD) and connect
  again (INITIATE_CONTACT, REQUESTOFFERS), checking what happens to the channels' GPADLs. The host
  starts connected, as if the guest had already sent INITIATE_CONTACT and REQUESTOFFERS.

  Background:
    Given the host has offered channel 1

  @WHOST-13 @normative @spec:OPENVMM-RING-1 @requires:wireHost @half:host
  Rule: An OPENCHANNEL whose ring-buffer GPADL cannot hold two rings fails
    The ring-buffer GPADL must be an accepted GPADL of the channel, one range of whole pages from
    offset 0, and the downstream page offset must leave each ring at least one page. Otherwise the
    host answers OPENCHANNEL_RESULT with a status that is not 0, naming the channel and the openid.
    Source: spec OPENVMM-RING-1

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

    Scenario Outline: a ring GPADL of <pages> pages, sent over GPADL_BODY messages, split after <split> pages
      Given the guest has created GPADL 0xE1E10 on channel 1 with <pages> pages
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset <split>
      Then the host answers OPENCHANNEL_RESULT for channel 1 with <result>

      Examples:
        | pages | split | result           |
        | 27    | 26    | status 0         |
        | 27    | 27    | a failure status |
        | 55    | 54    | status 0         |
        | 55    | 55    | a failure status |
        | 200   | 199   | status 0         |
        | 200   | 200   | a failure status |
        | 1000  | 999   | status 0         |
        | 1000  | 1000  | a failure status |

  @WHOST-29 @normative @spec:LINUX-MGMT-5 @requires:wireHost @half:host
  Rule: Every channel the host offers has an instance GUID of its own
    The OFFERCHANNEL of each device carries an if_instance GUID no other channel of the connection
    has. Linux takes an offer whose instance GUID it already knows for that device offered again
    (after hibernation) and moves the old channel to the new id, so a host that offers two devices
    with one GUID (all zeros, say) gets one device where it offered two.
    Source: spec LINUX-MGMT-5

    Scenario: two offers
      When the host offers channel 2
      Then channels 1 and 2 were offered with instance GUIDs of their own

  @WHOST-14 @normative @spec:OPENVMM-CHANNELS-10 @requires:wireHost @half:host
  Rule: CLOSECHANNEL leaves the channel's GPADLs alone
    Closing a channel tears nothing down: its GPADLs, the ring-buffer GPADL included, stay accepted
    until the guest tears them down, and the channel can be opened again with the same ring.
    Source: spec OPENVMM-CHANNELS-10

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

    Scenario: the channel closed a second time opens a third time, on a ring sent over GPADL_BODY messages
      Given the guest has created GPADL 0xE1E10 on channel 1 with 60 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      And the guest has sent CLOSECHANNEL for channel 1
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      And the guest has sent CLOSECHANNEL for channel 1
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 59
      Then the host answers OPENCHANNEL_RESULT for channel 1 with status 0

    Scenario: closing one of two open channels leaves the other's GPADLs alone
      Given the host has offered channel 2
      And the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has created GPADL 0xE1E11 on channel 2 with 4 pages
      And the guest has created GPADL 0xE1E12 on channel 2 with 2 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      And the guest has opened channel 2 with ring GPADL 0xE1E11
      When the guest sends CLOSECHANNEL for channel 1
      Then the host answers nothing
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E12 on channel 2
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E12

  @WHOST-15 @reference @choice:G13 @spec:OPENVMM-RING-2 @spec:OPENVMM-GPADL-2 @requires:wireHost @half:host
  Rule: A teardown of the ring-buffer GPADL of an open channel completes only after the close
    The open channel uses its ring, so the host holds GPADL_TORNDOWN back until CLOSECHANNEL.
    Source: spec OPENVMM-RING-2, OPENVMM-GPADL-2; choice G13 (README.md#choices-where-the-docs-are-silent)

    Scenario: teardown, then close
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the guest sends CLOSECHANNEL for channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: teardown after the channel opened a second time, then the second close
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      And the guest has sent CLOSECHANNEL for channel 1
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing
      When the guest sends CLOSECHANNEL for channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

    Scenario: two open channels, each ring's teardown completed by its own channel's close
      Given the host has offered channel 2
      And the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has created GPADL 0xE1E11 on channel 2 with 4 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      And the guest has opened channel 2 with ring GPADL 0xE1E11
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E11 on channel 2
      When the guest sends CLOSECHANNEL for channel 2
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E11
      When the guest sends CLOSECHANNEL for channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

  @WHOST-16 @normative @spec:OPENVMM-CHANNELS-11 @spec:OPENVMM-CHANNELS-8 @spec:OPENVMM-TESTS-1 @requires:wireHost @half:host
  Rule: After a revoke, GPADL teardowns are answered at once
    When the host revokes a channel, it answers the teardowns still waiting for a device, and
    answers every later GPADL_TEARDOWN of an accepted GPADL of that channel at once. A device that
    still held such a GPADL lets go of it later without another message.
    Source: spec OPENVMM-CHANNELS-11, OPENVMM-CHANNELS-8, OPENVMM-TESTS-1

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
      Then the host answers, in any order:
        | message              | channel | gpadl   |
        | RESCIND_CHANNELOFFER | 1       |         |
        | GPADL_TORNDOWN       |         | 0xE1E10 |

    Scenario: the device lets go of the GPADL after the revoke answered its teardown
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      And the host has revoked channel 1
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers nothing

  @WHOST-17 @normative @spec:OPENVMM-CHANNELS-12 @spec:OPENVMM-TESTS-1 @requires:wireHost @half:host
  Rule: After a revoke, a new GPADL_HEADER on the channel is accepted until the guest releases it
    The guest may not have seen the rescind yet; the host accepts its GPADLs on the revoked channel
    so that its create does not fail for a reason it cannot know.
    Source: spec OPENVMM-CHANNELS-12, OPENVMM-TESTS-1

    Scenario: a GPADL created after the revoke
      Given the host has revoked channel 1
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-18 @normative @spec:OPENVMM-CHANNELS-11 @requires:wireHost @half:host
  Rule: A revoke leaves the channel's accepted GPADLs in place
    Accepted GPADLs stay until the guest tears them down or releases the channel: their ids are
    still taken, and their teardown is answered.
    Source: spec OPENVMM-CHANNELS-11

    Scenario: the id is still taken after the revoke
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the host has revoked channel 1
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host does not accept GPADL 0xE1E10
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers GPADL_TORNDOWN for GPADL 0xE1E10

  @WHOST-19 @normative @spec:OPENVMM-CHANNELS-13 @requires:wireHost @half:host
  Rule: RELID_RELEASED tears down every GPADL the channel still has, without a reply
    Once the guest releases a revoked channel, the host drops its GPADLs itself: accepted ones are
    gone (a teardown for them gets no reply, nor does a device letting go of one later), and the id
    of one still in progress is free again on every channel.
    Source: spec OPENVMM-CHANNELS-13

    Scenario: an accepted GPADL
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the host has revoked channel 1
      When the guest sends RELID_RELEASED for channel 1
      Then the host answers nothing
      When the guest sends GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      Then the host answers nothing

    Scenario: a GPADL a device still holds
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the host has revoked channel 1
      When the guest sends RELID_RELEASED for channel 1
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers nothing

    Scenario: a GPADL in progress frees its id
      Given the host has offered channel 2
      And the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 27 pages
      And the host has revoked channel 1
      When the guest sends RELID_RELEASED for channel 1
      Then the host answers nothing
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 2 with 1 page
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 2 with status 0

  @WHOST-27 @reference @choice:G31 @requires:wireHost @spec:OPENVMM-CHANNELS-11 @spec:OPENVMM-CHANNELS-12 @half:host
  Rule: A revoke leaves a GPADL the guest is still describing in progress, and its last GPADL_BODY completes it
    A GPADL still waiting for its GPADL_BODY messages is not answered at the revoke; the guest may
    go on sending them, and the last one is answered GPADL_CREATED with success, as for any GPADL
    of a revoked channel not yet released (WHOST-17).
    Source: spec OPENVMM-CHANNELS-11, OPENVMM-CHANNELS-12; choice G31 (README.md#choices-where-the-docs-are-silent)

    Scenario: a GPADL still waiting for its GPADL_BODY when the host revokes
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 30 pages
      When the host revokes channel 1
      Then the host answers, in order:
        | message              | channel | gpadl |
        | RESCIND_CHANNELOFFER | 1       |       |

    Scenario: the guest finishes describing it after the revoke
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 30 pages
      And the host has revoked channel 1
      When the guest sends the last GPADL_BODY for GPADL 0xE1E10
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-21 @normative @spec:OPENVMM-CHANNELS-13 @spec:OPENVMM-CHANNELS-14 @requires:wireHost @half:host
  Rule: An unload forgets the GPADLs in progress, so their ids can be used again after reconnecting
    The host drops a GPADL whose GPADL_BODY messages have not all arrived without a reply (the guest
    that unloads no longer waits for one), and after the guest connects again a GPADL_HEADER with
    the same id on the same channel is accepted.
    Source: spec OPENVMM-CHANNELS-13, OPENVMM-CHANNELS-14

    Scenario: the unload answers nothing for a GPADL in progress
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 30 pages
      When the guest sends UNLOAD
      Then the host answers UNLOAD_RESPONSE

    Scenario: the id of a GPADL in progress is free after reconnecting
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 30 pages
      And the guest has unloaded
      And the guest has reconnected
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-22 @normative @spec:OPENVMM-CHANNELS-13 @spec:OPENVMM-CHANNELS-14 @requires:wireHost @half:host
  Rule: An unload tears down every GPADL and completes only once none of them is in use
    The host tears down the guest's GPADLs itself, without GPADL_TORNDOWN, and answers
    UNLOAD_RESPONSE only when no device on the host still holds one of them. After reconnecting,
    their ids are free again.
    Source: spec OPENVMM-CHANNELS-13, OPENVMM-CHANNELS-14

    Scenario: a device holds an accepted GPADL
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      When the guest sends UNLOAD
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers UNLOAD_RESPONSE

    Scenario: devices hold GPADLs of two channels
      Given the host has offered channel 2
      And the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the guest has created GPADL 0xE1E11 on channel 2 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And a device on the host holds GPADL 0xE1E11 of channel 2
      When the guest sends UNLOAD
      Then the host answers nothing
      When the device releases GPADL 0xE1E11 of channel 2
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers UNLOAD_RESPONSE

    Scenario: a teardown still waiting for a device gets no GPADL_TORNDOWN
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the guest has sent GPADL_TEARDOWN for GPADL 0xE1E10 on channel 1
      When the guest sends UNLOAD
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers UNLOAD_RESPONSE

    Scenario: the id of an accepted GPADL is free after reconnecting
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And the guest has unloaded
      And the guest has reconnected
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0

  @WHOST-23 @reference @choice:G30 @spec:OPENVMM-CHANNELS-14 @spec:OPENVMM-CHANNELS-15 @requires:wireHost @half:host
  Rule: Out of a connection the host hears only INITIATE_CONTACT
    After UNLOAD, while GPADLs are still in use and after UNLOAD_RESPONSE, every other message is
    dropped without a reply, as OpenVMM drops what it cannot parse without a protocol version.
    Source: spec OPENVMM-CHANNELS-14, OPENVMM-CHANNELS-15; choice G30 (README.md#choices-where-the-docs-are-silent)

    Scenario: a GPADL_HEADER after the unload
      Given the guest has unloaded
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers nothing

    Scenario: a GPADL_HEADER while the unload waits for a device
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      And the guest has sent UNLOAD
      When the guest sends a GPADL_HEADER for GPADL 0xE1E11 on channel 1 with 2 pages
      Then the host answers nothing

    Scenario: REQUESTOFFERS and a second UNLOAD after the unload
      Given the guest has unloaded
      When the guest sends REQUESTOFFERS
      Then the host answers nothing
      When the guest sends UNLOAD
      Then the host answers nothing

  @WHOST-24 @reference @choice:G30 @spec:OPENVMM-PROTOCOL-3 @spec:OPENVMM-CHANNELS-16 @requires:wireHost @half:host
  Rule: INITIATE_CONTACT is accepted for the protocol versions 0.13 to 5.3
    VERSION_RESPONSE accepts a version the host speaks with connection_state 0 and, from 5.0, the
    connection id 1 for the guest's later messages; it refuses any other version, 6.0 included, and
    the connection stays down.
    Source: spec OPENVMM-PROTOCOL-3, OPENVMM-CHANNELS-16; choice G30 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: version <version> is accepted
      Given the guest has unloaded
      When the guest sends INITIATE_CONTACT for version <version>
      Then the host answers VERSION_RESPONSE accepting the version, with connection id 1

      Examples:
        | version |
        | 5.0     |
        | 5.3     |

    Scenario: version 4.0 is accepted
      Given the guest has unloaded
      When the guest sends INITIATE_CONTACT for version 4.0
      Then the host answers VERSION_RESPONSE accepting the version

    Scenario Outline: version <version>, older than 5.0, is accepted with the version agreed at offset 12
      Given the guest has unloaded
      When the guest sends INITIATE_CONTACT for version <version>
      Then the host answers VERSION_RESPONSE accepting the version, with version number <number> at offset 12

      Examples:
        | version | number  |
        | 0.13    | 0xD     |
        | 1.1     | 0x10001 |
        | 2.4     | 0x20004 |
        | 3.0     | 0x30000 |
        | 4.0     | 0x40000 |
        | 4.1     | 0x40001 |

    Scenario Outline: version <version>, from 5.0, is accepted with connection id 1
      Given the guest has unloaded
      When the guest sends INITIATE_CONTACT for version <version>
      Then the host answers VERSION_RESPONSE accepting the version, with connection id 1

      Examples:
        | version |
        | 5.1     |
        | 5.2     |

    Scenario Outline: version <version> is refused, and the connection stays down
      Given the guest has unloaded
      When the guest sends INITIATE_CONTACT for version <version>
      Then the host answers VERSION_RESPONSE refusing the version
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers nothing

      Examples:
        | version |
        | 6.0     |
        | 5.4     |
        | 4.2     |
        | 3.1     |
        | 2.0     |
        | 1.0     |
        | 0.12    |

    Scenario: an unknown version number is refused
      Given the guest has unloaded
      When the guest sends INITIATE_CONTACT for version number 0xFFFFFFFF
      Then the host answers VERSION_RESPONSE refusing the version

  @WHOST-25 @reference @choice:G30 @spec:OPENVMM-CHANNELS-17 @requires:wireHost @half:host
  Rule: After reconnecting, REQUESTOFFERS offers again every channel not revoked, under its old id
    The offers outlive the connection and keep their channel ids; a channel the host revoked and the
    guest had not yet released is gone with the unload, as if released. REQUESTOFFERS is answered
    once per connection, with ALLOFFERS_DELIVERED last; the channels the unload closed open again.
    Source: spec OPENVMM-CHANNELS-17; choice G30 (README.md#choices-where-the-docs-are-silent)

    Scenario: two channels offered again
      Given the host has offered channel 2
      And the guest has unloaded
      When the guest sends INITIATE_CONTACT for version 5.0
      And the guest sends REQUESTOFFERS
      Then the host answers, in order:
        | message             | channel |
        | OFFERCHANNEL        | 1       |
        | OFFERCHANNEL        | 2       |
        | ALLOFFERS_DELIVERED |         |

    Scenario: a revoked channel the guest had not released is not offered again
      Given the host has offered channel 2
      And the host has revoked channel 2
      And the guest has unloaded
      When the guest sends INITIATE_CONTACT for version 5.0
      And the guest sends REQUESTOFFERS
      Then the host answers, in order:
        | message             | channel |
        | OFFERCHANNEL        | 1       |
        | ALLOFFERS_DELIVERED |         |

    Scenario Outline: a channel offered again after reconnecting at version <version>
      Given the guest has unloaded
      When the guest sends INITIATE_CONTACT for version <version>
      And the guest sends REQUESTOFFERS
      Then the host answers, in order:
        | message             | channel |
        | OFFERCHANNEL        | 1       |
        | ALLOFFERS_DELIVERED |         |

      Examples:
        | version |
        | 0.13    |
        | 2.4     |
        | 4.1     |

    Scenario: a second REQUESTOFFERS is dropped
      Given the guest has unloaded
      And the guest has reconnected
      When the guest sends REQUESTOFFERS
      Then the host answers nothing

    Scenario: a channel open at the unload opens again
      Given the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      And the guest has opened channel 1 with ring GPADL 0xE1E10
      And the guest has unloaded
      And the guest has reconnected
      And the guest has created GPADL 0xE1E10 on channel 1 with 4 pages
      When the guest sends OPENCHANNEL for channel 1 with ring GPADL 0xE1E10 and downstream page offset 2
      Then the host answers OPENCHANNEL_RESULT for channel 1 with status 0

  @WHOST-26 @reference @choice:G30 @spec:OPENVMM-CHANNELS-14 @requires:wireHost @half:host
  Rule: INITIATE_CONTACT on a live connection resets it as an unload would
    The guest's GPADLs go as at an unload, and VERSION_RESPONSE waits, as UNLOAD_RESPONSE does,
    until no device holds one of them (OpenVMM's reconnect).
    Source: spec OPENVMM-CHANNELS-14; choice G30 (README.md#choices-where-the-docs-are-silent)

    Scenario: the answer waits for the device
      Given the guest has created GPADL 0xE1E10 on channel 1 with 2 pages
      And a device on the host holds GPADL 0xE1E10 of channel 1
      When the guest sends INITIATE_CONTACT for version 5.0
      Then the host answers nothing
      When the device releases GPADL 0xE1E10 of channel 1
      Then the host answers VERSION_RESPONSE accepting the version, with connection id 1

    Scenario: the id of a GPADL in progress is free after the reset
      Given the guest has sent a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 30 pages
      And the guest has reconnected
      When the guest sends a GPADL_HEADER for GPADL 0xE1E10 on channel 1 with 2 pages
      Then the host answers GPADL_CREATED for GPADL 0xE1E10 on channel 1 with status 0
