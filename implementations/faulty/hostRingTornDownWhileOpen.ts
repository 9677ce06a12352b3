/**
 * `faulty:hostRingTornDownWhileOpen`. The lie: a GPADL_TEARDOWN of the ring-buffer GPADL of an open
 * channel is answered at once, as if the open channel did not use its ring.
 *
 * Must be caught by WHOST-15 (a teardown of the ring-buffer GPADL of an open channel completes
 * only after the close).
 */
import { HostVmbus } from '../../src/model/HostVmbus.js';
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-15'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-15'] as const;

class RingTornDownWhileOpenHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'GPADL_TEARDOWN') {
      const channel = this.channels.get(message.childRelid);
      const gpadl = channel?.gpadls.get(message.gpadl);
      if (channel !== undefined && gpadl !== undefined && channel.ring === gpadl && gpadl.state.kind === 'Accepted' && !gpadl.mapped && gpadl.holds === 0) {
        // Gone from the table; the channel still points at it as its ring, so the close finds nothing to tear down.
        channel.gpadls.delete(gpadl.id);
        this.wire.toGuest({ type: 'GPADL_TORNDOWN', gpadl: gpadl.id });
        return;
      }
    }
    super.receive(message);
  }
}

export default faulty('hostRingTornDownWhileOpen', "a teardown of an open channel's ring-buffer GPADL is answered at once", catches, withStandaloneHost((w, s, l) => new RingTornDownWhileOpenHost(w, s, l)), { host: catchesAsHost });
