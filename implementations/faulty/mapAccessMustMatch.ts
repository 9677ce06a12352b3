/**
 * `faulty:mapAccessMustMatch`. The lie: a map must ask for exactly the access the GPADL was created
 * with, so a read-only map of a writable GPADL is refused with STATUS_ACCESS_DENIED.
 *
 * Must be caught by MAP-16 (a read-only map of a writable GPADL succeeds), a reference rule, and by
 * every rule whose scenarios map a writable GPADL read-only on the way: CHAN-18, CHAN-26, CREATE-01,
 * CREATE-03, CREATE-04, DELETE-01, DELETE-02, DELETE-05, DELETE-08, MAP-01, MAP-04, MAP-05, MAP-06,
 * MAP-07, MAP-14, MAP-15, MEM-01, MEM-02, MEM-03, MIG-03, MIG-05, UNMAP-03, UNMAP-04, UNMAP-05 and
 * WIRE-12 (the suite's own maps are read-only unless a scenario asks for write access). As a host
 * half, those of them that judge the host.
 */
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { hasUndefinedBits, isReadOnly, type GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import { STATUS_ACCESS_DENIED } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-18', 'CHAN-26', 'CREATE-01', 'CREATE-03', 'CREATE-04', 'DELETE-01', 'DELETE-02', 'DELETE-05', 'DELETE-08', 'MAP-01', 'MAP-04', 'MAP-05', 'MAP-06', 'MAP-07', 'MAP-14', 'MAP-15', 'MAP-16', 'MEM-01', 'MEM-02', 'MEM-03', 'MIG-03', 'MIG-05', 'UNMAP-03', 'UNMAP-04', 'UNMAP-05', 'WIRE-12'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-18', 'CHAN-26', 'DELETE-02', 'MAP-01', 'MAP-04', 'MAP-05', 'MAP-06', 'MAP-07', 'MAP-14', 'MAP-15', 'MAP-16', 'MEM-01', 'MEM-02', 'MEM-03', 'MIG-03', 'MIG-05', 'UNMAP-03', 'UNMAP-04', 'UNMAP-05'] as const;

class MapAccessMustMatch extends ReferenceVmbus {
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const server = this.live(endpoint);
    const channel = server?.role === 'server' && server.state === 'Opened' && server.channel !== null ? this.host.channel(server.channel) : undefined;
    const entry = channel?.gpadls.get(gpadl);
    const mappable = !hasUndefinedBits(flags) && entry?.state.kind === 'Accepted' && channel?.ring !== entry && !entry.mapped;
    if (!mappable || !isReadOnly(flags) || entry!.readOnly) return super.mapGpadl(endpoint, flags, gpadl);
    return this.traced('VmbChannelMapGpadl', { endpoint, flags, gpadl }, () => ({ status: STATUS_ACCESS_DENIED }));
  }
}

export default faulty('mapAccessMustMatch', 'a read-only map of a writable GPADL is refused', catches, (options) => new MapAccessMustMatch(options), { host: catchesAsHost });
