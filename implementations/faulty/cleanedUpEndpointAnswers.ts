/**
 * `faulty:cleanedUpEndpointAnswers`. The lie: the query of an endpoint's state still answers after
 * the endpoint's cleanup (Disabled, no channel), as if the handle stayed valid.
 *
 * Must be caught by CHAN-21 (cleanup frees the endpoint: a later query fails). CHAN-22 (a
 * cleaned-up endpoint is an invalid handle) passes: it looks at the calls that act on the endpoint,
 * which still fail.
 */
import type { EndpointInfo, Role, WithStatus } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { STATUS_SUCCESS } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-21'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule, for the client endpoint. */
export const catchesAsGuest = catches;
/** As a host half: the same rule, for the server endpoint. */
export const catchesAsHost = catches;

class CleanedUpEndpointAnswers extends ReferenceVmbus {
  private readonly cleanedUp = new Map<EndpointHandle, Role>();

  override cleanupChannel(endpoint: EndpointHandle): void {
    const known = this.live(endpoint);
    super.cleanupChannel(endpoint);
    if (known !== undefined && this.live(endpoint) === undefined) this.cleanedUp.set(endpoint, known.role);
  }

  override endpointInfo(endpoint: EndpointHandle): WithStatus<{ info: EndpointInfo }> {
    const role = this.cleanedUp.get(endpoint);
    if (role === undefined) return super.endpointInfo(endpoint);
    return { status: STATUS_SUCCESS, info: { role, state: 'Disabled', channelId: null, ringGpadl: null } };
  }
}

export default faulty('cleanedUpEndpointAnswers', "a cleaned-up endpoint's state query still answers", catches, (options) => new CleanedUpEndpointAnswers(options), { guest: catchesAsGuest, host: catchesAsHost });
