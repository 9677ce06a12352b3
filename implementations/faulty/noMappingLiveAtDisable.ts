/**
 * `faulty:noMappingLiveAtDisable`. The lie: the server's disable keeps quiet about the mappings it
 * still holds: no MappingLiveAtDisable is recorded (choice G7), although the rescind lets the
 * guest free pages the server can still reach. Every other violation is still recorded.
 *
 * Must be caught by CHAN-26 (every mapping the server still holds when it disables the channel is
 * recorded as MappingLiveAtDisable).
 */
import type { ContractViolation } from '../../src/contract/violations.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-26'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-26'] as const;

class NoMappingLiveAtDisable extends ReferenceVmbus {
  override violations(): readonly ContractViolation[] {
    return super.violations().filter((violation) => violation.kind !== 'MappingLiveAtDisable');
  }
}

export default faulty('noMappingLiveAtDisable', 'a server disable with a live mapping records nothing', catches, (options) => new NoMappingLiveAtDisable(options), { host: catchesAsHost });
