/**
 * `faulty:guestTreatsRefusalAsCreated`. The lie: the guest reads any GPADL_CREATED as success and
 * ignores its creation status, so a create the host refused returns a handle that the host never
 * accepted (a map of it then fails on the host side).
 *
 * Must be caught by WIRE-12 (a refused create fails with no handle), WIRE-13 (its status and the
 * unlocked buffer), CREATE-11 (the refused create is set up as refused before the next handle) and
 * CREATE-04 (a held answer queued before a refusal: the second create must fail).
 */
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { WIRE_STATUS_SUCCESS, type HostToGuestMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-04', 'CREATE-11', 'WIRE-12', 'WIRE-13'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

class GuestTreatsRefusalAsCreated extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    const guest = this.guest;
    const receive = guest.receive.bind(guest);
    guest.receive = (message: HostToGuestMessage): void =>
      receive(message.type === 'GPADL_CREATED' ? { ...message, creationStatus: WIRE_STATUS_SUCCESS } : message);
  }
}

export default faulty('guestTreatsRefusalAsCreated', 'a GPADL_CREATED with a failure status is taken as success', catches, (options) => new GuestTreatsRefusalAsCreated(options), { guest: catchesAsGuest });
