/**
 * `faulty:mdlWrongByteOffset`. The lie: the MDL that map returns forgets where the bytes start in
 * their first page: its byte offset is always 0, so for a buffer that does not start on a page
 * boundary the server sees the bytes shifted.
 *
 * Must be caught by MAP-14 (the MDL starts at the buffer's offset in its first page), CREATE-15
 * (and at the start offset of an MDL chain), and MEM-01 and MEM-02 (client and server see the same
 * bytes at the same offsets of an unaligned buffer), and CREATE-13 and CREATE-16 (the pages, bytes
 * and MDLs of a chain whose parts start mid-page).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-13', 'CREATE-15', 'CREATE-16', 'MAP-14', 'MEM-01', 'MEM-02'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CREATE-13', 'CREATE-15', 'CREATE-16', 'MAP-14', 'MEM-01', 'MEM-02'] as const;

class MdlWrongByteOffset extends ReferenceVmbus {
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const result = super.mapGpadl(endpoint, flags, gpadl);
    const record = result.mdl === undefined ? undefined : this.mdls.get(result.mdl);
    if (record === undefined) return result;
    this.mdls.set(result.mdl!, { ...record, chain: record.chain.map((span) => ({ ...span, byteOffset: 0 })) });
    return result;
  }
}

export default faulty('mdlWrongByteOffset', 'the MDL that map returns has byte offset 0 whatever the buffer', catches, (options) => new MdlWrongByteOffset(options), { host: catchesAsHost });
