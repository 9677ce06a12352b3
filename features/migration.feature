Feature: Snapshot and live migration: the documented reason for the read-only flag
  The map page says the read-only flag "is used to improve the performance of live migration and
  snapshotting", and that it does not stop the caller writing. With the capability `migration` the
  suite makes that reason executable. A migration copies guest memory by pre-copy: the first pass
  copies every page while the guest runs and starts the guest's dirty-page log; the final pass copies
  again what may have changed. The host's writes through a mapped GPADL never reach the guest's dirty
  log, so the pages the server can write (those of a GPADL mapped for write) must be copied again
  whether or not anyone wrote them, while pages mapped only read-only need not be: that is the
  saving. The caveat follows: a write through a read-only mapping succeeds, and the snapshot misses
  it, a consistency hazard the migration must report.

  The page gives the flag's purpose only, not how a migration must behave, so every rule here is
  `@reference` (the level of what the docs only imply) and cites choice G28, which says how the
  reference model migrates. A snapshot that kept what was written through a write mapping would be
  the only way the purpose could hold, but the page does not state it.

  Background:
    Given an open channel
    And an 8192-byte buffer "B"

  @MIG-01 @reference @choice:G28 @requires:migration @spec:KMCL-MAP-4 @spec:KMCL-CREATE-2 @half:guest @half:host
  Rule: The pages of a GPADL mapped for write are copied again in the final pass, written or not
    The guest's dirty log never sees the server's writes, so the final pass copies again every page
    of a GPADL that was mapped for write at any time during the migration (held throughout, made
    during it, or released during it), even when nobody wrote to it.
    Source: spec KMCL-MAP-4, KMCL-CREATE-2; choice G28 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given the client has created a GPADL "G" for buffer "B"

    Scenario: a write mapping held through the migration
      Given the server has mapped "G"
      And a migration has started
      When the migration finishes
      Then the migration copied the pages of buffer "B" again for the server

    Scenario: a write mapping made and released during the migration
      Given a migration has started
      And the server has mapped "G"
      And the server has unmapped "G"
      When the migration finishes
      Then the migration copied the pages of buffer "B" again for the server

    Scenario: a write mapping made before the migration and released during it
      Given the server has mapped "G"
      And a migration has started
      And the server has unmapped "G"
      When the migration finishes
      Then the migration copied the pages of buffer "B" again for the server

    Scenario: a write mapping held through two migrations in sequence
      Given the server has mapped "G"
      And a migration has started
      And the migration finishes
      And a migration has started
      When the migration finishes
      Then the migration copied the pages of buffer "B" again for the server

  @MIG-02 @reference @choice:G28 @requires:migration @spec:KMCL-MAP-4 @half:guest @half:host
  Rule: The snapshot holds what the server wrote through a write mapping during the migration
    Because the pages of a write mapping are copied again in the final pass, the snapshot keeps the
    bytes the server wrote through it after the first pass, and the migration reports no hazard.
    Source: spec KMCL-MAP-4; choice G28 (README.md#choices-where-the-docs-are-silent)

    Background:
      Given the client has created a GPADL "G" for buffer "B"

    Scenario: the server writes through a mapping it holds
      Given the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      And a migration has started
      When the server writes 0x5A over bytes 100 to 5000 of the mapping of "G"
      And the migration finishes
      Then bytes 100 to 5000 of the snapshot of buffer "B" hold 0x5A
      And the snapshot of buffer "B" holds the bytes of the buffer
      And the migration reports no consistency hazard

    Scenario: the server writes through a mapping it makes and releases during the migration
      Given a migration has started
      And the server has mapped "G"
      And the server has mapped the MDL of "G" into system virtual address space
      When the server writes 0x5A over bytes 0 to 8191 of the mapping of "G"
      And the server unmaps "G"
      And the migration finishes
      Then bytes 0 to 8191 of the snapshot of buffer "B" hold 0x5A
      And the migration reports no consistency hazard

  @MIG-03 @reference @choice:G28 @requires:migration @spec:KMCL-MAP-4 @spec:KMCL-CREATE-2 @half:guest @half:host
  Rule: The pages of a GPADL mapped only read-only are not copied again: the saving
    A read-only mapping tells the migration that the server will not write, so its pages are copied
    once, in the first pass, and not again; nor are the pages of a write mapping released before
    the migration started. (A read-only GPADL cannot be mapped for write: MAP-01.)
    Source: spec KMCL-MAP-4, KMCL-CREATE-2; choice G28 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: a GPADL created with flags <created>, mapped read-only
      Given the client has created a GPADL "G" for buffer "B" with flags <created>
      And the server has mapped "G" read-only
      And a migration has started
      When the migration finishes
      Then the migration did not copy the pages of buffer "B" again

      Examples:
        | created                       |
        | 0                             |
        | VMBUS_CHANNEL_GPADL_READ_ONLY |

    Scenario: a write mapping released before the migration started
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      And the server has unmapped "G"
      And a migration has started
      When the migration finishes
      Then the migration did not copy the pages of buffer "B" again

    Scenario: a write mapping released during the first of two migrations does not count in the second
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G"
      And a migration has started
      And the server has unmapped "G"
      And the migration finishes
      And a migration has started
      When the migration finishes
      Then the migration did not copy the pages of buffer "B" again

  @MIG-04 @reference @choice:G28 @requires:migration @half:guest @half:host
  Rule: A page the guest writes during the migration is copied again
    The guest's own writes reach its dirty log, so the final pass copies again exactly the pages the
    guest wrote after the first pass, and the snapshot holds those writes.
    Source: choice G28 (README.md#choices-where-the-docs-are-silent)

    Scenario: the guest writes one byte in the second page of its buffer
      Given the client has created a GPADL "G" for buffer "B"
      And a migration has started
      When the client writes 0xA5 over bytes 5000 to 5000 of buffer "B"
      And the migration finishes
      Then the migration copied page 1 of buffer "B" again for the guest
      And the migration did not copy page 0 of buffer "B" again
      And bytes 5000 to 5000 of the snapshot of buffer "B" hold 0xA5
      And the migration reports no consistency hazard

    Scenario: a page the guest wrote during the first of two migrations is not copied again in the second
      Given the client has created a GPADL "G" for buffer "B"
      And a migration has started
      And the client has written 0xA5 over bytes 5000 to 5000 of buffer "B"
      And the migration finishes
      And a migration has started
      When the migration finishes
      Then the migration did not copy page 1 of buffer "B" again
      And bytes 5000 to 5000 of the snapshot of buffer "B" hold 0xA5

  @MIG-05 @reference @choice:G28 @spec:KMCL-MAP-4 @requires:migration @half:guest @half:host
  Rule: A write through a read-only mapping reaches the buffer, and the migration reports it as a hazard
    The documented caveat: the read-only flag does not stop the server writing (MEM-03), but the
    migration does not copy those pages again, so the snapshot misses the write. The migration
    must say so: it lists the pages whose saved bytes differ from memory as missed.
    Source: spec KMCL-MAP-4; choice G28 (README.md#choices-where-the-docs-are-silent)

    Scenario Outline: a GPADL created with flags <created>, mapped read-only and written
      Given the client has created a GPADL "G" for buffer "B" with flags <created>
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      And a migration has started
      When the server writes 0x5A over bytes 0 to 8191 of the mapping of "G"
      And the migration finishes
      Then the write through the mapping succeeds
      And bytes 0 to 8191 of buffer "B" hold 0x5A
      And the migration reports a consistency hazard on the pages of GPADL "G"
      And the snapshot of buffer "B" differs from the buffer

      Examples:
        | created                       |
        | 0                             |
        | VMBUS_CHANNEL_GPADL_READ_ONLY |

    Scenario: a write through a read-only mapping in each of two migrations is reported by each
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      And a migration has started
      And the server writes 0x5A over bytes 0 to 8191 of the mapping of "G"
      And the migration finishes
      And a migration has started
      When the server writes 0x3C over bytes 0 to 8191 of the mapping of "G"
      And the migration finishes
      Then the migration reports a consistency hazard on the pages of GPADL "G"
      And bytes 0 to 8191 of buffer "B" hold 0x3C

    Scenario: after a migration that reported a hazard, a migration without writes reports none
      Given the client has created a GPADL "G" for buffer "B"
      And the server has mapped "G" read-only
      And the server has mapped the MDL of "G" into system virtual address space
      And a migration has started
      And the server writes 0x5A over bytes 0 to 8191 of the mapping of "G"
      And the migration finishes
      And a migration has started
      When the migration finishes
      Then the migration reports no consistency hazard
      And bytes 0 to 8191 of the snapshot of buffer "B" hold 0x5A

  @MIG-06 @reference @choice:G28 @requires:migration @half:guest @half:host
  Rule: Migration calls out of order fail with STATUS_INVALID_DEVICE_STATE
    A second migration cannot start while one runs, a migration cannot finish when none runs, and
    there is no snapshot to read before a migration has finished.
    Source: choice G28 (README.md#choices-where-the-docs-are-silent)

    Scenario: a second migration while one runs
      Given a migration has started
      When another migration starts
      Then the migration start fails with STATUS_INVALID_DEVICE_STATE

    Scenario: a finish with no migration running
      When the migration finishes
      Then the migration finish fails with STATUS_INVALID_DEVICE_STATE

    Scenario: a snapshot read before any migration finished
      Given a migration has started
      When bytes 0 to 7 of the snapshot of buffer "B" are read
      Then the snapshot read fails with STATUS_INVALID_DEVICE_STATE
