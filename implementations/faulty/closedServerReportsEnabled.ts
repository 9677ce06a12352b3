/**
 * `faulty:closedServerReportsEnabled`. The lie: after the guest closes the channel the server
 * endpoint reports Enabled, as if its offer simply stood again, instead of Closed.
 *
 * Must be caught by CHAN-11 (after a close, the server endpoint is Closed if the guest closed).
 */
import type { EndpointInfo, WithStatus } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-11'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = catches;

class ClosedServerReportsEnabled extends ReferenceVmbus {
  override endpointInfo(endpoint: EndpointHandle): WithStatus<{ info: EndpointInfo }> {
    const result = super.endpointInfo(endpoint);
    if (result.info?.role !== 'server' || result.info.state !== 'Closed') return result;
    return { ...result, info: { ...result.info, state: 'Enabled' } };
  }
}

export default faulty('closedServerReportsEnabled', 'a server endpoint whose channel the guest closed reports Enabled', catches, (options) => new ClosedServerReportsEnabled(options), { host: catchesAsHost });
