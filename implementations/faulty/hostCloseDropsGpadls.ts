/**
 * `faulty:hostCloseDropsGpadls`. The lie: CLOSECHANNEL frees the channel's GPADLs on the host, the
 * ring-buffer GPADL among them, without a GPADL_TORNDOWN, as a release of the channel would.
 *
 * Must be caught by WHOST-14 (CLOSECHANNEL leaves the channel's GPADLs alone): a teardown after
 * the close goes unanswered, and the channel cannot open again on the same ring; and by WHOST-15,
 * whose scenarios open the channel again on its ring after a close.
 */
import { HostVmbus } from '../../src/model/HostVmbus.js';
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-14', 'WHOST-15'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = catches;

class CloseDropsGpadlsHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    const channel = message.type === 'CLOSECHANNEL' ? this.channels.get(message.childRelid) : undefined;
    const open = channel?.state === 'Open';
    super.receive(message);
    if (channel === undefined || !open || channel.state !== 'Offered') return;
    for (const gpadl of [...channel.gpadls.values()]) {
      if (gpadl.state.kind === 'Accepted' && !gpadl.mapped && gpadl.holds === 0) channel.gpadls.delete(gpadl.id);
    }
  }
}

export default faulty('hostCloseDropsGpadls', "CLOSECHANNEL frees the channel's GPADLs on the host", catches, withStandaloneHost((w, s, l) => new CloseDropsGpadlsHost(w, s, l)), { host: catchesAsHost });
