/**
 * `faulty:mapReturnsOneMdl`. The lie: map of a GPADL with several ranges returns one MDL that
 * lists all their pages, not a chain with one MDL per range (choice G11). The pages are still
 * right, and so are the bytes of a chain whose later pieces start on a page boundary; where a later
 * piece starts within its page, one MDL cannot say so and the bytes land shifted.
 *
 * Must be caught by CREATE-16 (a GPADL from an MDL chain has one range per MDL it touches, and its
 * mapping one MDL per range) and CREATE-13 (the server's writes through the mapping of a chain whose
 * parts start mid-page land in each part).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle } from '../../src/contract/handles.js';
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-13', 'CREATE-16'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['CREATE-13', 'CREATE-16'] as const;

class MapReturnsOneMdl extends ReferenceVmbus {
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const result = super.mapGpadl(endpoint, flags, gpadl);
    const record = result.mdl === undefined ? undefined : this.mdls.get(result.mdl);
    if (record === undefined || record.chain.length < 2) return result;
    const pfns = Float64Array.from(record.chain.flatMap((span) => Array.from(span.pfns)));
    const byteCount = record.chain.reduce((sum, span) => sum + span.byteCount, 0);
    this.mdls.set(result.mdl!, { ...record, chain: [{ byteOffset: record.chain[0]!.byteOffset, byteCount, pfns }] });
    return result;
  }
}

export default faulty('mapReturnsOneMdl', 'map returns one MDL for a GPADL of several ranges', catches, (options) => new MapReturnsOneMdl(options), { host: catchesAsHost });
