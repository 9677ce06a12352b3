/**
 * `faulty:hostRepeatsOffers`. The lie: the host answers every REQUESTOFFERS of a connection with
 * all its offers again, not only the first.
 *
 * Must be caught by WHOST-25 (REQUESTOFFERS is answered once per connection).
 */
import { HostVmbus, type HostConnection } from '../../src/model/HostVmbus.js';
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-25'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-25'] as const;

class RepeatsOffersHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    // Forgets that this connection's offers were sent.
    const connection = (this as unknown as { connection: HostConnection }).connection;
    if (message.type === 'REQUESTOFFERS' && connection.kind === 'Connected') connection.offersSent = false;
    super.receive(message);
  }
}

export default faulty('hostRepeatsOffers', 'every REQUESTOFFERS is answered with all the offers again', catches, withStandaloneHost((w, s, l) => new RepeatsOffersHost(w, s, l)), { host: catchesAsHost });
