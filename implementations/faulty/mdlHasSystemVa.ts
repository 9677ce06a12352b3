/**
 * `faulty:mdlHasSystemVa`. The lie: the MDL that map returns is already mapped into system virtual
 * address space, so the server can touch the buffer without taking that step itself.
 *
 * Must be caught by MAP-15 (a fresh mapping has physical pages only) and MEM-06 (a read or write
 * before the virtual-address step is refused).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MAP-15', 'MEM-06'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['MAP-15', 'MEM-06'] as const;

class MdlHasSystemVa extends ReferenceVmbus {
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const result = super.mapGpadl(endpoint, flags, gpadl);
    const record = result.mdl === undefined ? undefined : this.mdls.get(result.mdl);
    if (record !== undefined) record.systemVa = true;
    return result;
  }
}

export default faulty('mdlHasSystemVa', 'the MDL that map returns already has a system virtual address', catches, (options) => new MdlHasSystemVa(options), { host: catchesAsHost });
