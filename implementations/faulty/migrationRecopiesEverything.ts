/**
 * `faulty:migrationRecopiesEverything`. The lie (capability migration): the final pass ignores the
 * read-only flag and copies again the pages of every GPADL the server has mapped, read-only ones
 * too. The snapshot is never wrong, but the saving the flag exists for is lost, and a write through
 * a read-only mapping no longer shows as the documented hazard.
 *
 * Must be caught by MIG-03 (read-only mappings are not copied again) and MIG-05 (the write through
 * a read-only mapping is missed and reported).
 */
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MIG-03', 'MIG-05'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['MIG-03', 'MIG-05'] as const;

class MigrationRecopiesEverything extends ReferenceVmbus {
  protected override serverWritablePages(writableDuringMigration: ReadonlySet<number>): Iterable<number> {
    return new Set([...super.serverWritablePages(writableDuringMigration), ...this.writeMappedPages(true)]);
  }
}

export default faulty('migrationRecopiesEverything', 'the final pass of a migration copies read-only mappings again too', catches, (options) => new MigrationRecopiesEverything(options), { host: catchesAsHost });
