/**
 * `faulty:guestReleasesClosedChannel`. The lie: the client's cleanup sends RELID_RELEASED for
 * every channel it opened, rescinded or merely closed. The host ignores a release of a channel it
 * still offers, so nothing else changes.
 *
 * Must be caught by WIRE-10 (RELID_RELEASED only for a rescinded channel).
 */
import type { ChannelId } from '../../src/contract/handles.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WIRE-10'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

class GuestReleasesClosedChannel extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const guest = this.guest;
    const release = guest.releaseChannel.bind(guest);
    guest.releaseChannel = (channel: ChannelId): void => {
      if (guest.isRescinded(channel)) return release(channel);
      this.wire.toHost({ type: 'RELID_RELEASED', childRelid: channel });
    };
  }
}

export default faulty('guestReleasesClosedChannel', 'RELID_RELEASED is sent for a channel that was only closed', catches, (options) => new GuestReleasesClosedChannel(options), { guest: catchesAsGuest });
