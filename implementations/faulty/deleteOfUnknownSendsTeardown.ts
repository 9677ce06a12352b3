/**
 * `faulty:deleteOfUnknownSendsTeardown`. The lie: a delete of a handle the guest never sent a
 * GPADL_HEADER for (a handle never created, or 0) still records DeleteOfUnknownGpadl and completes
 * at once, but first sends GPADL_TEARDOWN for it on the channel (choice G3 says it sends nothing);
 * the host drops it without a reply. (It tells such a handle by its own trace.)
 *
 * Must be caught by DELETE-05 (a delete of a handle that is not a live GPADL of the channel sends
 * nothing).
 */
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { OperationStart } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['DELETE-05'] as const;

class DeleteOfUnknownSendsTeardown extends ReferenceVmbus {
  override deleteGpadl(endpoint: EndpointHandle, gpadl: GpadlHandle): OperationStart {
    const client = this.live(endpoint);
    const everSent = this.log.events.some((event) => event.kind === 'message' && event.message.type === 'GPADL_HEADER' && event.message.gpadl === gpadl);
    const start = super.deleteGpadl(endpoint, gpadl);
    if (client?.role === 'client' && client.channel !== null && !everSent) {
      // Sent inside the call: the teardown goes out, then the call's return moves after it.
      const events = this.log.events;
      const returned = events.findLastIndex((event) => event.kind === 'return' && event.fn === 'VmbChannelDeleteGpadl');
      const [returnEvent] = returned === -1 ? [] : events.splice(returned, 1);
      this.wire.toHost({ type: 'GPADL_TEARDOWN', childRelid: client.channel, gpadl });
      if (returnEvent !== undefined) events.push(returnEvent);
    }
    return start;
  }
}

export default faulty('deleteOfUnknownSendsTeardown', 'a delete of a handle never created sends GPADL_TEARDOWN', catches, (options) => new DeleteOfUnknownSendsTeardown(options));
