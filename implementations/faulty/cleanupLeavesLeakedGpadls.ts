/**
 * `faulty:cleanupLeavesLeakedGpadls`. The lie: the client's cleanup records the GPADLs it leaked
 * but leaves them established, their buffers locked, instead of tearing them down (choice G7).
 *
 * Must be caught by CHAN-24 (the client's cleanup tears down the GPADLs it leaked), a reference
 * rule; the leaks are still recorded (CHAN-23 passes).
 */
import type { EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CHAN-24'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class CleanupLeavesLeakedGpadls extends ReferenceVmbus {
  override cleanupChannel(endpoint: EndpointHandle): void {
    if (this.live(endpoint)?.role !== 'client') return super.cleanupChannel(endpoint);
    const guest = this.guest;
    const teardown = guest.teardownGpadl;
    guest.teardownGpadl = () => undefined;
    try {
      super.cleanupChannel(endpoint);
    } finally {
      guest.teardownGpadl = teardown;
    }
  }
}

export default faulty('cleanupLeavesLeakedGpadls', "the client's cleanup leaves the GPADLs it leaked established", catches, (options) => new CleanupLeavesLeakedGpadls(options), { guest: catchesAsGuest });
