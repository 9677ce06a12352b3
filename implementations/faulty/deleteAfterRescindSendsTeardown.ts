/**
 * `faulty:deleteAfterRescindSendsTeardown`. The lie: the guest tears down the GPADLs of a rescinded
 * channel as those of a live one, with GPADL_TEARDOWN and a wait for GPADL_TORNDOWN, instead of
 * dropping them without a message (Linux `vmbus_teardown_gpadl` after a rescind).
 *
 * Must be caught by CHAN-19 (after a rescind, the client's deletes complete without waiting for
 * the host: the delete exchanges no channel message) and WHOST-28 (after a silent revoke the host
 * sends RESCIND_CHANNELOFFER alone: here the guest's teardown of its ring draws a GPADL_TORNDOWN).
 * As a guest half, by CHAN-19, WIRE-10 and WIRE-19: the carried wire delivers the teardown's answer
 * after the guest has released the channel, so a GPADL request is still unanswered at the release.
 */
import type { GuestGpadl } from '../../src/model/GuestVmbus.js';
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-19', 'WHOST-28'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md). */
export const catchesAsGuest = ['CHAN-19', 'WIRE-10', 'WIRE-19'] as const;

class DeleteAfterRescindSendsTeardown extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const guest = this.guest;
    const teardown = guest.teardownGpadl.bind(guest);
    guest.teardownGpadl = (gpadl: GuestGpadl): void => {
      if (gpadl.state.kind !== 'Created' || !guest.isRescinded(gpadl.channel)) return teardown(gpadl);
      gpadl.state = { kind: 'TearingDown' };
      this.wire.toHost({ type: 'GPADL_TEARDOWN', childRelid: gpadl.channel, gpadl: gpadl.handle });
    };
  }
}

export default faulty('deleteAfterRescindSendsTeardown', 'GPADLs of a rescinded channel are torn down with GPADL_TEARDOWN', catches, (options) => new DeleteAfterRescindSendsTeardown(options), { guest: catchesAsGuest });
