/**
 * `faulty:guestCreateOutlivesRescind`. The lie: a rescind does not wake a create that waits for
 * GPADL_CREATED, and the guest ignores GPADL messages of a rescinded channel, so such a create
 * blocks for ever (Linux before `vmbus_rescind_cleanup`).
 *
 * Must be caught by WIRE-16 (the waiting create fails at the rescind) and WIRE-17 (its status).
 */
import type { GpadlHandle } from '../../src/contract/handles.js';
import type { GuestGpadl } from '../../src/model/GuestVmbus.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import type { HostToGuestMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WIRE-16', 'WIRE-17'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

class GuestCreateOutlivesRescind extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const guest = this.guest;
    const receive = guest.receive.bind(guest);
    guest.receive = (message: HostToGuestMessage): void => {
      if (message.type === 'GPADL_CREATED' && guest.isRescinded(message.childRelid)) return;
      if (message.type !== 'RESCIND_CHANNELOFFER') return receive(message);
      // The waiting creates are out of sight while the rescind is handled, so nothing wakes them.
      const waiting = new Map<GpadlHandle, GuestGpadl>();
      for (const [handle, gpadl] of guest.gpadls) if (gpadl.channel === message.childRelid && gpadl.state.kind === 'Creating') waiting.set(handle, gpadl);
      for (const handle of waiting.keys()) guest.gpadls.delete(handle);
      receive(message);
      for (const [handle, gpadl] of waiting) guest.gpadls.set(handle, gpadl);
    };
  }
}

export default faulty('guestCreateOutlivesRescind', 'a create waiting for GPADL_CREATED is not failed by a rescind', catches, (options) => new GuestCreateOutlivesRescind(options), { guest: catchesAsGuest });
