/**
 * `faulty:deleteNeverCompletes`. The lie: a delete that had to wait for the server's unmap never
 * completes: the unmap lets the host answer GPADL_TORNDOWN, but the waiting delete is never woken.
 * (A delete of a GPADL that is not mapped still completes before it returns.)
 *
 * Must be caught by DELETE-02 and DELETE-07 (the unmap completes the waiting deletes),
 * DELETE-03 and DELETE-04 (the trace shows the completion after GPADL_TORNDOWN) and WIRE-18 (a delete
 * waiting when the channel is rescinded completes on the GPADL_TORNDOWN the revoke or the unmap lets go).
 */
import type { EndpointHandle, GpadlHandle, OperationId } from '../../src/contract/handles.js';
import type { OperationStart } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['DELETE-02', 'DELETE-03', 'DELETE-04', 'DELETE-07', 'WIRE-18'] as const;

class DeleteNeverCompletes extends ReferenceVmbus {
  private deleting = false;

  override deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): OperationStart {
    this.deleting = true;
    try {
      return super.deleteGpadl(endpoint, gpadl);
    } finally {
      this.deleting = false;
    }
  }

  /** Completes a delete only inside the delete call itself; a later completion is lost. */
  protected override completeAll(operations: readonly OperationId[]): void {
    if (this.deleting) super.completeAll(operations);
  }
}

export default faulty('deleteNeverCompletes', 'a delete that waited for the unmap never completes', catches, (options) => new DeleteNeverCompletes(options));
