/**
 * `faulty:hostCreatedBeforeLastBody`. The lie (capability wireHost): the host answers
 * GPADL_CREATED(success) as soon as a GPADL_HEADER arrives whose page list continues in GPADL_BODY
 * messages, before the bodies have come (and again when the last one arrives).
 *
 * Must be caught by WHOST-01 (GPADL_CREATED only once the whole page list has arrived) and WHOST-04
 * (a duplicate header of a GPADL in progress gets one answer, the failure: here the in-progress
 * GPADL is "accepted" again), and WHOST-09, WHOST-13, WHOST-14 and WHOST-30 (whose scenarios send GPADLs
 * over GPADL_BODY messages and expect one GPADL_CREATED for each: two come).
 */
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { HostVmbus, StandaloneHost } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-01', 'WHOST-04', 'WHOST-09', 'WHOST-13', 'WHOST-14', 'WHOST-30'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-01', 'WHOST-04', 'WHOST-09', 'WHOST-13', 'WHOST-14', 'WHOST-30'] as const;

class EagerHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    super.receive(message);
    if (message.type !== 'GPADL_HEADER') return;
    const gpadl = this.channel(message.childRelid)?.gpadls.get(message.gpadl);
    if (gpadl?.state.kind === 'InProgress') this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: message.childRelid, gpadl: message.gpadl, creationStatus: 0 });
  }
}

class HostCreatedBeforeLastBody extends ReferenceVmbus {
  protected override createStandaloneHost(): StandaloneHost {
    return new StandaloneHost((wire, sideband, listener) => new EagerHost(wire, sideband, listener));
  }
}

export default faulty('hostCreatedBeforeLastBody', 'the host answers GPADL_CREATED before the last GPADL_BODY', catches, (options) => new HostCreatedBeforeLastBody(options), { host: catchesAsHost });
