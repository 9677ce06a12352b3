/**
 * `faulty:migrationForgetsReleasedMappings`. The lie (capability migration): the final pass copies
 * again only the pages of the write mappings that still exist when it runs, forgetting a write
 * mapping the server held during the migration and released before its end (choice G28).
 *
 * Must be caught by MIG-01 (a write mapping released during the migration is copied again) and
 * MIG-02 (the snapshot holds what the server wrote through it).
 */
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MIG-01', 'MIG-02'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['MIG-01', 'MIG-02'] as const;

class MigrationForgetsReleasedMappings extends ReferenceVmbus {
  protected override serverWritablePages(): Iterable<number> {
    return this.writeMappedPages();
  }
}

export default faulty('migrationForgetsReleasedMappings', 'the final pass of a migration forgets write mappings released during it', catches, (options) => new MigrationForgetsReleasedMappings(options), { host: catchesAsHost });
