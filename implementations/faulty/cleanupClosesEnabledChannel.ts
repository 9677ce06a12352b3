/**
 * `faulty:cleanupClosesEnabledChannel`. The lie: cleanup of an endpoint that is still enabled or
 * open disables it first and frees it, instead of refusing (choice G7).
 *
 * Must be caught by CHAN-20 (cleanup of an endpoint that is not Disabled frees nothing and is
 * recorded as CleanupOfEnabledChannel).
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-20'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-20'] as const;

class CleanupClosesEnabledChannel extends ReferenceVmbus {
  override cleanupChannel(endpoint: EndpointHandle): void {
    const known = this.live(endpoint);
    if (known !== undefined && known.state !== 'Disabled') this.disableChannel(endpoint);
    super.cleanupChannel(endpoint);
  }
}

export default faulty('cleanupClosesEnabledChannel', 'cleanup of an enabled endpoint disables and frees it', catches, (options) => new CleanupClosesEnabledChannel(options), { host: catchesAsHost });
