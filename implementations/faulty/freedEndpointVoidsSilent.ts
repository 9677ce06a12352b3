/**
 * `faulty:freedEndpointVoidsSilent`. The lie: of the void functions, only delete records
 * InvalidEndpointHandle on an endpoint that was cleaned up; unmap, disable and cleanup on a freed
 * endpoint still do nothing, but record nothing either (choice G7).
 *
 * Must be caught by CHAN-22 (a cleaned-up endpoint is an invalid handle: every void function called
 * on it is recorded as InvalidEndpointHandle).
 */
import type { ContractViolation } from '../../src/contract/violations.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-22'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-22'] as const;

class FreedEndpointVoidsSilent extends ReferenceVmbus {
  override violations(): readonly ContractViolation[] {
    return super.violations().filter((violation) => violation.kind !== 'InvalidEndpointHandle' || violation.fn === 'VmbChannelDeleteGpadl');
  }
}

export default faulty('freedEndpointVoidsSilent', 'unmap, disable and cleanup on a cleaned-up endpoint record nothing', catches, (options) => new FreedEndpointVoidsSilent(options), { host: catchesAsHost });
