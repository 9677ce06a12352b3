/**
 * `faulty:mdlWrongPage`. The lie: the MDL that map returns names one wrong page: the last page
 * frame number of its last MDL is off by one, so the server reads and writes someone else's page
 * there instead of the client's.
 *
 * Must be caught by the rules on the pages of the MDL: MAP-14 (a buffer's pages, in order),
 * CREATE-13, CREATE-14, CREATE-15 and CREATE-16 (the pages of an MDL chain), and by every rule that moves
 * bytes through the mapping: MEM-01, MEM-02 and MEM-03 (client and server see the same bytes),
 * MAP-06 (the first mapping still reads and writes the buffer), UNMAP-01 (a client's unmap leaves
 * the mapping readable) and CHAN-18 (a mapping survives a close); and, with the capability
 * migration, by MIG-02 (the snapshot holds the server's write: it went to a page outside the GPADL)
 * and MIG-05 (the hazard is on the GPADL's pages: the missed write landed elsewhere).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = [
  'CHAN-18', 'CREATE-13', 'CREATE-14', 'CREATE-15', 'CREATE-16', 'MAP-06', 'MAP-14',
  'MEM-01', 'MEM-02', 'MEM-03', 'MIG-02', 'MIG-05', 'UNMAP-01',
] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-18', 'CREATE-13', 'CREATE-14', 'CREATE-15', 'CREATE-16', 'MAP-06', 'MAP-14', 'MEM-01', 'MEM-02', 'MEM-03', 'MIG-02', 'MIG-05', 'UNMAP-01'] as const;

class MdlWrongPage extends ReferenceVmbus {
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const result = super.mapGpadl(endpoint, flags, gpadl);
    const record = result.mdl === undefined ? undefined : this.mdls.get(result.mdl);
    if (record === undefined) return result;
    const last = record.chain.length - 1;
    const span = record.chain[last]!;
    const pfns = Float64Array.from(span.pfns);
    pfns[pfns.length - 1]! += 1;
    this.mdls.set(result.mdl!, { ...record, chain: record.chain.with(last, { ...span, pfns }) });
    return result;
  }
}

export default faulty('mdlWrongPage', 'one page frame number of the MDL that map returns is wrong', catches, (options) => new MdlWrongPage(options), { host: catchesAsHost });
