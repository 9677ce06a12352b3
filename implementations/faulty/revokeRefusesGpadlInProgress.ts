/**
 * `faulty:revokeRefusesGpadlInProgress`. The lie (capability wireHost): a revoke also answers the
 * GPADLs the guest is still describing with a failed GPADL_CREATED, though it goes on collecting
 * their page lists, so a guest that believed the refusal reuses an id the host still holds.
 * OpenVMM answers nothing for them (choice G31).
 *
 * Must be caught by WHOST-27 (a revoke leaves a GPADL in progress, and its last body completes it).
 */
import type { ChannelId } from '../../src/contract/handles.js';
import { WIRE_STATUS_UNSUCCESSFUL } from '../../src/protocol/messages.js';
import { HostVmbus, StandaloneHost } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-27'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-27'] as const;

class RefusingRevokeHost extends HostVmbus {
  override revoke(id: ChannelId): void {
    const gpadls = this.channel(id)?.gpadls;
    const inProgress = gpadls === undefined ? [] : [...gpadls.values()].filter((g) => g.state.kind === 'InProgress');
    super.revoke(id);
    for (const gpadl of inProgress) this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: id, gpadl: gpadl.id, creationStatus: WIRE_STATUS_UNSUCCESSFUL });
  }
}

class RevokeRefusesGpadlInProgress extends ReferenceVmbus {
  protected override createStandaloneHost(): StandaloneHost {
    return new StandaloneHost((wire, sideband, listener) => new RefusingRevokeHost(wire, sideband, listener));
  }
}

export default faulty('revokeRefusesGpadlInProgress', 'a revoke refuses a GPADL still waiting for its GPADL_BODY', catches, (options) => new RevokeRefusesGpadlInProgress(options), { host: catchesAsHost });
