/**
 * `faulty:gpadlBodyNumbered`. The lie: the guest numbers the GPADL_BODY messages of each GPADL 1,
 * 2, 3… in msgnumber, instead of leaving it 0 (choice G16). The host ignores the field, so
 * everything else still works.
 *
 * Must be caught by CREATE-19 (every GPADL_BODY that a create sends carries msgnumber 0).
 */
import { ReferenceVmbus, type ReferenceOptions } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';
import { interceptToHost } from './_internals/interceptToHost.js';

export const catches = ['CREATE-19'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the lie is on the wire, so the same rules. */
export const catchesAsGuest = catches;

class GpadlBodyNumbered extends ReferenceVmbus {
  constructor(options?: ReferenceOptions) {
    super(options);
    let bodies = 0;
    interceptToHost(this.wire, (message, send) => {
      if (message.type === 'GPADL_HEADER') bodies = 0;
      send(message.type === 'GPADL_BODY' ? { ...message, msgNumber: ++bodies } : message);
    });
  }
}

export default faulty('gpadlBodyNumbered', 'GPADL_BODY messages carry msgnumber 1, 2, 3…', catches, (options) => new GpadlBodyNumbered(options), { guest: catchesAsGuest });
