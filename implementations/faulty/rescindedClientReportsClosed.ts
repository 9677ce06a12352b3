/**
 * `faulty:rescindedClientReportsClosed`. The lie: a client endpoint whose channel the host
 * rescinded reports the state Closed (the server's state after a close) instead of Disabled.
 *
 * Must be caught by CHAN-12 (disabling the server endpoint rescinds the offer, which leaves the
 * client endpoint Disabled).
 */
import type { EndpointInfo, WithStatus } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-12'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class RescindedClientReportsClosed extends ReferenceVmbus {
  override endpointInfo(endpoint: EndpointHandle): WithStatus<{ info: EndpointInfo }> {
    const result = super.endpointInfo(endpoint);
    const known = this.live(endpoint);
    if (known?.role !== 'client' || known.state !== 'Disabled' || known.channel !== null) return result;
    if (![...known.opened].some((channel) => this.guest.isRescinded(channel))) return result;
    return { ...result, info: { ...result.info!, state: 'Closed' } };
  }
}

export default faulty('rescindedClientReportsClosed', 'a client endpoint whose channel was rescinded reports Closed', catches, (options) => new RescindedClientReportsClosed(options), { guest: catchesAsGuest });
