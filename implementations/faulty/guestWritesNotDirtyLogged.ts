/**
 * `faulty:guestWritesNotDirtyLogged`. The lie: the guest's own writes to its buffers do not reach
 * the dirty log of a migration (as writes the guest's hypervisor does not trap), so the final pass
 * does not copy them again and the snapshot misses them.
 *
 * Must be caught by MIG-04 (a page the guest writes during the migration is copied again).
 */
import type { BufferHandle } from '../../src/contract/handles.js';
import { STATUS_INVALID_PARAMETER, STATUS_SUCCESS, type NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MIG-04'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the same rule. */
export const catchesAsGuest = catches;

class GuestWritesNotDirtyLogged extends ReferenceVmbus {
  override writeBuffer(buffer: BufferHandle, offset: number, data: Uint8Array): NtStatus {
    const described = this.describeBuffer(buffer).description;
    if (described === undefined || !Number.isSafeInteger(offset) || offset < 0 || offset + data.length > described.byteCount) return STATUS_INVALID_PARAMETER;
    const span = { byteOffset: described.byteOffset, byteCount: described.byteCount, pfns: Float64Array.from(described.pfns) };
    // Written as the host writes through a mapping: never in the guest's dirty log.
    this.memory.write(span, offset, data, 'host');
    return STATUS_SUCCESS;
  }
}

export default faulty('guestWritesNotDirtyLogged', "the guest's writes do not reach a migration's dirty log", catches, (options) => new GuestWritesNotDirtyLogged(options), { guest: catchesAsGuest });
