/**
 * `faulty:guestDownstreamIsIncoming`. The lie: OPENCHANNEL's downstream_ringbuffer_pageoffset is
 * the incoming ring's page count instead of the outgoing one's. With equal counts (the default)
 * nothing changes; with different counts the host splits the ring in the wrong place.
 *
 * Must be caught by WIRE-09 and by CHAN-07's trace scenario (3 incoming, 5 outgoing pages).
 */
import type { ChannelId } from '../../src/contract/handles.js';
import type { GuestGpadl } from '../../src/model/GuestVmbus.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-07', 'WIRE-09'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

class GuestDownstreamIsIncoming extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const guest = this.guest;
    const open = guest.openChannel.bind(guest);
    guest.openChannel = (channel: ChannelId, ring: GuestGpadl, outgoing: number, then: (opened: boolean) => void): void => {
      const total = ring.ranges.reduce((pages, range) => pages + range.pfns.length, 0);
      open(channel, ring, total - outgoing, then);
    };
  }
}

export default faulty('guestDownstreamIsIncoming', 'OPENCHANNEL puts the incoming ring after the incoming page count', catches, (options) => new GuestDownstreamIsIncoming(options), { guest: catchesAsGuest });
