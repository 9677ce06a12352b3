/**
 * `faulty:hostRefusesGpadlAfterRevoke`. The lie: once the host has revoked a channel it refuses
 * every new GPADL_HEADER on it, although the guest may not have seen the rescind yet.
 *
 * Must be caught by WHOST-17 (after a revoke, a new GPADL_HEADER on the channel is accepted until
 * the guest releases it).
 */
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { WIRE_STATUS_UNSUCCESSFUL, type GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-17'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-17'] as const;

class RefusesGpadlAfterRevokeHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'GPADL_HEADER' && this.channels.get(message.childRelid)?.state === 'Revoked') {
      this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: message.childRelid, gpadl: message.gpadl, creationStatus: WIRE_STATUS_UNSUCCESSFUL });
      return;
    }
    super.receive(message);
  }
}

export default faulty('hostRefusesGpadlAfterRevoke', 'a GPADL_HEADER on a revoked channel is refused', catches, withStandaloneHost((w, s, l) => new RefusesGpadlAfterRevokeHost(w, s, l)), { host: catchesAsHost });
