/**
 * `faulty:bufferNotLocked`. The lie: create does not probe and lock the client's buffer: the
 * buffer is never locked, while a GPADL describes it or afterwards.
 *
 * Must be caught by MEM-04 (the buffer stays locked from the create until its GPADLs are deleted),
 * MEM-05 (and through a delete that waits for the server's unmap), MEM-07 (a GPADL over part of
 * an MDL chain locks the buffers its bytes lie in) and WIRE-16 (and while its create waits for the
 * host's answer).
 */
import type { BufferDescription, WithStatus } from '../../src/contract/Implementation.js';
import type { BufferHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MEM-04', 'MEM-05', 'MEM-07', 'WIRE-16'] as const;

class BufferNotLocked extends ReferenceVmbus {
  override describeBuffer(buffer: BufferHandle): WithStatus<{ description: BufferDescription }> {
    const result = super.describeBuffer(buffer);
    return result.description === undefined ? result : { ...result, description: { ...result.description, locked: false } };
  }
}

export default faulty('bufferNotLocked', 'create does not lock the buffer', catches, (options) => new BufferNotLocked(options));
