/**
 * `faulty:guestOpenIdCounts`. Not a protocol lie but another choice: OPENCHANNEL's openid counts the
 * opens of the connection (1, 2, 3…) instead of being the channel's child_relid, as the reference
 * guest did before the run against Linux. A host only echoes it, so nothing else changes.
 *
 * Must be caught by WIRE-20 only (a reference rule, choice G33), on the second open of a channel.
 */
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';
import { interceptToHost } from './_internals/interceptToHost.js';

export const catches = ['WIRE-20'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class GuestOpenIdCounts extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    let opens = 0;
    interceptToHost(this.wire, (message, send) => send(message.type === 'OPENCHANNEL' ? { ...message, openId: ++opens } : message));
  }
}

export default faulty('guestOpenIdCounts', "OPENCHANNEL's openid counts the connection's opens", catches, (options) => new GuestOpenIdCounts(options), { guest: catchesAsGuest });
