/**
 * `faulty:neverEnabledClientReportsEnabled`. The lie: a client endpoint that has never been enabled
 * reports the state Enabled as soon as its channel is offered, as if the offer enabled it.
 *
 * Must be caught by CHAN-01 (a newly allocated endpoint is Disabled).
 */
import type { EndpointInfo, WithStatus } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-01'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class NeverEnabledClientReportsEnabled extends ReferenceVmbus {
  override endpointInfo(endpoint: EndpointHandle): WithStatus<{ info: EndpointInfo }> {
    const result = super.endpointInfo(endpoint);
    const known = this.live(endpoint);
    const offered = result.info !== undefined && result.info.channelId !== null;
    if (!offered || known?.role !== 'client' || known.state !== 'Disabled' || known.enabledOnce === true) return result;
    return { ...result, info: { ...result.info!, state: 'Enabled' } };
  }
}

export default faulty('neverEnabledClientReportsEnabled', 'a client endpoint never enabled reports Enabled once its channel is offered', catches, (options) => new NeverEnabledClientReportsEnabled(options), { guest: catchesAsGuest });
