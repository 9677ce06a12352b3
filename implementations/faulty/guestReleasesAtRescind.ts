/**
 * `faulty:guestReleasesAtRescind`. The lie: the guest sends RELID_RELEASED as soon as the host
 * rescinds a channel, without waiting for the client to let go of it, and so before the host has
 * answered a GPADL_TEARDOWN still pending on it; the channel's GPADLs are dropped with it.
 *
 * Must be caught by WIRE-19 (release only after every GPADL request is answered) and WIRE-11
 * (release at the client's cleanup).
 */
import type { HostToGuestMessage } from '../../src/protocol/messages.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WIRE-11', 'WIRE-19'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

class GuestReleasesAtRescind extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const guest = this.guest;
    const receive = guest.receive.bind(guest);
    guest.receive = (message: HostToGuestMessage): void => {
      receive(message);
      if (message.type === 'RESCIND_CHANNELOFFER') guest.releaseChannel(message.childRelid);
    };
  }
}

export default faulty('guestReleasesAtRescind', 'RELID_RELEASED is sent at the rescind, before pending GPADL requests are answered', catches, (options) => new GuestReleasesAtRescind(options), { guest: catchesAsGuest });
