Feature: The client's buffer and the server's mapping are the same memory
  A GPADL lets the server reach the client's buffer itself, not a copy: what the client writes, the
  server reads through its mapping, and what the server writes, the client finds in its buffer. The
  buffer is probed and locked from the create until the GPADL is torn down. The read-only flag of a
  map is a hint for live migration and snapshots, not a protection: writes through a read-only
  mapping are not prevented.

  Background:
    Given an open channel

  @MEM-01 @normative @spec:KMCL-MAP-1 @half:guest @half:host
  Rule: What the client writes into its buffer, the server reads through its mapping
    The mapping describes the client's own pages, so bytes the client writes at an offset of its
    buffer are the bytes the server reads at the same offset of the mapping, across page boundaries
    and for buffers that do not start on a page.
    Source: spec KMCL-MAP-1

    Scenario Outline: bytes <first> to <last> of a <size>-byte buffer starting <offset> bytes into its page
      Given a <size>-byte buffer "U" starting <offset> bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      When the client writes 0xA5 over bytes <first> to <last> of buffer "U"
      Then bytes <first> to <last> of the mapping of "G" hold 0xA5

      Examples:
        | size  | offset | first | last  |
        | 12288 | 0      | 0     | 12287 |
        | 12288 | 0      | 4090  | 4105  |
        | 5000  | 100    | 0     | 4999  |
        | 5000  | 3000   | 1000  | 1100  |
        | 2     | 4095   | 0     | 1     |

    Scenario Outline: every byte of a <size>-byte buffer starting <offset> bytes into its page, at its own offset
      Given a <size>-byte buffer "U" starting <offset> bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      When the client writes the counting pattern over bytes 0 to <last> of buffer "U"
      Then bytes 0 to <last> of the mapping of "G" hold the counting pattern

      Examples:
        | size | offset | last |
        | 4095 | 0      | 4094 |
        | 4096 | 0      | 4095 |
        | 4097 | 0      | 4096 |
        | 8193 | 0      | 8192 |
        | 4095 | 1      | 4094 |
        | 4096 | 1      | 4095 |
        | 4097 | 1      | 4096 |
        | 8193 | 1      | 8192 |
        | 4095 | 2048   | 4094 |
        | 4096 | 2048   | 4095 |
        | 4097 | 2048   | 4096 |
        | 8193 | 2048   | 8192 |
        | 4095 | 4095   | 4094 |
        | 4096 | 4095   | 4095 |
        | 4097 | 4095   | 4096 |
        | 8193 | 4095   | 8192 |

    Scenario: a read-only mapping made after a write mapping was unmapped
      Given an 8193-byte buffer "U" starting 2048 bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      And the server has unmapped "G"
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      When the client writes the counting pattern over bytes 0 to 8192 of buffer "U"
      Then bytes 0 to 8192 of the mapping of "G" hold the counting pattern

    Scenario: two GPADLs mapped at once, one of them unmapped: the other still reads its own buffer
      Given a 4097-byte buffer "U" starting 4095 bytes into its first page
      And an 8193-byte buffer "V" starting 1 bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the client has created a GPADL "H" for buffer "V"
      And the server has mapped "G" read-only
      And the server has mapped "H" read-only
      And the server has mapped the MDL of "H" into system virtual address space
      And the server has unmapped "G"
      When the client writes the counting pattern over bytes 0 to 8192 of buffer "V"
      Then bytes 0 to 8192 of the mapping of "H" hold the counting pattern

  @MEM-02 @normative @spec:KMCL-MAP-1 @spec:KMCL-CREATE-2 @half:guest @half:host
  Rule: What the server writes through a write mapping, the client reads in its buffer
    A write mapping gives the server the client's own pages, so bytes it writes at an offset of the
    mapping appear at the same offset of the client's buffer.
    Source: spec KMCL-MAP-1, KMCL-CREATE-2

    Scenario Outline: bytes <first> to <last> of a <size>-byte buffer starting <offset> bytes into its page
      Given a <size>-byte buffer "U" starting <offset> bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      When the server writes 0x5A over bytes <first> to <last> of the mapping of "G"
      Then bytes <first> to <last> of buffer "U" hold 0x5A

      Examples:
        | size  | offset | first | last  |
        | 12288 | 0      | 0     | 12287 |
        | 12288 | 0      | 4090  | 4105  |
        | 5000  | 100    | 0     | 4999  |
        | 5000  | 3000   | 1000  | 1100  |
        | 2     | 4095   | 0     | 1     |

    Scenario Outline: every byte of a <size>-byte buffer starting <offset> bytes into its page, at its own offset
      Given a <size>-byte buffer "U" starting <offset> bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      When the server writes the counting pattern over bytes 0 to <last> of the mapping of "G"
      Then the write through the mapping succeeds
      And bytes 0 to <last> of buffer "U" hold the counting pattern

      Examples:
        | size | offset | last |
        | 4095 | 0      | 4094 |
        | 4096 | 0      | 4095 |
        | 4097 | 0      | 4096 |
        | 8193 | 0      | 8192 |
        | 4095 | 1      | 4094 |
        | 4096 | 1      | 4095 |
        | 4097 | 1      | 4096 |
        | 8193 | 1      | 8192 |
        | 4095 | 2048   | 4094 |
        | 4096 | 2048   | 4095 |
        | 4097 | 2048   | 4096 |
        | 8193 | 2048   | 8192 |
        | 4095 | 4095   | 4094 |
        | 4096 | 4095   | 4095 |
        | 4097 | 4095   | 4096 |
        | 8193 | 4095   | 8192 |

    Scenario: a write mapping made after a read-only mapping was unmapped
      Given an 8193-byte buffer "U" starting 4095 bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      And the server has unmapped "G"
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      When the server writes the counting pattern over bytes 0 to 8192 of the mapping of "G"
      Then the write through the mapping succeeds
      And bytes 0 to 8192 of buffer "U" hold the counting pattern

    Scenario: two GPADLs mapped at once: each write lands in its own buffer
      Given a 4097-byte buffer "U" starting 2048 bytes into its first page
      And an 8193-byte buffer "V" starting 1 bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the client has created a GPADL "H" for buffer "V"
      And the server has mapped "G"
      And the server has mapped "H"
      And the server has mapped the MDL of "G" into system virtual address space
      And the server has mapped the MDL of "H" into system virtual address space
      When the server writes 0x5A over bytes 0 to 4096 of the mapping of "G"
      And the server writes the counting pattern over bytes 0 to 8192 of the mapping of "H"
      Then bytes 0 to 4096 of buffer "U" hold 0x5A
      And bytes 0 to 8192 of buffer "V" hold the counting pattern

    Scenario: GPADLs of two channels: an unmap and a delete on one leave the other's mapping writing its buffer
      Given an open channel "other"
      And a 4097-byte buffer "U" starting 2048 bytes into its first page
      And an 8193-byte buffer "V" starting 1 bytes into its first page
      And the client has created a GPADL "G" for buffer "U"
      And the client has created a GPADL "H" for buffer "V" on channel "other"
      And the server has mapped "G"
      And the server of channel "other" has mapped "H"
      And the server has mapped the MDL of "H" into system virtual address space
      And the server has unmapped "G"
      And the client has deleted "G"
      When the server writes the counting pattern over bytes 0 to 8192 of the mapping of "H"
      Then the write through the mapping succeeds
      And bytes 0 to 8192 of buffer "V" hold the counting pattern

  @MEM-03 @normative @spec:KMCL-MAP-4 @half:guest @half:host
  Rule: Writes through a read-only mapping are not prevented and reach the client's buffer
    The read-only flag of a map only helps live migration and snapshots; a server that writes
    through a read-only mapping is not stopped, and its bytes land in the client's buffer.
    Source: spec KMCL-MAP-4

    Background:
      Given an 8192-byte buffer "B"

    Scenario Outline: a read-only mapping of a GPADL created with flags <flags>
      Given the client has created a GPADL "G" for buffer "B" with flags <flags>
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      When the server writes 0x5A over bytes 0 to 8191 of the mapping of "G"
      Then the write through the mapping succeeds
      And bytes 0 to 8191 of buffer "B" hold 0x5A

      Examples:
        | flags                         |
        | 0                             |
        | VMBUS_CHANNEL_GPADL_READ_ONLY |

    @requires:violations
    Scenario: the write through a read-only mapping is not misuse
      Given the client has created a read-only GPADL "G" for buffer "B"
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      When the server writes 0x5A over bytes 0 to 15 of the mapping of "G"
      Then no violation is recorded

  @MEM-04 @normative @spec:KMCL-CREATE-3 @half:guest
  Rule: The client's buffer stays locked from the create until its GPADL is deleted
    Create probes and locks the buffer, and it stays locked for as long as a GPADL describes it:
    when two GPADLs share a buffer, it stays locked until both are gone.
    Source: spec KMCL-CREATE-3

    Scenario: a buffer no GPADL describes is not locked
      Given an 8192-byte buffer "B"
      Then buffer "B" is not locked

    Scenario: the create locks the buffer
      Given an 8192-byte buffer "B"
      When the client creates a GPADL "G" for buffer "B"
      Then buffer "B" is locked

    Scenario: the delete unlocks the buffer
      Given an 8192-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      When the client deletes "G"
      Then buffer "B" is not locked

    Scenario: the buffer stays locked while another GPADL describes it
      Given an 8192-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the client has created a GPADL "H" for buffer "B"
      When the client deletes "G"
      Then buffer "B" is locked

    @requires:mdl
    Scenario: a GPADL from an MDL chain locks every buffer of the chain
      Given a 4096-byte buffer "A"
      And an 8192-byte buffer "C"
      And an MDL chain "M" over buffers "A" and "C"
      When the client creates a GPADL "G" from MDL "M" starting at byte 0 for 0 bytes
      Then buffer "A" is locked
      And buffer "C" is locked

  @MEM-05 @normative @spec:KMCL-CREATE-3 @spec:KMCL-DELETE-2 @half:guest
  Rule: While a delete waits for the server's unmap, the buffer stays locked
    The GPADL is not torn down before the server unmaps it, so the buffer stays locked through the
    pending delete and is unlocked when the unmap lets the delete complete.
    Source: spec KMCL-CREATE-3, KMCL-DELETE-2

    Background:
      Given an 8192-byte buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"

    Scenario: locked while the delete is pending
      When the client deletes "G"
      Then buffer "B" is locked

    Scenario: unlocked once the unmap completes the delete
      Given the client has started deleting "G"
      When the server unmaps "G"
      Then buffer "B" is not locked

  @MEM-06 @reference @choice:G20 @spec:KMCL-MAP-2 @half:host
  Rule: The server touches a mapped buffer only after mapping its MDL into virtual address space
    Map leaves the MDL without a virtual address; the reference model refuses a read or write
    through the MDL before that step with STATUS_INVALID_DEVICE_STATE and, where violations are
    recorded, records it as MdlAccessWithoutSystemVa.
    Source: spec KMCL-MAP-2; choice G20 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given an 8192-byte buffer "B"
      And the client has written 0x11 over bytes 0 to 8191 of buffer "B"
      And the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"

    Scenario: a read before the virtual address step
      When the server reads bytes 0 to 15 of the mapping of "G"
      Then the read through the mapping fails with STATUS_INVALID_DEVICE_STATE

    Scenario: a write before the virtual address step does not reach the buffer
      When the server writes 0x5A over bytes 0 to 15 of the mapping of "G"
      Then the write through the mapping fails with STATUS_INVALID_DEVICE_STATE
      And bytes 0 to 15 of buffer "B" hold 0x11

    @requires:violations
    Scenario: the access is recorded
      When the server reads bytes 0 to 15 of the mapping of "G"
      Then the read through the mapping fails
      And an MdlAccessWithoutSystemVa violation is recorded

  @MEM-07 @reference @choice:G22 @requires:mdl @spec:KMCL-CREATE-3 @spec:KMCL-MDL-1 @spec:KMCL-MDL-2 @half:guest
  Rule: A GPADL over part of an MDL chain locks only the buffers its bytes lie in
    The buffer a GPADL describes stays locked until the GPADL is torn down; when a create from an
    MDL chain describes only some of its bytes, the reference model probes and locks the buffers
    those bytes lie in and leaves the other buffers of the chain unlocked.
    Source: spec KMCL-CREATE-3, KMCL-MDL-1, KMCL-MDL-2; choice G22 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given a 4096-byte buffer "A"
      And an 8192-byte buffer "C"
      And an MDL chain "M" over buffers "A" and "C"

    Scenario Outline: <length> bytes from byte <start> lie in buffer "<locked>" only
      When the client creates a GPADL "G" from MDL "M" starting at byte <start> for <length> bytes
      Then the create succeeds
      And buffer "<locked>" is locked
      And buffer "<unlocked>" is not locked

      Examples:
        | start | length | locked | unlocked |
        | 0     | 4096   | A      | C        |
        | 100   | 200    | A      | C        |
        | 4096  | 0      | C      | A        |
        | 5000  | 100    | C      | A        |
