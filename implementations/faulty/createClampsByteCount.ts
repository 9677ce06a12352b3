/**
 * `faulty:createClampsByteCount`. The lie: a create of more bytes than the buffer has is shortened
 * to the buffer and succeeds, instead of being refused (choice G15).
 *
 * Must be caught by CREATE-08 (a create of zero bytes, or of more bytes than the buffer has, fails
 * with STATUS_INVALID_PARAMETER), a reference rule.
 */
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { BufferHandle, EndpointHandle } from '../../src/contract/handles.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-08'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class CreateClampsByteCount extends ReferenceVmbus {
  override createGpadlFromBuffer(endpoint: EndpointHandle, flags: GpadlFlags, buffer: BufferHandle, byteCount: number): CreateGpadlResult {
    const size = this.describeBuffer(buffer).description?.byteCount;
    return super.createGpadlFromBuffer(endpoint, flags, buffer, size !== undefined && byteCount > size ? size : byteCount);
  }
}

export default faulty('createClampsByteCount', 'a create of more bytes than the buffer has is shortened to the buffer', catches, (options) => new CreateClampsByteCount(options), { guest: catchesAsGuest });
