/**
 * `faulty:guestKeepsRingAfterFailedOpen`. The lie: when the host refuses an open, the guest forgets
 * the ring-buffer GPADL it created for it instead of tearing it down, so the host keeps it for good.
 *
 * Must be caught by WIRE-14 (a failed open tears down its ring-buffer GPADL).
 */
import type { ChannelId } from '../../src/contract/handles.js';
import type { GuestGpadl } from '../../src/model/GuestVmbus.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WIRE-14'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

class GuestKeepsRingAfterFailedOpen extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const guest = this.guest;
    const open = guest.openChannel.bind(guest);
    const teardown = guest.teardownGpadl.bind(guest);
    let refusedRing: GuestGpadl | undefined;
    guest.openChannel = (channel: ChannelId, ring: GuestGpadl, downstreamPageOffset: number, then: (opened: boolean) => void): void => {
      open(channel, ring, downstreamPageOffset, (opened) => {
        refusedRing = opened ? undefined : ring;
        then(opened);
      });
    };
    guest.teardownGpadl = (gpadl: GuestGpadl): void => {
      if (gpadl === refusedRing) return void (refusedRing = undefined);
      teardown(gpadl);
    };
  }
}

export default faulty('guestKeepsRingAfterFailedOpen', 'a refused open leaves its ring-buffer GPADL on the host', catches, (options) => new GuestKeepsRingAfterFailedOpen(options), { guest: catchesAsGuest });
