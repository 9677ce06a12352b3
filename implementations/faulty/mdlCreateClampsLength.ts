/**
 * `faulty:mdlCreateClampsLength`. The lie: a create from an MDL whose start offset and length run
 * past the end of the chain is not refused: the length is cut to the bytes left after the start
 * offset and the GPADL describes those (choice G15 says STATUS_INVALID_PARAMETER). A start offset
 * at or past the end of the chain is still refused.
 *
 * Must be caught by CREATE-18 (a create from an MDL past the end of the chain fails with
 * STATUS_INVALID_PARAMETER and returns no handle).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, MdlHandle } from '../../src/contract/handles.js';
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import { chainByteCount } from '../../src/model/GuestMemory.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-18'] as const;

class MdlCreateClampsLength extends ReferenceVmbus {
  override createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, startOffset: number, length: number): CreateGpadlResult {
    const record = this.mdls.get(mdl);
    const total = record === undefined ? 0 : chainByteCount(record.chain);
    const clamped = startOffset < total && length > 0 && startOffset + length > total ? total - startOffset : length;
    return super.createGpadlFromMdl(endpoint, flags, mdl, startOffset, clamped);
  }
}

export default faulty('mdlCreateClampsLength', 'a create from an MDL past the end of the chain is shortened, not refused', catches, (options) => new MdlCreateClampsLength(options));
