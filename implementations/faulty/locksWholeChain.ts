/**
 * `faulty:locksWholeChain`. The lie: a GPADL created over part of an MDL chain probes and locks
 * every buffer of the chain, not only the buffers the described bytes lie in (choice G22); the
 * extra buffers are unlocked with the others when the GPADL is torn down.
 *
 * Must be caught by MEM-07 (a GPADL over part of an MDL chain locks only the buffers its bytes lie
 * in).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, MdlHandle } from '../../src/contract/handles.js';
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MEM-07'] as const;

class LocksWholeChain extends ReferenceVmbus {
  override createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, startOffset: number, length: number): CreateGpadlResult {
    const result = super.createGpadlFromMdl(endpoint, flags, mdl, startOffset, length);
    const chain = this.mdls.get(mdl);
    const gpadl = result.gpadl === undefined ? undefined : this.guest.gpadls.get(result.gpadl);
    if (chain === undefined || gpadl === undefined) return result;
    const extra = [...new Set(chain.buffers)].filter((buffer) => !gpadl.buffers.includes(buffer));
    for (const buffer of extra) buffer.lockCount++;
    // The guest unlocks a GPADL's buffers when it is gone: the extra ones go with it.
    this.guest.gpadls.set(gpadl.handle, { ...gpadl, buffers: [...gpadl.buffers, ...extra] });
    return result;
  }
}

export default faulty('locksWholeChain', 'a GPADL over part of an MDL chain locks every buffer of the chain', catches, (options) => new LocksWholeChain(options));
