/**
 * `faulty:recordsNoViolations`. The lie: it claims the `violations` capability but never records
 * a violation: misuse of the void functions is still harmless, just not reported.
 *
 * Must be caught by every rule that expects a violation to be recorded: DELETE-06, DELETE-08,
 * UNMAP-02, UNMAP-04, UNMAP-05, UNMAP-06, UNMAP-07, MEM-06, CHAN-16, CHAN-20, CHAN-22, CHAN-23,
 * CHAN-25 and CHAN-26.
 */
import type { ContractViolation } from '../../src/contract/violations.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = [
  'CHAN-16', 'CHAN-20', 'CHAN-22', 'CHAN-23', 'CHAN-25', 'CHAN-26', 'DELETE-06', 'DELETE-08',
  'MEM-06', 'UNMAP-02', 'UNMAP-04', 'UNMAP-05', 'UNMAP-06', 'UNMAP-07',
] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-20', 'CHAN-22', 'CHAN-25', 'CHAN-26', 'MEM-06', 'UNMAP-04', 'UNMAP-05', 'UNMAP-06', 'UNMAP-07'] as const;

class RecordsNoViolations extends ReferenceVmbus {
  override violations(): readonly ContractViolation[] {
    return [];
  }
}

export default faulty('recordsNoViolations', 'claims the violations capability but records none', catches, (options) => new RecordsNoViolations(options), { host: catchesAsHost });
