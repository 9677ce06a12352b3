/**
 * `faulty:hostRefusesEmptyGpadl`. The lie: the host refuses a GPADL_HEADER with no ranges, which
 * describes an empty GPADL and is otherwise valid.
 *
 * Must be caught by WHOST-10 (a GPADL_HEADER with no ranges and a range_buflen of 0 is accepted as
 * an empty GPADL).
 */
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { WIRE_STATUS_UNSUCCESSFUL, type GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-10'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-10'] as const;

class RefusesEmptyGpadlHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'GPADL_HEADER' && message.rangeCount === 0 && this.channels.has(message.childRelid)) {
      this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: message.childRelid, gpadl: message.gpadl, creationStatus: WIRE_STATUS_UNSUCCESSFUL });
      return;
    }
    super.receive(message);
  }
}

export default faulty('hostRefusesEmptyGpadl', 'a GPADL_HEADER with no ranges is refused', catches, withStandaloneHost((w, s, l) => new RefusesEmptyGpadlHost(w, s, l)), { host: catchesAsHost });
