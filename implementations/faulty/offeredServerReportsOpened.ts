/**
 * `faulty:offeredServerReportsOpened`. The lie: a server endpoint that has offered its channel
 * reports the state Opened before any client has opened it, as if the offer were the open.
 *
 * Must be caught by CHAN-02 (enabling the server endpoint offers the channel without waiting for
 * the client: the endpoint is then Enabled) and CHAN-09 (a second enable of an offered server
 * endpoint fails and leaves it Enabled).
 */
import type { EndpointInfo, WithStatus } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-02', 'CHAN-09'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = catches;

class OfferedServerReportsOpened extends ReferenceVmbus {
  override endpointInfo(endpoint: EndpointHandle): WithStatus<{ info: EndpointInfo }> {
    const result = super.endpointInfo(endpoint);
    if (result.info?.role !== 'server' || result.info.state !== 'Enabled') return result;
    return { ...result, info: { ...result.info, state: 'Opened' } };
  }
}

export default faulty('offeredServerReportsOpened', 'an offered server endpoint reports Opened before any client opened it', catches, (options) => new OfferedServerReportsOpened(options), { host: catchesAsHost });
