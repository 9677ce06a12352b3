/**
 * `faulty:hostOffersShareInstance`. The lie: the host offers every channel with the same instance
 * GUID (all zeros), as a host that never sets `if_instance` does.
 *
 * Must be caught by WHOST-29 (every channel the host offers has an instance GUID of its own): a
 * Linux guest would take the second offer for the first device offered again.
 */
import type { ChannelId } from '../../src/contract/handles.js';
import { HostVmbus, StandaloneHost } from '../../src/model/HostVmbus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import type { OfferChannel } from '../../src/protocol/messages.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['WHOST-29'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['WHOST-29'] as const;

class AnonymousHost extends HostVmbus {
  protected override offerMessage(id: ChannelId): OfferChannel {
    return { type: 'OFFERCHANNEL', childRelid: id };
  }
}

class HostOffersShareInstance extends ReferenceVmbus {
  protected override createStandaloneHost(): StandaloneHost {
    return new StandaloneHost((wire, sideband, listener) => new AnonymousHost(wire, sideband, listener));
  }
}

export default faulty('hostOffersShareInstance', 'every offer carries the same instance GUID', catches, (options) => new HostOffersShareInstance(options), { host: catchesAsHost });
