/**
 * `faulty:enableTracedBeforeOpen`. The lie: the trace records the return of a client enable right
 * after its call, before the messages of the open it starts, as an implementation that hands the
 * open to a worker and traces the enable as returned does.
 *
 * Must be caught by CHAN-04 (the open creates the ring-buffer GPADL before it sends OPENCHANNEL,
 * and enable returns after OPENCHANNEL_RESULT).
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import type { NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-04'] as const;

class EnableTracedBeforeOpen extends ReferenceVmbus {
  override enableChannel(endpoint: EndpointHandle): NtStatus {
    const events = this.log.events;
    const call = events.length;
    const status = super.enableChannel(endpoint);
    const returned = events.findLastIndex((event) => event.kind === 'return' && event.fn === 'VmbChannelEnable');
    if (this.live(endpoint)?.role === 'client' && returned > call + 1) events.splice(call + 1, 0, ...events.splice(returned, 1));
    return status;
  }
}

export default faulty('enableTracedBeforeOpen', "the trace shows a client enable returning before its open's messages", catches, (options) => new EnableTracedBeforeOpen(options));
