/**
 * `faulty:gpadlBodyNumbered`. The lie: the guest numbers the GPADL_BODY messages of each GPADL 1,
 * 2, 3… in msgnumber, instead of leaving it 0 (choice G16). The host ignores the field, so
 * everything else still works.
 *
 * Must be caught by CREATE-19 (every GPADL_BODY that a create sends carries msgnumber 0).
 */
import type { GuestToHostMessage } from '../../src/protocol/messages.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import type { Wire } from '../../src/model/Wire.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-19'] as const;

class GpadlBodyNumbered extends ReferenceVmbus {
  constructor() {
    super();
    // The guest's wire is private to GuestVmbus; this fake puts a numbering wrapper in front of it
    // behind the type system's back. Only the guest's messages pass through it.
    const guest = this.guest as unknown as { wire: Wire };
    const wire = guest.wire;
    let bodies = 0;
    const toHost = (message: GuestToHostMessage): void => {
      if (message.type === 'GPADL_HEADER') bodies = 0;
      wire.toHost(message.type === 'GPADL_BODY' ? { ...message, msgNumber: ++bodies } : message);
    };
    guest.wire = { toHost, toGuest: (message) => wire.toGuest(message) } as Pick<Wire, 'toHost' | 'toGuest'> as Wire;
  }
}

export default faulty('gpadlBodyNumbered', 'GPADL_BODY messages carry msgnumber 1, 2, 3…', catches, () => new GpadlBodyNumbered());
