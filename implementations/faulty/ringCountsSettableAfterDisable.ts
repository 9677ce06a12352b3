/**
 * `faulty:ringCountsSettableAfterDisable`. The lie: the ring-buffer page count setter takes any
 * Disabled client endpoint, one enabled and disabled again included, instead of the initial
 * Disabled state only (choice G6).
 *
 * Must be caught by CHAN-08 (the setter reports the wrong state as STATUS_INVALID_PARAMETER_1), a
 * reference rule.
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import type { NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-08'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class RingCountsSettableAfterDisable extends ReferenceVmbus {
  override setRingBufferPageCount(endpoint: EndpointHandle, incomingPages: number, outgoingPages: number): NtStatus {
    const known = this.live(endpoint);
    if (known?.role !== 'client' || known.enabledOnce !== true) return super.setRingBufferPageCount(endpoint, incomingPages, outgoingPages);
    // Forgets, for the call, that the endpoint was enabled before.
    delete known.enabledOnce;
    try {
      return super.setRingBufferPageCount(endpoint, incomingPages, outgoingPages);
    } finally {
      known.enabledOnce = true;
    }
  }
}

export default faulty('ringCountsSettableAfterDisable', 'the ring-buffer page counts can be set again after a disable', catches, (options) => new RingCountsSettableAfterDisable(options), { guest: catchesAsGuest });
