/**
 * `faulty:ignoresUndefinedFlagBits`. The lie: create and map ignore GPADL flag bits other than the
 * read-only bit 0x1 instead of refusing them (choice G2): flags 0x3 mean read-only, 0x2 means 0.
 *
 * Must be caught by CREATE-06 (a create with an undefined bit fails with STATUS_INVALID_PARAMETER),
 * CREATE-07 (and consumes no handle) and MAP-11 (a map with an undefined bit fails with
 * STATUS_INVALID_PARAMETER before anything else).
 */
import { gpadlFlags, VMBUS_CHANNEL_GPADL_FLAGS, type GpadlFlags } from '../../src/contract/flags.js';
import type { BufferHandle, EndpointHandle, GpadlHandle, MdlHandle } from '../../src/contract/handles.js';
import type { CreateGpadlResult, MapGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-06', 'CREATE-07', 'MAP-11'] as const;

const defined = (flags: GpadlFlags): GpadlFlags => gpadlFlags(flags & VMBUS_CHANNEL_GPADL_FLAGS);

class IgnoresUndefinedFlagBits extends ReferenceVmbus {
  override createGpadlFromBuffer(endpoint: EndpointHandle, flags: GpadlFlags, buffer: BufferHandle, byteCount: number): CreateGpadlResult {
    return super.createGpadlFromBuffer(endpoint, defined(flags), buffer, byteCount);
  }

  override createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, startOffset: number, length: number): CreateGpadlResult {
    return super.createGpadlFromMdl(endpoint, defined(flags), mdl, startOffset, length);
  }

  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    return super.mapGpadl(endpoint, defined(flags), gpadl);
  }
}

export default faulty('ignoresUndefinedFlagBits', 'create and map ignore flag bits other than 0x1', catches, (options) => new IgnoresUndefinedFlagBits(options));
