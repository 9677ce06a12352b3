/**
 * `faulty:unmapFromClientEndsMapping`. The lie: unmap, a server-only function, works on a client
 * endpoint too: it ends the server's mapping of the GPADL.
 *
 * Must be caught by UNMAP-01 (an unmap on a client endpoint leaves the server's mapping and the
 * pending delete alone) and UNMAP-02 (it is recorded as ServerOnlyFunctionOnClient).
 */
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['UNMAP-01', 'UNMAP-02'] as const;

class UnmapFromClientEndsMapping extends ReferenceVmbus {
  override unmapGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): void {
    const known = this.live(endpoint);
    super.unmapGpadl(known?.role === 'client' ? known.server.handle : endpoint, gpadl);
  }
}

export default faulty('unmapFromClientEndsMapping', "unmap on a client endpoint ends the server's mapping", catches, (options) => new UnmapFromClientEndsMapping(options));
