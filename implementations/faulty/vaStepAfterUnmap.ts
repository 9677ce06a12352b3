/**
 * `faulty:vaStepAfterUnmap`. The lie: the virtual-address step on the MDL of a GPADL the server has
 * unmapped succeeds and records nothing (choice G21 says it fails with STATUS_INVALID_DEVICE_STATE
 * and records MdlAccessAfterUnmap). Reads and writes through that MDL are still refused.
 *
 * Must be caught by UNMAP-07 (after the unmap, the MDL cannot be mapped into system virtual address
 * space).
 */
import type { GpadlFlags } from '../../src/contract/flags.js';
import type { EndpointHandle, GpadlHandle, MdlHandle } from '../../src/contract/handles.js';
import type { MapGpadlResult } from '../../src/contract/Implementation.js';
import { STATUS_SUCCESS, type NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['UNMAP-07'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the rules of its lie that judge the host. */
export const catchesAsHost = ['UNMAP-07'] as const;

class VaStepAfterUnmap extends ReferenceVmbus {
  /** Every MDL a map returned. */
  private readonly mapped = new Set<MdlHandle>();

  override mapGpadl(endpoint: EndpointHandle, flags: GpadlFlags, gpadl: GpadlHandle): MapGpadlResult {
    const result = super.mapGpadl(endpoint, flags, gpadl);
    if (result.mdl !== undefined) this.mapped.add(result.mdl);
    return result;
  }

  /** The MDL of a mapping since released is not told apart from a live one. */
  override mapMdlToSystemVa(mdl: MdlHandle): NtStatus {
    if (this.mapped.has(mdl) && !this.mdls.has(mdl)) return STATUS_SUCCESS;
    return super.mapMdlToSystemVa(mdl);
  }
}

export default faulty('vaStepAfterUnmap', 'the virtual-address step on the MDL of an unmapped GPADL succeeds', catches, (options) => new VaStepAfterUnmap(options), { host: catchesAsHost });
