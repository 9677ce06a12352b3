/**
 * `faulty:hostAcceptsPageOffset`. The lie (capability wireHost): the host accepts a single range
 * whose byte_offset is 0x1000 to 0x1FFF, as if it were 0x1000 less (the offset must be at most
 * 0xFFF; OpenVMM refuses it with OffsetTooLarge).
 *
 * Must be caught by WHOST-02 and WHOST-03 (an invalid range is never accepted, and is refused with
 * a failed GPADL_CREATED), and WHOST-06 (the id of the refused GPADL is free again: here it is
 * taken).
 */
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { HostVmbus, StandaloneHost } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-02', 'WHOST-03', 'WHOST-06'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-02', 'WHOST-03', 'WHOST-06'] as const;

class LenientHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'GPADL_HEADER' && message.rangeCount === 1 && message.rangeData.length >= 8) {
      const rangeData = message.rangeData.slice();
      const view = new DataView(rangeData.buffer);
      const offset = view.getUint32(4, true);
      if (offset >= 0x1000 && offset < 0x2000) {
        view.setUint32(4, offset - 0x1000, true);
        return super.receive({ ...message, rangeData });
      }
    }
    super.receive(message);
  }
}

class HostAcceptsPageOffset extends ReferenceVmbus {
  protected override createStandaloneHost(): StandaloneHost {
    return new StandaloneHost((wire, sideband, listener) => new LenientHost(wire, sideband, listener));
  }
}

export default faulty('hostAcceptsPageOffset', 'the host accepts a range offset of 0x1000', catches, (options) => new HostAcceptsPageOffset(options), { host: catchesAsHost });
