Feature: Unmapping a GPADL (VmbChannelUnmapGpadl)
  The server ends its mapping of a GPADL with an unmap, once it no longer uses the buffer. That
  unmap is what lets a pending delete of the GPADL complete, and after it the GPADL can be mapped
  again. Unmap is a server-only method and returns no status, so misuse cannot be reported to the
  caller; the reference model records it as a contract violation instead.

  Background:
    Given an open channel
    And an 8192-byte buffer "B"
    And the client has created a GPADL "G" for buffer "B"

  @UNMAP-01 @normative @spec:KMCL-SERVER-1 @spec:KMCL-SERVER-2 @half:host
  Rule: An unmap on a client endpoint does not end the server's mapping
    Unmap is one of the server-only methods: called on the client endpoint it does not unmap, so the
    server's mapping stays usable and a pending delete keeps waiting for the server.
    Source: spec KMCL-SERVER-1, KMCL-SERVER-2

    Scenario: the pending delete keeps waiting
      Given the server has mapped "G"
      And the client has started deleting "G"
      When the client unmaps "G"
      Then the delete of "G" is pending

    Scenario: the server's mapping still reads the buffer
      Given the client has written 0xA5 over bytes 0 to 8191 of buffer "B"
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      When the client unmaps "G"
      Then bytes 0 to 8191 of the mapping of "G" hold 0xA5

  @UNMAP-02 @reference @choice:G1 @requires:violations @spec:KMCL-SERVER-1 @spec:KMCL-UNMAP-3 @half:whole
  Rule: An unmap on a client endpoint is recorded as ServerOnlyFunctionOnClient
    The reference model records a server-only function called on a client endpoint.
    Source: spec KMCL-SERVER-1, KMCL-UNMAP-3; choice G1 (README.md#choices-where-the-docs-are-silent)

    Scenario: the client calls unmap
      Given the server has mapped "G"
      When the client unmaps "G"
      Then a ServerOnlyFunctionOnClient violation is recorded for "G"

  @UNMAP-03 @reference @choice:G5 @spec:KMCL-UNMAP-3 @half:host
  Rule: An unmap of anything but a mapped GPADL changes nothing
    An unmap of a GPADL that is not mapped, a second unmap, or an unmap of a handle that is not a
    live GPADL of the channel leaves every GPADL and mapping as it was in the reference model: in
    particular it does not end the mapping of another GPADL.
    Source: spec KMCL-UNMAP-3; choice G5 (README.md#choices-where-the-docs-are-silent)

    Scenario: an unmap without a map leaves the GPADL mappable
      When the server unmaps "G"
      Then the server can still map "G"

    Scenario: a second unmap leaves the GPADL mappable
      Given the server has mapped "G"
      And the server has unmapped "G"
      When the server unmaps "G" again
      Then the server can still map "G"

    Scenario: an unmap of another, unmapped GPADL does not end the mapping
      Given the client has created a GPADL "H" for buffer "B"
      And the server has mapped "G"
      And the client has started deleting "G"
      When the server unmaps "H"
      Then the delete of "G" is pending

    Scenario: an unmap of an unknown handle does not end the mapping
      Given the server has mapped "G"
      And the client has started deleting "G"
      When the server unmaps GPADL handle 0x12345678
      Then the delete of "G" is pending

  @UNMAP-04 @reference @choice:G5 @requires:violations @spec:KMCL-UNMAP-3 @half:host
  Rule: An unmap of a live GPADL that is not mapped is recorded as UnmapWithoutMap
    The reference model records an unmap that has no mapping to end, whether the GPADL was never
    mapped or has been unmapped already.
    Source: spec KMCL-UNMAP-3; choice G5 (README.md#choices-where-the-docs-are-silent)

    Scenario: unmap without map
      When the server unmaps "G"
      Then an UnmapWithoutMap violation is recorded for "G"

    Scenario: unmap twice
      Given the server has mapped "G"
      And the server has unmapped "G"
      When the server unmaps "G" again
      Then an UnmapWithoutMap violation is recorded for "G"

    Scenario: a paired map and unmap is no violation
      Given the server has mapped "G"
      When the server unmaps "G"
      Then no violation is recorded

    Scenario: two paired maps and unmaps are no violation
      Given the server has mapped "G"
      And the server has unmapped "G"
      And the server has mapped "G" read-only
      When the server unmaps "G"
      Then no violation is recorded

    Scenario: an unmap after the second map and unmap
      Given the server has mapped "G"
      And the server has unmapped "G"
      And the server has mapped "G"
      And the server has unmapped "G"
      When the server unmaps "G" again
      Then an UnmapWithoutMap violation is recorded for "G"

  @UNMAP-05 @reference @choice:G5 @requires:violations @spec:KMCL-UNMAP-3 @spec:INFER-4 @half:host
  Rule: An unmap of a handle that is not a live GPADL of the channel is recorded as UnmapOfUnknownGpadl
    A handle never created, handle 0, a deleted GPADL, another channel's GPADL and the ring-buffer
    GPADL are unknown to the server's unmap.
    Source: spec KMCL-UNMAP-3, INFER-4; choice G5 (README.md#choices-where-the-docs-are-silent)

    Scenario: a handle that was never created
      When the server unmaps GPADL handle 0x12345678
      Then an UnmapOfUnknownGpadl violation is recorded for GPADL handle 0x12345678

    Scenario: handle 0
      When the server unmaps GPADL handle 0x0
      Then an UnmapOfUnknownGpadl violation is recorded for GPADL handle 0x0

    Scenario: a deleted GPADL
      Given the client has deleted "G"
      When the server unmaps "G"
      Then an UnmapOfUnknownGpadl violation is recorded for "G"

    Scenario: another channel's GPADL
      Given an open channel "other"
      And the client has created a GPADL "H" for buffer "B" on channel "other"
      And the server of channel "other" can still map "H"
      When the server unmaps "H"
      Then an UnmapOfUnknownGpadl violation is recorded for "H"

    Scenario: the ring-buffer GPADL
      When the server unmaps the ring-buffer GPADL
      Then an UnmapOfUnknownGpadl violation is recorded for the ring-buffer GPADL

  @UNMAP-06 @reference @choice:G21 @spec:KMCL-UNMAP-2 @half:host
  Rule: After the unmap, the server can no longer reach the buffer through the MDL
    The server must be done with the buffer before it unmaps; the reference model makes the MDL that
    map returned useless afterwards: reading or writing through it fails with
    STATUS_INVALID_DEVICE_STATE and, where violations are recorded, is recorded as
    MdlAccessAfterUnmap.
    Source: spec KMCL-UNMAP-2; choice G21 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given the client has written 0x11 over bytes 0 to 8191 of buffer "B"
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      And the server has unmapped "G"

    Scenario: a read after the unmap
      When the server reads bytes 0 to 15 of the mapping of "G"
      Then the read through the mapping fails with STATUS_INVALID_DEVICE_STATE

    Scenario: a write after the unmap does not reach the buffer
      When the server writes 0x5A over bytes 0 to 15 of the mapping of "G"
      Then the write through the mapping fails with STATUS_INVALID_DEVICE_STATE
      And bytes 0 to 15 of buffer "B" hold 0x11

    Scenario: a write after the second unmap does not reach the buffer
      Given the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      And the server has unmapped "G"
      When the server writes 0x5A over bytes 0 to 15 of the mapping of "G"
      Then the write through the mapping fails with STATUS_INVALID_DEVICE_STATE
      And bytes 0 to 15 of buffer "B" hold 0x11

    @requires:violations
    Scenario: the access is recorded
      When the server reads bytes 0 to 15 of the mapping of "G"
      Then the read through the mapping fails
      And an MdlAccessAfterUnmap violation is recorded

  @UNMAP-07 @reference @choice:G21 @spec:KMCL-UNMAP-2 @spec:KMCL-MAP-2 @half:host
  Rule: After the unmap, the MDL cannot be mapped into system virtual address space
    The MDL that map returned dies with the unmap, so the reference model refuses the
    virtual-address step on it afterwards with STATUS_INVALID_DEVICE_STATE and, where violations are
    recorded, records it as MdlAccessAfterUnmap.
    Source: spec KMCL-UNMAP-2, KMCL-MAP-2; choice G21 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given the server has mapped "G"
      And the server has unmapped "G"

    Scenario: the virtual-address step after the unmap
      When the server maps the MDL of "G" into system virtual address space
      Then the system address mapping fails with STATUS_INVALID_DEVICE_STATE

    @requires:violations
    Scenario: the step is recorded
      When the server maps the MDL of "G" into system virtual address space
      Then the system address mapping fails
      And an MdlAccessAfterUnmap violation is recorded
