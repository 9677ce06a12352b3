/**
 * `faulty:mapWhileDeletePending`. The lie: the host treats a GPADL whose delete waits for the
 * server's mapping as handed over to that delete, so a new map of it succeeds and returns a second
 * MDL while the delete is pending.
 *
 * Must be caught by MAP-10 (a map of a GPADL whose delete has begun fails). A delete is pending
 * only while the server holds a mapping, so MAP-10 can fail only where a second map succeeds; this
 * fake lets it succeed there only, and the single-mapping rules (MAP-04 to MAP-06) pass. MAP-09
 * (the server cannot map a GPADL being deleted, STATUS_INVALID_PARAMETER) catches it too.
 */
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import { STATUS_SUCCESS } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MAP-09', 'MAP-10'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = catches;

class MapWhileDeletePending extends ReferenceVmbus {
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const server = this.live(endpoint);
    const channel = server?.role === 'server' && server.channel !== null ? this.host.channel(server.channel) : undefined;
    const entry = channel?.gpadls.get(gpadl);
    if (entry?.state.kind !== 'TearingDown' || !entry.mapped) return super.mapGpadl(endpoint, flags, gpadl);
    const state = entry.state;
    entry.state = { kind: 'Accepted' };
    entry.mapped = false;
    try {
      return super.mapGpadl(endpoint, flags, gpadl);
    } finally {
      entry.state = state;
      entry.mapped = true;
    }
  }
}

export default faulty('mapWhileDeletePending', 'a map of a GPADL whose delete waits for the server succeeds', catches, (options) => new MapWhileDeletePending(options), { host: catchesAsHost });
