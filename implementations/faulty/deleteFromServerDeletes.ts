/**
 * `faulty:deleteFromServerDeletes`. The lie: delete, a client function, works on a server endpoint
 * too: it deletes the GPADL as the client of that channel would.
 *
 * Must be caught by DELETE-08 (a delete on a server endpoint changes nothing and is recorded as
 * ClientFunctionOnServer).
 */
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { OperationStart } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['DELETE-08'] as const;

class DeleteFromServerDeletes extends ReferenceVmbus {
  override deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): OperationStart {
    const known = this.live(endpoint);
    const client = known?.role === 'server' ? known.client : null;
    return super.deleteGpadl(client !== null ? client.handle : endpoint, gpadl);
  }
}

export default faulty('deleteFromServerDeletes', 'delete on a server endpoint deletes the GPADL', catches, (options) => new DeleteFromServerDeletes(options));
