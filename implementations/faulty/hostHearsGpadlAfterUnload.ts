/**
 * `faulty:hostHearsGpadlAfterUnload`. The lie: after an UNLOAD the host still takes GPADL_HEADER
 * messages, until the guest's next INITIATE_CONTACT, as a host that checks the connection only for
 * the connection's own messages does.
 *
 * Must be caught by WHOST-23 (out of a connection the host hears only INITIATE_CONTACT).
 */
import { HostVmbus, type HostConnection } from '../../src/model/HostVmbus.js';
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-23'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-23'] as const;

class HearsGpadlAfterUnloadHost extends HostVmbus {
  private unloaded = false;

  override receive(message: GuestToHostMessage): void {
    if (message.type === 'UNLOAD') this.unloaded = true;
    if (message.type === 'INITIATE_CONTACT') this.unloaded = false;
    if (!this.unloaded || message.type !== 'GPADL_HEADER') return super.receive(message);
    // The connection's state, which this host consults for nothing but the connection's messages.
    const self = this as unknown as { connection: HostConnection };
    const connection = self.connection;
    self.connection = { kind: 'Connected', offersSent: true };
    try {
      super.receive(message);
    } finally {
      self.connection = connection;
    }
  }
}

export default faulty('hostHearsGpadlAfterUnload', 'after UNLOAD the host still takes GPADL_HEADER', catches, withStandaloneHost((w, s, l) => new HearsGpadlAfterUnloadHost(w, s, l)), { host: catchesAsHost });
