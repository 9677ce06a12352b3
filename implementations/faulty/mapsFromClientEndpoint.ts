/**
 * `faulty:mapsFromClientEndpoint`. The lie: map, a server-only function, works on a client
 * endpoint too: it maps the GPADL as the server of that channel would.
 *
 * Must be caught by MAP-12 (a map on a client endpoint fails) and MAP-13 (with
 * STATUS_INVALID_DEVICE_REQUEST).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MAP-12', 'MAP-13'] as const;

class MapsFromClientEndpoint extends ReferenceVmbus {
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const known = this.live(endpoint);
    return super.mapGpadl(known?.role === 'client' ? known.server.handle : endpoint, flags, gpadl);
  }
}

export default faulty('mapsFromClientEndpoint', 'map on a client endpoint succeeds', catches, (options) => new MapsFromClientEndpoint(options));
