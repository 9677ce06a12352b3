/**
 * `faulty:offerIgnoresWaitingClient`. The lie: a client endpoint enabled before its channel was
 * offered is not opened when the offer comes; it stays Enabled until it is enabled again.
 *
 * Must be caught by CHAN-05 (a client endpoint enabled before the offer waits for it and opens
 * when it comes).
 */
import type { ChannelId, EndpointHandle } from '../../src/contract/handles.js';
import type { NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-05'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class OfferIgnoresWaitingClient extends ReferenceVmbus {
  override enableChannel(endpoint: EndpointHandle): NtStatus {
    const known = this.live(endpoint);
    const waiting = known?.role === 'server' && known.state === 'Disabled' ? known.client : null;
    return this.unseen(waiting?.handle, () => super.enableChannel(endpoint));
  }

  override bindRemoteChannel(endpoint: EndpointHandle, channel: ChannelId): NtStatus {
    return this.unseen(endpoint, () => super.bindRemoteChannel(endpoint, channel));
  }

  /** Runs `body` with a waiting client endpoint looking Disabled, so that the offer passes it by. */
  private unseen(endpoint: EndpointHandle | undefined, body: () => NtStatus): NtStatus {
    const client = endpoint === undefined ? undefined : this.live(endpoint);
    if (client?.role !== 'client' || client.state !== 'Enabled') return body();
    client.state = 'Disabled';
    try {
      return body();
    } finally {
      client.state = 'Enabled';
    }
  }
}

export default faulty('offerIgnoresWaitingClient', 'the offer does not open a client endpoint enabled before it', catches, (options) => new OfferIgnoresWaitingClient(options), { guest: catchesAsGuest });
