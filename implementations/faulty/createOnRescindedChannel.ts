/**
 * `faulty:createOnRescindedChannel`. The lie: the guest still establishes GPADLs on a channel the
 * host rescinded, for a client endpoint that had it open: it checks only that the endpoint opened
 * the channel, not that the channel is still offered. The host, which accepts GPADLs on a revoked
 * channel until the guest releases it, confirms them.
 *
 * Must be caught by CHAN-14 (a create on a channel that the host rescinded fails and returns no
 * handle) and CHAN-15 (with STATUS_INVALID_DEVICE_STATE, after the server disabled the channel).
 */
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-14', 'CHAN-15'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rules. */
export const catchesAsGuest = catches;

class CreateOnRescindedChannel extends ReferenceVmbus {
  override createGpadlFromBuffer(...args: Parameters<ReferenceVmbus['createGpadlFromBuffer']>): CreateGpadlResult {
    return this.onRescinded(args[0], () => super.createGpadlFromBuffer(...args));
  }

  override createGpadlFromMdl(...args: Parameters<ReferenceVmbus['createGpadlFromMdl']>): CreateGpadlResult {
    return this.onRescinded(args[0], () => super.createGpadlFromMdl(...args));
  }

  /** Runs the create as if the client endpoint still had open the channel the host rescinded. */
  private onRescinded(endpoint: EndpointHandle, create: () => CreateGpadlResult): CreateGpadlResult {
    const known = this.live(endpoint);
    if (known?.role !== 'client' || known.channel !== null) return create();
    const rescinded = [...known.opened].findLast((channel) => this.guest.isRescinded(channel));
    if (rescinded === undefined) return create();
    const state = known.state;
    known.state = 'Opened';
    known.channel = rescinded;
    try {
      return create();
    } finally {
      known.state = state;
      known.channel = null;
    }
  }
}

export default faulty('createOnRescindedChannel', 'a create on a channel the host rescinded is still sent and succeeds', catches, (options) => new CreateOnRescindedChannel(options), { guest: catchesAsGuest });
