/**
 * `faulty:hostRevokeDropsGpadls`. The lie: a revoke frees the channel's accepted GPADLs on the host
 * at once, without a GPADL_TORNDOWN, instead of leaving them until the guest tears them down or
 * releases the channel.
 *
 * Must be caught by WHOST-18 (a revoke leaves the channel's accepted GPADLs in place): their ids
 * are free again, and their teardown goes unanswered; and by WHOST-16 (a teardown after the revoke
 * is answered).
 */
import type { ChannelId } from '../../src/contract/handles.js';
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-16', 'WHOST-18'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = catches;

class RevokeDropsGpadlsHost extends HostVmbus {
  override revoke(id: ChannelId): void {
    super.revoke(id);
    const channel = this.channels.get(id);
    if (channel?.state !== 'Revoked') return;
    for (const gpadl of [...channel.gpadls.values()]) {
      if (gpadl.state.kind === 'Accepted' && !gpadl.mapped && gpadl.holds === 0) channel.gpadls.delete(gpadl.id);
    }
  }
}

export default faulty('hostRevokeDropsGpadls', "a revoke frees the channel's accepted GPADLs at once", catches, withStandaloneHost((w, s, l) => new RevokeDropsGpadlsHost(w, s, l)), { host: catchesAsHost });
