/**
 * `faulty:unmapDoesNotRelease`. The lie: the server's unmap of a mapped GPADL returns, but the
 * mapping stays: the GPADL stays mapped, its MDL stays usable and a delete waiting for it keeps
 * waiting.
 *
 * Must be caught by the rules that look at what an unmap ends: DELETE-01 (a GPADL mapped and
 * unmapped deletes at once), DELETE-02 and DELETE-07 (the unmap completes waiting deletes),
 * DELETE-03 and DELETE-04 (GPADL_TORNDOWN follows the unmap), MAP-06 and MAP-07 (the GPADL can be
 * mapped again), MAP-01, MAP-04, MAP-14, MAP-15, MEM-01 and MEM-02 (whose scenarios map a GPADL
 * again after an unmap), MEM-05 (the unmap unlocks the buffer of a pending delete), UNMAP-03 and UNMAP-04
 * (a second unmap finds nothing mapped), UNMAP-06 and UNMAP-07 (the MDL is dead after the unmap:
 * no reads or writes, no virtual-address step) and CHAN-26 (a mapping unmapped before the server's
 * disable is no MappingLiveAtDisable); with the capability hostControl, by WIRE-18 (a delete
 * waiting when a host that answers nothing at the revoke rescinds the channel completes once the
 * server unmaps); and, with the capability migration, by MIG-03 (a write mapping released before
 * the migration started is not copied again: here it never was released).
 */
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = [
  'CHAN-26', 'DELETE-01', 'DELETE-02', 'DELETE-03', 'DELETE-04', 'DELETE-07',
  'MAP-01', 'MAP-04', 'MAP-06', 'MAP-07', 'MAP-14', 'MAP-15', 'MEM-01', 'MEM-02', 'MEM-05', 'MIG-03', 'UNMAP-03', 'UNMAP-04', 'UNMAP-06', 'UNMAP-07', 'WIRE-18',
] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-26', 'DELETE-02', 'DELETE-04', 'MAP-01', 'MAP-04', 'MAP-06', 'MAP-07', 'MAP-14', 'MAP-15', 'MEM-01', 'MEM-02', 'MIG-03', 'UNMAP-03', 'UNMAP-04', 'UNMAP-06', 'UNMAP-07'] as const;

class UnmapDoesNotRelease extends ReferenceVmbus {
  /** An unmap of a mapping the server holds is traced like one, and does nothing. */
  override unmapGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): void {
    const server = this.live(endpoint);
    if (server?.role !== 'server' || !server.mappings.has(gpadl)) return super.unmapGpadl(endpoint, gpadl);
    this.log.record({ kind: 'call', fn: 'VmbChannelUnmapGpadl', args: { endpoint, gpadl } });
    this.log.record({ kind: 'return', fn: 'VmbChannelUnmapGpadl' });
  }
}

export default faulty('unmapDoesNotRelease', 'unmap returns, but the mapping stays', catches, (options) => new UnmapDoesNotRelease(options), { host: catchesAsHost });
