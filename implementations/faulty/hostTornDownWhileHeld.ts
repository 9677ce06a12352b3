/**
 * `faulty:hostTornDownWhileHeld`. The lie (capability wireHost): the host does not count the
 * devices using a GPADL, so GPADL_TORNDOWN goes out at the teardown even while a device still holds
 * the GPADL (QEMU's behaviour, not the reference's choice G13).
 *
 * Must be caught by WHOST-09 (GPADL_TORNDOWN only after every device let go), WHOST-08 (a second
 * teardown while the first waits), WHOST-16 (a teardown still waiting for a device when the host
 * revokes), WHOST-19 (a device lets go of a GPADL that RELID_RELEASED tore down: the host that
 * never counted the views says it held none), and WHOST-22 and WHOST-26 (an unload or a reset
 * answers only once every device let go), and WHOST-30 (the teardown of a new GPADL reusing a
 * torn-down id waits for the device that holds it).
 */
import type { ChannelId, GpadlHandle } from '../../src/contract/handles.js';
import { HostVmbus, StandaloneHost } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-08', 'WHOST-09', 'WHOST-16', 'WHOST-19', 'WHOST-22', 'WHOST-26', 'WHOST-30'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-08', 'WHOST-09', 'WHOST-16', 'WHOST-19', 'WHOST-22', 'WHOST-26', 'WHOST-30'] as const;

class UncountingHost extends HostVmbus {
  override hold(channel: ChannelId, id: GpadlHandle): boolean {
    return this.channel(channel)?.gpadls.get(id)?.state.kind === 'Accepted';
  }

  override release(channel: ChannelId, id: GpadlHandle): boolean {
    return this.channel(channel)?.gpadls.get(id) !== undefined;
  }
}

class HostTornDownWhileHeld extends ReferenceVmbus {
  protected override createStandaloneHost(): StandaloneHost {
    return new StandaloneHost((wire, sideband, listener) => new UncountingHost(wire, sideband, listener));
  }
}

export default faulty('hostTornDownWhileHeld', 'the host answers GPADL_TORNDOWN while a device still holds the GPADL', catches, (options) => new HostTornDownWhileHeld(options), { host: catchesAsHost });
