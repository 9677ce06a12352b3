/**
 * `faulty:createBeforeOpenInvalidHandle`. The lie: a create on a client endpoint that has never
 * opened its channel fails with STATUS_INVALID_HANDLE (there is no channel object to look up yet)
 * instead of STATUS_INVALID_DEVICE_STATE.
 *
 * Must be caught by CHAN-06 (a create on a client endpoint that has not opened its channel fails
 * with STATUS_INVALID_DEVICE_STATE), a reference rule.
 */
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import type { EndpointHandle } from '../../src/contract/handles.js';
import { STATUS_INVALID_HANDLE } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-06'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class CreateBeforeOpenInvalidHandle extends ReferenceVmbus {
  override createGpadlFromBuffer(...args: Parameters<ReferenceVmbus['createGpadlFromBuffer']>): CreateGpadlResult {
    return this.neverOpened(args[0]) ? this.refused('VmbChannelCreateGpadlFromBuffer') : super.createGpadlFromBuffer(...args);
  }

  override createGpadlFromMdl(...args: Parameters<ReferenceVmbus['createGpadlFromMdl']>): CreateGpadlResult {
    return this.neverOpened(args[0]) ? this.refused('VmbChannelCreateGpadlFromMdl') : super.createGpadlFromMdl(...args);
  }

  private neverOpened(endpoint: EndpointHandle): boolean {
    const known = this.live(endpoint);
    return known?.role === 'client' && known.opened.size === 0 && known.state !== 'Opened';
  }

  private refused(fn: string): CreateGpadlResult {
    return this.traced(fn, {}, () => ({ status: STATUS_INVALID_HANDLE }));
  }
}

export default faulty('createBeforeOpenInvalidHandle', 'a create before the first open fails with STATUS_INVALID_HANDLE', catches, (options) => new CreateBeforeOpenInvalidHandle(options), { guest: catchesAsGuest });
