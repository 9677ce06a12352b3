/**
 * `faulty:enableTwiceSucceeds`. The lie: enabling an endpoint that is already enabled or open
 * succeeds and does nothing, instead of failing (choice G19).
 *
 * Must be caught by CHAN-09 (enabling an endpoint that is not Disabled fails with
 * STATUS_INVALID_DEVICE_STATE), a reference rule.
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import { STATUS_SUCCESS, type NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-09'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule, for the client endpoint. */
export const catchesAsGuest = catches;
/** As a host half: the same rule, for the server endpoint. */
export const catchesAsHost = catches;

class EnableTwiceSucceeds extends ReferenceVmbus {
  override enableChannel(endpoint: EndpointHandle): NtStatus {
    const known = this.live(endpoint);
    if (known === undefined || known.state === 'Disabled') return super.enableChannel(endpoint);
    return this.traced('VmbChannelEnable', { endpoint }, () => ({ status: STATUS_SUCCESS })).status;
  }
}

export default faulty('enableTwiceSucceeds', 'enabling an enabled endpoint succeeds and does nothing', catches, (options) => new EnableTwiceSucceeds(options), { guest: catchesAsGuest, host: catchesAsHost });
