/**
 * `faulty:guestTeardownRingBeforeClose`. The lie: a client close sends GPADL_TEARDOWN of the
 * ring-buffer GPADL first and CLOSECHANNEL after it. The host holds the teardown until the close,
 * so the channel still ends closed and the ring GPADL gone; only the order on the wire is wrong.
 *
 * Must be caught by CHAN-10 (the messages of a close: CLOSECHANNEL, then the ring's teardown).
 */
import type { ChannelId } from '../../src/contract/handles.js';
import type { GuestGpadl } from '../../src/model/GuestVmbus.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-10'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

class GuestTeardownRingBeforeClose extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const guest = this.guest;
    const close = guest.closeChannel.bind(guest);
    const teardown = guest.teardownGpadl.bind(guest);
    let closing: ChannelId | undefined;
    // The close is held back until the ring's teardown that follows it has been sent.
    guest.closeChannel = (channel: ChannelId): void => {
      closing = channel;
    };
    guest.teardownGpadl = (gpadl: GuestGpadl): void => {
      teardown(gpadl);
      if (closing !== undefined && gpadl.channel === closing && gpadl.owner === null) {
        closing = undefined;
        close(gpadl.channel);
      }
    };
  }
}

export default faulty('guestTeardownRingBeforeClose', 'a close sends the ring GPADL_TEARDOWN before CLOSECHANNEL', catches, (options) => new GuestTeardownRingBeforeClose(options), { guest: catchesAsGuest });
