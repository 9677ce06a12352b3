/**
 * `faulty:hostRingLayoutUnchecked`. The lie: the host opens a channel on any accepted GPADL of the
 * channel named as its ring buffer, without checking that it is one range of whole pages from
 * offset 0 or that the downstream page offset leaves each ring a page.
 *
 * Must be caught by WHOST-13 (an OPENCHANNEL whose ring-buffer GPADL cannot hold two rings fails).
 */
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { WIRE_STATUS_SUCCESS, type GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-13'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-13'] as const;

class RingLayoutUncheckedHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'OPENCHANNEL') {
      const channel = this.channels.get(message.childRelid);
      const ring = channel?.gpadls.get(message.ringBufferGpadlHandle);
      if (channel !== undefined && channel.state === 'Offered' && channel.directives.length === 0 && ring?.state.kind === 'Accepted') {
        channel.state = 'Open';
        channel.ring = ring;
        this.wire.toGuest({ type: 'OPENCHANNEL_RESULT', childRelid: channel.id, openId: message.openId, status: WIRE_STATUS_SUCCESS });
        return;
      }
    }
    super.receive(message);
  }
}

export default faulty('hostRingLayoutUnchecked', "the host opens a channel on any accepted ring-buffer GPADL, whatever its layout", catches, withStandaloneHost((w, s, l) => new RingLayoutUncheckedHost(w, s, l)), { host: catchesAsHost });
