/**
 * `faulty:unloadAnswersBeforeRelease`. The lie (capability wireHost): at UNLOAD the host forgets
 * which devices still hold the guest's GPADLs, so UNLOAD_RESPONSE goes out at once instead of after
 * the last device let go (OPENVMM-CHANNELS-14), and the devices' later releases fail.
 *
 * Must be caught by WHOST-22 (UNLOAD_RESPONSE only once no GPADL the unload tore down is in use).
 */
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { HostVmbus, StandaloneHost } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-22'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-22'] as const;

class HastyHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    if (message.type === 'UNLOAD') for (const channel of this.channels.values()) for (const gpadl of channel.gpadls.values()) gpadl.holds = 0;
    super.receive(message);
  }
}

class UnloadAnswersBeforeRelease extends ReferenceVmbus {
  protected override createStandaloneHost(): StandaloneHost {
    return new StandaloneHost((wire, sideband, listener) => new HastyHost(wire, sideband, listener));
  }
}

export default faulty('unloadAnswersBeforeRelease', 'UNLOAD_RESPONSE goes out while a device still holds a GPADL the unload tore down', catches, (options) => new UnloadAnswersBeforeRelease(options), { host: catchesAsHost });
