/**
 * `faulty:guestBodyPagesOutOfOrder`. The lie: the guest swaps the first two page numbers of every
 * GPADL_BODY it sends, so a GPADL of more than 27 pages describes its buffer's pages out of order
 * (and the host maps them so).
 *
 * Must be caught by WIRE-03 (page numbers in buffer order) and by every rule that looks at the
 * pages of a mapped GPADL of more than 27 pages: MAP-14 (the MDL lists the buffer's pages in order,
 * for buffers of 27 pages and more). MAP-14 judges the host, so as a guest half only WIRE-03 does.
 */
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';
import { interceptToHost } from './_internals/interceptToHost.js';

export const catches = ['MAP-14', 'WIRE-03'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = ['WIRE-03'] as const;

function swapFirstTwo(data: Uint8Array): Uint8Array {
  if (data.length < 16) return data;
  const out = data.slice();
  out.set(data.subarray(8, 16), 0);
  out.set(data.subarray(0, 8), 8);
  return out;
}

class GuestBodyPagesOutOfOrder extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    interceptToHost(this.wire, (message, send) =>
      send(message.type === 'GPADL_BODY' ? { ...message, rangeData: swapFirstTwo(message.rangeData) } : message),
    );
  }
}

export default faulty('guestBodyPagesOutOfOrder', 'the first two page numbers of every GPADL_BODY are swapped', catches, (options) => new GuestBodyPagesOutOfOrder(options), { guest: catchesAsGuest });
