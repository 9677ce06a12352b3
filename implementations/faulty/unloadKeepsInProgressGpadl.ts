/**
 * `faulty:unloadKeepsInProgressGpadl`. The lie (capability wireHost): an unload or a reset forgets
 * the guest's GPADLs except those still waiting for GPADL_BODY, whose ids stay taken, so a
 * GPADL_HEADER reusing one after reconnecting is refused as a duplicate (OPENVMM-CHANNELS-13).
 *
 * Must be caught by WHOST-21 (the id is free after an unload and a reconnect) and WHOST-26 (after
 * an INITIATE_CONTACT that resets a live connection).
 */
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { HostVmbus, StandaloneHost, type HostGpadl } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-21', 'WHOST-26'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-21', 'WHOST-26'] as const;

class KeepingHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    const disconnects = message.type === 'UNLOAD' || message.type === 'INITIATE_CONTACT';
    const kept: HostGpadl[] = disconnects ? [...this.channels.values()].flatMap((c) => [...c.gpadls.values()].filter((g) => g.state.kind === 'InProgress')) : [];
    super.receive(message);
    for (const gpadl of kept) gpadl.channel.gpadls.set(gpadl.id, gpadl);
  }
}

class UnloadKeepsInProgressGpadl extends ReferenceVmbus {
  protected override createStandaloneHost(): StandaloneHost {
    return new StandaloneHost((wire, sideband, listener) => new KeepingHost(wire, sideband, listener));
  }
}

export default faulty('unloadKeepsInProgressGpadl', 'an unload keeps the GPADLs still in progress, so their ids stay taken after reconnecting', catches, (options) => new UnloadKeepsInProgressGpadl(options), { host: catchesAsHost });
