Feature: Mapping a GPADL (VmbChannelMapGpadl)
  The server endpoint maps a GPADL that the client established, by its handle, and gets back an MDL
  that describes the client's buffer in physical pages only. It may map for write access or, with
  VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY, for read-only access; a GPADL the client created read-only
  cannot be mapped for write. Only one mapping of a GPADL may exist at a time, and every map is
  paired with an unmap. Map belongs to the server-only methods (KMCL_SERVER_ONLY_METHODS).

  Background:
    Given an open channel
    And an 8192-byte buffer "B"

  @MAP-01 @normative @spec:KMCL-MAP-3 @spec:KMCL-CREATE-2 @half:host
  Rule: A map for write access succeeds only for a GPADL created with write access
    Without the read-only flag the server asks for write access, which a GPADL created without the
    read-only flag grants and a GPADL created with it refuses; a refused map returns no MDL.
    Source: spec KMCL-MAP-3, KMCL-CREATE-2

    Scenario Outline: a write map of a GPADL created with flags <flags>
      Given the client has created a GPADL "G" for buffer "B" with flags <flags>
      When the server maps "G" for write access
      Then the map <result>

      Examples:
        | flags                         | result   |
        | 0                             | succeeds |
        | VMBUS_CHANNEL_GPADL_READ_ONLY | fails    |

    Scenario: a refused write map returns no MDL
      Given the client has created a read-only GPADL "G" for buffer "B"
      When the server maps "G" for write access
      Then the map fails
      And no MDL is returned

    Scenario: a read-only GPADL still refuses a write map after a read-only map and unmap
      Given the client has created a read-only GPADL "G" for buffer "B"
      And the server has mapped "G" read-only
      And the server has unmapped "G"
      When the server maps "G" for write access
      Then the map fails
      And no MDL is returned

    Scenario: a writable GPADL still allows a write map after a read-only map and unmap
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G" read-only
      And the server has unmapped "G"
      When the server maps "G" for write access
      Then the map succeeds

  @MAP-02 @reference @choice:G4 @spec:KMCL-MAP-3 @spec:KMCL-MAP-8 @half:host
  Rule: A write map of a read-only GPADL fails with STATUS_ACCESS_DENIED
    The reference model reports the missing write access as access denied.
    Source: spec KMCL-MAP-3, KMCL-MAP-8; choice G4 (README.md#choices-where-the-docs-are-silent)

    Scenario: a write map of a read-only GPADL
      Given the client has created a read-only GPADL "G" for buffer "B"
      When the server maps "G" for write access
      Then the map fails with STATUS_ACCESS_DENIED

  @MAP-03 @normative @spec:KMCL-MAP-3 @half:host
  Rule: A read-only map of a GPADL created read-only succeeds
    A GPADL created without write access can still be mapped: a map with the read-only flag asks
    for no more than the GPADL grants, succeeds, and returns an MDL of the whole buffer.
    Source: spec KMCL-MAP-3

    Scenario Outline: a read-only map of a GPADL created with <flags>
      Given the client has created a GPADL "G" for buffer "B" with flags <flags>
      When the server maps "G" for read-only access
      Then the map succeeds
      And the MDL of "G" describes 8192 bytes

      Examples:
        | flags                              |
        | VMBUS_CHANNEL_GPADL_READ_ONLY      |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

  @MAP-16 @reference @spec:INFER-1 @spec:KMCL-MAP-3 @half:host
  Rule: A read-only map of a writable GPADL succeeds
    The docs say only that a write map of a read-only GPADL fails; that a read-only map of a GPADL
    created with write access succeeds is inferred (read access is less than write access), so an
    implementation may differ here without failing the normative profile.
    Source: spec INFER-1, KMCL-MAP-3

    Scenario: a read-only map of a GPADL created with flags 0
      Given the client has created a GPADL "G" for buffer "B" with flags 0
      When the server maps "G" for read-only access
      Then the map succeeds
      And the MDL of "G" describes 8192 bytes

  @MAP-04 @normative @spec:KMCL-MAP-6 @half:host
  Rule: A second map of a GPADL fails while the first mapping exists, whatever the flags
    Only one mapping of a GPADL may exist at a time, so once the server has mapped it, any further
    map of the same GPADL fails and returns no MDL until the first is unmapped.
    Source: spec KMCL-MAP-6

    Scenario Outline: GPADL created with <create>, mapped with <first>, mapped again with <second>
      Given the client has created a GPADL "G" for buffer "B" with flags <create>
      And the server has mapped "G" with flags <first>
      When the server maps "G" again with flags <second>
      Then the map fails
      And no MDL is returned

      Examples:
        | create                        | first                              | second                             |
        | 0                             | 0                                  | 0                                  |
        | 0                             | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | 0                             | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |
        | 0                             | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | VMBUS_CHANNEL_GPADL_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | VMBUS_CHANNEL_GPADL_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |

    Scenario Outline: the mapping made after an unmap (<first>, then <second>) is the only one too
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G" with flags <first>
      And the server has unmapped "G"
      And the server has mapped "G" with flags <second>
      When the server maps "G" again with flags <third>
      Then the map fails
      And no MDL is returned

      Examples:
        | first                              | second                             | third                              |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |
        | 0                                  | 0                                  | 0                                  |

  @MAP-05 @reference @choice:G4 @choice:G12 @spec:KMCL-MAP-6 @spec:KMCL-MAP-8 @spec:OPENVMM-GPADL-1 @half:host
  Rule: A second map fails with STATUS_DEVICE_BUSY, whatever the flags
    The reference model checks for an existing mapping before it looks at the access asked for, so
    even a write map of a read-only GPADL that is already mapped reports the device as busy.
    Source: spec KMCL-MAP-6, KMCL-MAP-8, OPENVMM-GPADL-1; choices G4, G12 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: GPADL created with <create>, mapped with <first>, mapped again with <second>
      Given the client has created a GPADL "G" for buffer "B" with flags <create>
      And the server has mapped "G" with flags <first>
      When the server maps "G" again with flags <second>
      Then the map fails with STATUS_DEVICE_BUSY

      Examples:
        | create                        | first                              | second                             |
        | 0                             | 0                                  | 0                                  |
        | 0                             | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | 0                             | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |
        | 0                             | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | VMBUS_CHANNEL_GPADL_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | VMBUS_CHANNEL_GPADL_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |

  @MAP-06 @reference @spec:INFER-2 @spec:KMCL-MAP-6 @half:host
  Rule: A refused second map leaves the first mapping intact
    The map that fails changes nothing: through the first mapping the server still reads and writes
    the client's buffer, and unmapping it still ends the one mapping there is. The docs forbid the
    second mapping but do not say what its failure leaves behind, so this is inferred.
    Source: spec INFER-2, KMCL-MAP-6

    Background:
      Given the client has created a GPADL "G" for buffer "B"
      And the client has written 0xA5 over bytes 0 to 8191 of buffer "B"

    Scenario Outline: the first mapping (<first>) still reads the buffer after a second map with <second>
      Given the server has mapped "G" with flags <first>
      And the server has mapped the MDL of "G" into system virtual address space
      When the server maps "G" again with flags <second>
      Then the map fails
      And bytes 0 to 8191 of the mapping of "G" hold 0xA5

      Examples:
        | first                              | second                             |
        | 0                                  | 0                                  |
        | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

    Scenario Outline: the first write mapping still writes the buffer after a second map with <second>
      Given the server has mapped "G" with flags 0
      And the server has mapped the MDL of "G" into system virtual address space
      And a second map of "G" with flags <second> has been refused
      When the server writes 0x5A over bytes 4000 to 4200 of the mapping of "G"
      Then bytes 4000 to 4200 of buffer "B" hold 0x5A

      Examples:
        | second                             |
        | 0                                  |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

    Scenario Outline: unmapping the first mapping (<first>) ends the only mapping
      Given the server has mapped "G" with flags <first>
      And a second map of "G" with flags <second> has been refused
      And the server has unmapped "G"
      When the client deletes "G"
      Then the delete of "G" has completed

      Examples:
        | first                              | second                             |
        | 0                                  | 0                                  |
        | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

  @MAP-07 @normative @spec:KMCL-MAP-6 @spec:KMCL-MAP-7 @spec:KMCL-UNMAP-1 @spec:INFER-3 @half:host
  Rule: After an unmap, the GPADL can be mapped again
    The docs allow a single mapping of a GPADL "at a time" and pair every map with an unmap, so the
    limit holds only while a mapping exists: once the server has unmapped the GPADL, a new map with
    any access the GPADL allows succeeds.
    Source: spec KMCL-MAP-6, KMCL-MAP-7, KMCL-UNMAP-1, INFER-3

    Scenario Outline: GPADL created with <create>, mapped with <first>, unmapped, mapped with <second>
      Given the client has created a GPADL "G" for buffer "B" with flags <create>
      And the server has mapped "G" with flags <first>
      And the server has unmapped "G"
      When the server maps "G" again with flags <second>
      Then the map succeeds

      Examples:
        | create                        | first                              | second                             |
        | 0                             | 0                                  | 0                                  |
        | 0                             | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | 0                             | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |
        | VMBUS_CHANNEL_GPADL_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

    Scenario Outline: a third map, after two maps and unmaps (<first>, then <second>)
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G" with flags <first>
      And the server has unmapped "G"
      And the server has mapped "G" with flags <second>
      And the server has unmapped "G"
      When the server maps "G" again with flags <third>
      Then the map succeeds

      Examples:
        | first                              | second                             | third                              |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |
        | 0                                  | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY | 0                                  |

    Scenario: two GPADLs of the channel mapped at once, each unmapped and mapped again
      Given the client has created a GPADL "G" for buffer "B"
      And the client has created a GPADL "H" for buffer "B"
      And the server has mapped "G"
      And the server has mapped "H" read-only
      And the server has unmapped "G"
      When the server maps "G" again with flags VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY
      Then the map succeeds
      And the server has unmapped "H"
      And the server can still map "H"

  @MAP-08 @normative @spec:KMCL-MAP-5 @spec:INFER-4 @half:host
  Rule: A map fails for a handle that is not a GPADL the client established on this channel
    The GPADL must have been established by the client of the same channel and not yet deleted; a
    handle that was never created, handle 0, a deleted GPADL and another channel's GPADL all fail
    and return no MDL.
    Source: spec KMCL-MAP-5, INFER-4

    Scenario: a handle that was never created
      When the server maps GPADL handle 0x12345678
      Then the map fails
      And no MDL is returned

    Scenario: handle 0
      When the server maps GPADL handle 0x0
      Then the map fails
      And no MDL is returned

    Scenario: a deleted GPADL
      Given the client has created a GPADL "G" for buffer "B"
      And the client has deleted "G"
      When the server maps "G" for write access
      Then the map fails
      And no MDL is returned

    Scenario: a GPADL of another channel
      Given an open channel "other"
      And the client has created a GPADL "H" for buffer "B" on channel "other"
      When the server maps "H" for write access
      Then the map fails
      And no MDL is returned

    Scenario: the same GPADL through its own channel
      Given an open channel "other"
      And the client has created a GPADL "H" for buffer "B" on channel "other"
      When the server of channel "other" maps "H"
      Then the map succeeds

  @MAP-09 @reference @choice:G4 @spec:KMCL-MAP-5 @spec:KMCL-MAP-8 @spec:INFER-4 @half:host
  Rule: A map of a handle that is not a live GPADL of this channel fails with STATUS_INVALID_PARAMETER
    The reference model answers every handle it does not accept for mapping with invalid parameter:
    unknown, 0, deleted, another channel's, the ring-buffer GPADL that the open uses, and a GPADL
    whose delete is pending (checked before whether it is already mapped).
    Source: spec KMCL-MAP-5, KMCL-MAP-8, INFER-4; choice G4 (README.md#choices-where-the-docs-are-silent)

    Scenario: a handle that was never created
      When the server maps GPADL handle 0x12345678
      Then the map fails with STATUS_INVALID_PARAMETER

    Scenario: handle 0
      When the server maps GPADL handle 0x0
      Then the map fails with STATUS_INVALID_PARAMETER

    Scenario: a deleted GPADL
      Given the client has created a GPADL "G" for buffer "B"
      And the client has deleted "G"
      When the server maps "G" for write access
      Then the map fails with STATUS_INVALID_PARAMETER

    Scenario: a GPADL of another channel
      Given an open channel "other"
      And the client has created a GPADL "H" for buffer "B" on channel "other"
      When the server maps "H" for write access
      Then the map fails with STATUS_INVALID_PARAMETER

    Scenario: the ring-buffer GPADL of the channel
      When the server maps the ring-buffer GPADL
      Then the map fails with STATUS_INVALID_PARAMETER

    Scenario: a mapped GPADL whose delete is pending
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      And the client has started deleting "G"
      When the server maps "G" again with flags VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY
      Then the map fails with STATUS_INVALID_PARAMETER

  @MAP-10 @normative @spec:OPENVMM-GPADL-1 @spec:KMCL-DELETE-1 @half:host
  Rule: A map of a GPADL whose delete has begun fails
    Once the client has started deleting a GPADL, the server can no longer take a new mapping of it,
    even while the delete waits for the server's current mapping.
    Source: spec OPENVMM-GPADL-1, KMCL-DELETE-1

    Scenario Outline: a map with <flags> while the delete is pending
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      And the client has started deleting "G"
      When the server maps "G" again with flags <flags>
      Then the map fails
      And no MDL is returned

      Examples:
        | flags                              |
        | 0                                  |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

  @MAP-11 @reference @choice:G2 @spec:HDR-FLAGS-1 @spec:KMCL-MAP-8 @half:host
  Rule: A map with a flag bit other than 0x1 fails with STATUS_INVALID_PARAMETER before anything else
    The reference model checks the flags first: an undefined bit is refused even where the map
    would otherwise fail for another reason, and the refused map leaves no mapping behind.
    Source: spec HDR-FLAGS-1, KMCL-MAP-8; choice G2 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: a map of a writable GPADL with flags <flags>
      Given the client has created a GPADL "G" for buffer "B"
      When the server maps "G" with flags <flags>
      Then the map fails with STATUS_INVALID_PARAMETER
      And no MDL is returned

      Examples:
        | flags      |
        | 0x2        |
        | 0x3        |
        | 0x80000000 |
        | 0xFFFFFFFE |

    Scenario: flags 0x2 ask a read-only GPADL for write access, but the undefined bit is reported
      Given the client has created a read-only GPADL "G" for buffer "B"
      When the server maps "G" with flags 0x2
      Then the map fails with STATUS_INVALID_PARAMETER

    Scenario: an already mapped GPADL, but the undefined bit is reported
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      When the server maps "G" again with flags 0x3
      Then the map fails with STATUS_INVALID_PARAMETER

    Scenario: a map refused for its flags leaves nothing mapped
      Given the client has created a GPADL "G" for buffer "B"
      And a map of "G" with flags 0x3 has been refused
      When the client deletes "G"
      Then the delete of "G" has completed

  @MAP-12 @normative @spec:KMCL-MAP-9 @spec:KMCL-SERVER-1 @spec:KMCL-SERVER-2 @half:whole
  Rule: A map on a client endpoint fails
    Map is one of the server-only methods: a client endpoint cannot map a GPADL, not even one it
    created itself, and gets no MDL.
    Source: spec KMCL-MAP-9, KMCL-SERVER-1, KMCL-SERVER-2

    Scenario: the client tries to map its own GPADL
      Given the client has created a GPADL "G" for buffer "B"
      When the client maps "G"
      Then the map fails
      And no MDL is returned

  @MAP-13 @reference @choice:G1 @spec:KMCL-MAP-9 @spec:KMCL-MAP-8 @half:whole
  Rule: A map on a client endpoint fails with STATUS_INVALID_DEVICE_REQUEST
    The reference model reports a server-only function called on a client endpoint as an invalid
    device request.
    Source: spec KMCL-MAP-9, KMCL-MAP-8; choice G1 (README.md#choices-where-the-docs-are-silent)

    Scenario: the client tries to map its own GPADL
      Given the client has created a GPADL "G" for buffer "B"
      When the client maps "G"
      Then the map fails with STATUS_INVALID_DEVICE_REQUEST

  @MAP-14 @normative @spec:KMCL-MAP-1 @half:host
  Rule: The MDL that map returns describes exactly the GPADL's bytes and pages
    The MDL starts at the buffer's offset in its first page, covers the byte count the GPADL was
    created with, and names the same page frame numbers as the client's buffer, in the same order.
    Source: spec KMCL-MAP-1

    Scenario Outline: a <size>-byte buffer starting <offset> bytes into its first page
      Given a <size>-byte buffer "U" starting <offset> bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      When the server maps "G" for write access
      Then the MDL of "G" starts <offset> bytes into its first page
      And the MDL of "G" describes <size> bytes
      And the MDL of "G" lists the page frame numbers of buffer "U" in order

      Examples:
        | size   | offset |
        | 1      | 0      |
        | 4096   | 0      |
        | 4097   | 0      |
        | 12288  | 0      |
        | 100    | 4000   |
        | 4000   | 100    |
        | 10000  | 2048   |
        | 2      | 4095   |
        | 40960  | 1      |
        | 4095   | 0      |
        | 8193   | 0      |
        | 4095   | 1      |
        | 4096   | 1      |
        | 4097   | 1      |
        | 8193   | 1      |
        | 4095   | 2048   |
        | 4096   | 2048   |
        | 4097   | 2048   |
        | 8193   | 2048   |
        | 4095   | 4095   |
        | 4096   | 4095   |
        | 4097   | 4095   |
        | 8193   | 4095   |
        | 110592 | 0      |
        | 110592 | 1      |
        | 221184 | 1      |
        | 819200 | 2048   |

    Scenario Outline: a GPADL over the first <bytes> bytes of a 12288-byte buffer
      Given a 12288-byte buffer "U"
      And the client has created a GPADL "G" for <bytes> bytes of buffer "U"
      When the server maps "G" for write access
      Then the MDL of "G" describes <bytes> bytes
      And the MDL of "G" lists the first <pages> page frame numbers of buffer "U"

      Examples:
        | bytes | pages |
        | 1     | 1     |
        | 4096  | 1     |
        | 4097  | 2     |
        | 12287 | 3     |

    Scenario Outline: the mapping made after an unmap of a <size>-byte buffer <offset> bytes into its page
      Given a <size>-byte buffer "U" starting <offset> bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the server has mapped "G" read-only
      And the server has unmapped "G"
      When the server maps "G" for write access
      Then the MDL of "G" starts <offset> bytes into its first page
      And the MDL of "G" describes <size> bytes
      And the MDL of "G" lists the page frame numbers of buffer "U" in order

      Examples:
        | size  | offset |
        | 4097  | 4095   |
        | 8193  | 1      |
        | 12288 | 2048   |

    Scenario: two GPADLs mapped at once each describe their own buffer
      Given a 4097-byte buffer "U" starting 2048 bytes into its first page
      And an 8193-byte buffer "V" starting 1 bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the client has created a GPADL "H" for buffer "V"
      And the server has mapped "G"
      When the server maps "H" for write access
      Then the MDL of "H" starts 1 bytes into its first page
      And the MDL of "H" describes 8193 bytes
      And the MDL of "H" lists the page frame numbers of buffer "V" in order
      And the MDL of "G" starts 2048 bytes into its first page
      And the MDL of "G" describes 4097 bytes
      And the MDL of "G" lists the page frame numbers of buffer "U" in order

  @MAP-15 @normative @spec:KMCL-MAP-2 @half:host
  Rule: The MDL that map returns has no virtual address until the server maps it
    Map only makes the buffer reachable in physical address space; the MDL gets a system virtual
    address only when the server takes that extra step itself.
    Source: spec KMCL-MAP-2

    Scenario Outline: a fresh mapping with flags <flags> has physical pages only
      Given the client has created a GPADL "G" for buffer "B"
      When the server maps "G" with flags <flags>
      Then the map succeeds
      And the MDL of "G" has no system virtual address

      Examples:
        | flags                              |
        | 0                                  |
        | VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY |

    Scenario: the server maps the MDL into system virtual address space itself
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      When the server maps the MDL of "G" into system virtual address space
      Then the system address mapping succeeds
      And the MDL of "G" has a system virtual address

    Scenario: the mapping made after an unmap of a mapping with a system virtual address has physical pages only
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      And the server has unmapped "G"
      When the server maps "G" for write access
      Then the map succeeds
      And the MDL of "G" has no system virtual address
