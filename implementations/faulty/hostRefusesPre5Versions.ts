/**
 * `faulty:hostRefusesPre5Versions`. The lie: the host speaks only the protocol versions from 5.0
 * (Windows 10) on and refuses an INITIATE_CONTACT for an older one, 4.0 included.
 *
 * Must be caught by WHOST-24 (INITIATE_CONTACT is accepted for the protocol versions 0.13 to 5.3),
 * and by WHOST-01 and WHOST-25, whose scenarios reconnect at a version before 5.0.
 */
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { VERSION_WIN10_V5, type GuestToHostMessage } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-01', 'WHOST-24', 'WHOST-25'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = catches;

/** A version no host speaks: what the reference host refuses. */
const UNSPOKEN = 0xffffffff;

class RefusesPre5VersionsHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'INITIATE_CONTACT' && message.vmbusVersionRequested < VERSION_WIN10_V5) return super.receive({ ...message, vmbusVersionRequested: UNSPOKEN });
    super.receive(message);
  }
}

export default faulty('hostRefusesPre5Versions', 'the host refuses every protocol version before 5.0', catches, withStandaloneHost((w, s, l) => new RefusesPre5VersionsHost(w, s, l)), { host: catchesAsHost });
