/**
 * `faulty:mdlStartOffsetIgnored`. The lie: a create from an MDL ignores StartOffsetWithinMdl and
 * describes the chain from its first byte.
 *
 * Must be caught by CREATE-14 (length 0 describes from the start offset to the end of the chain),
 * CREATE-15 (a create from an MDL describes exactly the bytes from the start offset), CREATE-18
 * (bytes from the start offset past the end of the chain are refused: counted from byte 0 they
 * fit) and MEM-07 (only the buffers the bytes from the start offset lie in are locked: it locks
 * the buffers of the bytes from the first byte of the chain instead), and CREATE-13 and CREATE-16
 * (the pages and the MDLs of a three-part chain described from a start offset).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, MdlHandle } from '../../src/contract/handles.js';
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-13', 'CREATE-14', 'CREATE-15', 'CREATE-16', 'CREATE-18', 'MEM-07'] as const;

class MdlStartOffsetIgnored extends ReferenceVmbus {
  override createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, _startOffset: number, length: number): CreateGpadlResult {
    return super.createGpadlFromMdl(endpoint, flags, mdl, 0, length);
  }
}

export default faulty('mdlStartOffsetIgnored', 'a create from an MDL ignores the start offset', catches, (options) => new MdlStartOffsetIgnored(options));
