/**
 * `faulty:hostAnswersUnknownTeardown`. The lie (capability wireHost): a GPADL_TEARDOWN naming an
 * id that is no GPADL of its channel (never created, already torn down, another channel's, or on
 * a released channel) is answered with GPADL_TORNDOWN instead of dropped.
 *
 * Must be caught by WHOST-07 (unknown ids are dropped), WHOST-08 (a teardown naming another
 * channel), WHOST-12 (the GPADL of a dropped 244-byte header does not exist) and WHOST-19 (after
 * RELID_RELEASED the channel's GPADLs are gone).
 */
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { HostVmbus, StandaloneHost } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-07', 'WHOST-08', 'WHOST-12', 'WHOST-19'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-07', 'WHOST-08', 'WHOST-12', 'WHOST-19'] as const;

class ChattyHost extends HostVmbus {
  override receive(message: GuestToHostMessage): void {
    const unknown = message.type === 'GPADL_TEARDOWN' && this.channel(message.childRelid)?.gpadls.get(message.gpadl) === undefined;
    super.receive(message);
    if (unknown) this.wire.toGuest({ type: 'GPADL_TORNDOWN', gpadl: message.gpadl });
  }
}

class HostAnswersUnknownTeardown extends ReferenceVmbus {
  protected override createStandaloneHost(): StandaloneHost {
    return new StandaloneHost((wire, sideband, listener) => new ChattyHost(wire, sideband, listener));
  }
}

export default faulty('hostAnswersUnknownTeardown', 'the host answers a GPADL_TEARDOWN of an unknown id', catches, (options) => new HostAnswersUnknownTeardown(options), { host: catchesAsHost });
