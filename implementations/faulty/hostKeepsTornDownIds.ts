/**
 * `faulty:hostKeepsTornDownIds`. The lie (capability wireHost): the host never forgets an id it was
 * asked to tear down on a channel: a later GPADL_HEADER reusing it there is refused with a failed
 * GPADL_CREATED, as if the old GPADL were still live. A guest that counts its GPADL ids up, as
 * Linux and the reference guest do, never meets it; one that hands an id out again after
 * GPADL_TORNDOWN cannot create its GPADL.
 *
 * Must be caught by WHOST-30 (once the host has answered GPADL_TORNDOWN, the id is free again on
 * its channel).
 */
import { WIRE_STATUS_UNSUCCESSFUL, type GuestToHostMessage } from '../../src/protocol/messages.js';
import { HostVmbus } from '../../src/model/HostVmbus.js';
import { faulty } from './_internals/faulty.js';
import { withStandaloneHost } from './_internals/standaloneHost.js';

export const catches = ['WHOST-30'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-30'] as const;

class TombstoneHost extends HostVmbus {
  /** `channel:id` of every GPADL the guest asked to tear down while it was live. */
  private readonly idsTornDown = new Set<string>();

  override receive(message: GuestToHostMessage): void {
    if (message.type === 'GPADL_HEADER' && this.idsTornDown.has(`${message.childRelid}:${message.gpadl}`)) {
      this.wire.toGuest({ type: 'GPADL_CREATED', childRelid: message.childRelid, gpadl: message.gpadl, creationStatus: WIRE_STATUS_UNSUCCESSFUL });
      return;
    }
    if (message.type === 'GPADL_TEARDOWN' && this.channel(message.childRelid)?.gpadls.has(message.gpadl) === true) {
      this.idsTornDown.add(`${message.childRelid}:${message.gpadl}`);
    }
    super.receive(message);
  }
}

export default faulty('hostKeepsTornDownIds', 'the host refuses a GPADL_HEADER reusing an id torn down on its channel', catches, withStandaloneHost((wire, sideband, listener) => new TombstoneHost(wire, sideband, listener)), { host: catchesAsHost });
