/**
 * `faulty:hostReadsPastRangeBufLen`. The lie: the host reads a GPADL_HEADER's ranges from every
 * byte the message carries rather than up to its range_buflen, so a header padded to full size
 * (as UEFI sends it) does not describe a valid GPADL and is refused.
 *
 * Must be caught by WHOST-11 (the host ignores range-buffer bytes beyond the declared
 * range_buflen).
 */
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { WIRE_STATUS_UNSUCCESSFUL, type GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-11'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-11'] as const;

class ReadsPastRangeBufLenHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'GPADL_HEADER' && message.rangeData.length > message.rangeBufLen && this.channels.has(message.childRelid)) {
      this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: message.childRelid, gpadl: message.gpadl, creationStatus: WIRE_STATUS_UNSUCCESSFUL });
      return;
    }
    super.receive(message);
  }
}

export default faulty('hostReadsPastRangeBufLen', "a GPADL_HEADER's range bytes past range_buflen are read as ranges", catches, withStandaloneHost((w, s, l) => new ReadsPastRangeBufLenHost(w, s, l)), { host: catchesAsHost });
