/**
 * `faulty:migrationHidesHazard`. The lie (capability migration): the migration never reports a
 * missed page, so the snapshot that lost a write through a read-only mapping looks consistent.
 *
 * Must be caught by MIG-05 (the migration reports the hazard).
 */
import type { MigrationReport } from '../../src/contract/Implementation.js';
import type { MigrationResult } from '../../src/model/Migration.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MIG-05'] as const;
/** As a guest half (the guest reports what its snapshot missed), with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class MigrationHidesHazard extends ReferenceVmbus {
  protected override migrationReport(result: MigrationResult): MigrationReport {
    return { ...super.migrationReport(result), missed: [] };
  }
}

export default faulty('migrationHidesHazard', 'a migration reports no missed pages', catches, (options) => new MigrationHidesHazard(options), { guest: catchesAsGuest });
