/**
 * `faulty:readOnlyMapBlocksWrites`. The lie: a write through a read-only mapping fails with
 * STATUS_ACCESS_DENIED, although the read-only flag of a map is only a hint for live migration and
 * does not protect the buffer.
 *
 * Must be caught by MEM-03 (writes through a read-only mapping are not prevented and reach the
 * client's buffer) and, with the capability migration, MIG-05 (the write through a read-only
 * mapping succeeds and is missed by the snapshot).
 */
import type { PageExtent } from '../../src/contract/halves.js';
import type { WithStatus } from '../../src/contract/Implementation.js';
import type { MdlHandle } from '../../src/contract/handles.js';
import { STATUS_ACCESS_DENIED, type NtStatus } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['MEM-03', 'MIG-05'] as const;
/** As a host half paired with the reference guest, the harness carrying the wire (docs/halves.md): the same rules, both of which judge the host. */
export const catchesAsHost = catches;

class ReadOnlyMapBlocksWrites extends ReferenceVmbus {
  override writeMdl(mdl: MdlHandle, offset: number, data: Uint8Array): NtStatus {
    const record = this.mdls.get(mdl);
    if (record?.systemVa === true && record.mapping?.writeAccess === false) return STATUS_ACCESS_DENIED;
    return super.writeMdl(mdl, offset, data);
  }

  // As a host half, a write through a mapping is located, then the harness writes guest memory.
  override locateMdl(mdl: MdlHandle, offset: number, length: number, write: boolean): WithStatus<{ extents: PageExtent[] }> {
    const record = this.mdls.get(mdl);
    if (write && record?.systemVa === true && record.mapping?.writeAccess === false) return { status: STATUS_ACCESS_DENIED };
    return super.locateMdl(mdl, offset, length, write);
  }
}

export default faulty('readOnlyMapBlocksWrites', 'a write through a read-only mapping is refused', catches, (options) => new ReadOnlyMapBlocksWrites(options), { host: catchesAsHost });
