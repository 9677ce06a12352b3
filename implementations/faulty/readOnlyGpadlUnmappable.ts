/**
 * `faulty:readOnlyGpadlUnmappable`. The lie: the server's map refuses every map of a read-only
 * GPADL with STATUS_ACCESS_DENIED, looking at the GPADL's flag and not at the access the map asks
 * for.
 *
 * Must be caught by MAP-03 (a read-only map of a GPADL created read-only succeeds), and by the rules
 * whose scenarios map a read-only GPADL on the way: MAP-01, MAP-04, MAP-05, MAP-07, MEM-03, MIG-03
 * and MIG-05.
 */
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { hasUndefinedBits, type GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import { STATUS_ACCESS_DENIED } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MAP-01', 'MAP-03', 'MAP-04', 'MAP-05', 'MAP-07', 'MEM-03', 'MIG-03', 'MIG-05'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = catches;

class ReadOnlyGpadlUnmappable extends ReferenceVmbus {
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const server = this.live(endpoint);
    const channel = server?.role === 'server' && server.state === 'Opened' && server.channel !== null ? this.host.channel(server.channel) : undefined;
    const entry = channel?.gpadls.get(gpadl);
    const mappable = !hasUndefinedBits(flags) && entry?.state.kind === 'Accepted' && channel?.ring !== entry && !entry.mapped;
    if (!mappable || !entry!.readOnly) return super.mapGpadl(endpoint, flags, gpadl);
    return this.traced('VmbChannelMapGpadl', { endpoint, flags, gpadl }, () => ({ status: STATUS_ACCESS_DENIED }));
  }
}

export default faulty('readOnlyGpadlUnmappable', 'every map of a read-only GPADL is refused', catches, (options) => new ReadOnlyGpadlUnmappable(options), { host: catchesAsHost });
