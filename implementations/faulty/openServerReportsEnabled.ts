/**
 * `faulty:openServerReportsEnabled`. The lie: the server endpoint of an open channel still reports
 * the state Enabled, as if the host's KMCL never heard of the guest's open.
 *
 * Must be caught by CHAN-03 (enabling the client endpoint opens the channel: both endpoints are
 * Opened), CHAN-13 (a reopen leaves both Opened) and CHAN-20 (a server endpoint whose cleanup was
 * refused stays Opened). As a host half, CHAN-03 and CHAN-20: CHAN-13 judges the guest.
 */
import type { EndpointInfo, WithStatus } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-03', 'CHAN-13', 'CHAN-20'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CHAN-03', 'CHAN-20'] as const;

class OpenServerReportsEnabled extends ReferenceVmbus {
  override endpointInfo(endpoint: EndpointHandle): WithStatus<{ info: EndpointInfo }> {
    const result = super.endpointInfo(endpoint);
    if (result.info?.role !== 'server' || result.info.state !== 'Opened') return result;
    return { ...result, info: { ...result.info, state: 'Enabled' } };
  }
}

export default faulty('openServerReportsEnabled', 'the server endpoint of an open channel reports Enabled', catches, (options) => new OpenServerReportsEnabled(options), { host: catchesAsHost });
