/**
 * `faulty:hostGpadlIdsConnectionWide`. The lie: the host keeps one GPADL table for the connection,
 * so a GPADL id live on one channel is refused on every other.
 *
 * Must be caught by WHOST-05 (GPADL ids belong to their channel, except while a GPADL is in
 * progress) and WHOST-30 (whose last scenario sets up one id live on two channels).
 */
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { WIRE_STATUS_UNSUCCESSFUL, type GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-05', 'WHOST-30'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-05', 'WHOST-30'] as const;

class GpadlIdsConnectionWideHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'GPADL_HEADER' && [...this.channels.values()].some((channel) => channel.id !== message.childRelid && channel.gpadls.has(message.gpadl))) {
      this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: message.childRelid, gpadl: message.gpadl, creationStatus: WIRE_STATUS_UNSUCCESSFUL });
      return;
    }
    super.receive(message);
  }
}

export default faulty('hostGpadlIdsConnectionWide', 'a GPADL id live on one channel is refused on every other', catches, withStandaloneHost((w, s, l) => new GpadlIdsConnectionWideHost(w, s, l)), { host: catchesAsHost });
