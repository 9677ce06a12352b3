/**
 * `faulty:allowsDoubleMap`. The lie: a second map of a GPADL that is already mapped succeeds and
 * returns a second MDL, as if the first mapping did not exist.
 *
 * Must be caught by MAP-04 (a second map fails, whatever the flags), MAP-05 (with
 * STATUS_DEVICE_BUSY) and MAP-06 (whose set-up needs the second map to be refused).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import { STATUS_SUCCESS } from '../../src/contract/NtStatus.js';
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MAP-04', 'MAP-05', 'MAP-06'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['MAP-04', 'MAP-05', 'MAP-06'] as const;

class AllowsDoubleMap extends ReferenceVmbus {
  /** Forgets, for the length of the call, that the GPADL is mapped. */
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const server = this.live(endpoint);
    const channel = server?.role === 'server' && server.channel !== null ? this.host.channel(server.channel) : undefined;
    const entry = channel?.gpadls.get(gpadl);
    const forgotten = entry?.mapped === true;
    if (forgotten) entry!.mapped = false;
    const result = super.mapGpadl(endpoint, flags, gpadl);
    if (forgotten && result.status !== STATUS_SUCCESS) entry!.mapped = true;
    return result;
  }
}

export default faulty('allowsDoubleMap', 'a second map of a mapped GPADL succeeds', catches, (options) => new AllowsDoubleMap(options), { host: catchesAsHost });
