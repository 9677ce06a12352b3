/**
 * `faulty:migrationIgnoresServerWrites`. The lie (capability migration): the final pass copies
 * again only what the guest's dirty log names, as if the server's writes through a write mapping
 * reached that log; the pages of a write mapping are never copied again, so the snapshot misses
 * what the server wrote after the first pass.
 *
 * Must be caught by MIG-01 (the pages of a write mapping are copied again) and MIG-02 (the
 * snapshot holds the server's writes).
 */
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MIG-01', 'MIG-02'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['MIG-01', 'MIG-02'] as const;

class MigrationIgnoresServerWrites extends ReferenceVmbus {
  protected override serverWritablePages(): Iterable<number> {
    return [];
  }
}

export default faulty('migrationIgnoresServerWrites', "the final pass of a migration does not copy a write mapping's pages again", catches, (options) => new MigrationIgnoresServerWrites(options), { host: catchesAsHost });
