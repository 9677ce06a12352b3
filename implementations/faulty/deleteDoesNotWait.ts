/**
 * `faulty:deleteDoesNotWait`. The lie: a delete of a GPADL the server has mapped reports itself
 * completed at once, instead of waiting for the server's unmap. (Underneath, the teardown still
 * waits: the host answers GPADL_TORNDOWN after the unmap, and the buffer stays locked until then.)
 *
 * Must be caught by DELETE-02 (the delete of a mapped GPADL is pending until the unmap), DELETE-07
 * (a second delete joins a pending one), UNMAP-01 (a client's unmap does not end the wait),
 * UNMAP-03 (an unmap of another GPADL does not end it) and CHAN-17 (a delete after the close still
 * waits for the mapping).
 */
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { OperationStart } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-17', 'DELETE-02', 'DELETE-07', 'UNMAP-01', 'UNMAP-03'] as const;

class DeleteDoesNotWait extends ReferenceVmbus {
  override deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): OperationStart {
    const start = super.deleteGpadl(endpoint, gpadl);
    if (start.state !== 'pending') return start;
    this.pendingOperations.delete(start.operation);
    return { operation: start.operation, state: 'completed' };
  }
}

export default faulty('deleteDoesNotWait', 'a delete of a mapped GPADL completes at once', catches, (options) => new DeleteDoesNotWait(options));
