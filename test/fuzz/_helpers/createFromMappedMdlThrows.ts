/**
 * The reference model as it was before issue 10's fix: `createGpadlFromMdl` given the MDL that the
 * server's `mapGpadl` returned threw a TypeError (it read `lockCount` of a buffer that MDL does not
 * have) instead of returning a status. The fuzzer's --misuse mode must find it from scratch.
 */
import type { GpadlFlags } from '../../../src/contract/flags.js';
import type { CreateGpadlResult, ImplementationFactory, MapGpadlResult } from '../../../src/contract/Implementation.js';
import type { EndpointHandle, GpadlHandle, MdlHandle } from '../../../src/contract/handles.js';
import { inProcess } from '../../../src/adapters/inProcess.js';
import { REFERENCE_INFO, ReferenceVmbus } from '../../../src/model/ReferenceVmbus.js';

class CreateFromMappedMdlThrows extends ReferenceVmbus {
  private readonly mapped = new Set<number>();
  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const result = super.mapGpadl(endpoint, flags, gpadl);
    if (result.mdl !== undefined) this.mapped.add(result.mdl);
    return result;
  }
  override createGpadlFromMdl(endpoint: EndpointHandle, flags: GpadlFlags, mdl: MdlHandle, startOffset: number, length: number): CreateGpadlResult {
    if (this.mapped.has(mdl)) throw new TypeError("Cannot read properties of undefined (reading 'lockCount')");
    return super.createGpadlFromMdl(endpoint, flags, mdl, startOffset, length);
  }
}

const info = { ...REFERENCE_INFO, name: 'test:createFromMappedMdlThrows' };
export default { info, start: async () => ({ ...inProcess(new CreateFromMappedMdlThrows()), info }) } satisfies ImplementationFactory;
