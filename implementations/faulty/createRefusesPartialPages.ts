/**
 * `faulty:createRefusesPartialPages`. The lie: a create from a buffer that starts inside its first
 * page or ends inside its last is refused with STATUS_NOT_SUPPORTED, as a guest whose GPADLs
 * describe whole pages only (Linux's `vmbus_establish_gpadl`) must.
 *
 * Must be caught by CREATE-01 (a create on an opened client endpoint succeeds, over any buffer) and
 * every rule whose scenarios need such a buffer: CREATE-09, MAP-14, MEM-01, MEM-02, WIRE-01, WIRE-02,
 * WIRE-03, WIRE-04 and WIRE-06 (the eight normative rules Linux's guest fails for this reason, and
 * two reference rules). As a guest half, the same but MAP-14, which judges the host.
 */
import type { CreateGpadlResult } from '../../src/contract/Implementation.js';
import { hasUndefinedBits, type GpadlFlags } from '../../src/contract/flags.js';
import { PAGE_SIZE, type BufferHandle, type EndpointHandle } from '../../src/contract/handles.js';
import { STATUS_NOT_SUPPORTED, STATUS_SUCCESS } from '../../src/contract/NtStatus.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { faulty } from './_internals/faulty.js';

export const catches = ['CREATE-01', 'CREATE-09', 'MAP-14', 'MEM-01', 'MEM-02', 'WIRE-01', 'WIRE-02', 'WIRE-03', 'WIRE-04', 'WIRE-06'] as const;
/** As a guest half, with the harness carrying the wire (docs/halves.md): the rules that judge the guest. */
export const catchesAsGuest = ['CREATE-01', 'CREATE-09', 'MEM-01', 'MEM-02', 'WIRE-01', 'WIRE-02', 'WIRE-03', 'WIRE-04', 'WIRE-06'] as const;

class CreateRefusesPartialPages extends ReferenceVmbus {
  override createGpadlFromBuffer(endpoint: EndpointHandle, flags: GpadlFlags, buffer: BufferHandle, byteCount: number): CreateGpadlResult {
    const known = this.live(endpoint);
    const described = this.describeBuffer(buffer);
    const valid = !hasUndefinedBits(flags) && known?.role === 'client' && known.state === 'Opened' && described.status === STATUS_SUCCESS;
    const partial = described.description !== undefined && (described.description.byteOffset !== 0 || byteCount % PAGE_SIZE !== 0);
    if (!valid || !partial || byteCount === 0 || byteCount > described.description!.byteCount) return super.createGpadlFromBuffer(endpoint, flags, buffer, byteCount);
    return this.traced('VmbChannelCreateGpadlFromBuffer', { endpoint, flags, buffer, byteCount }, () => ({ status: STATUS_NOT_SUPPORTED }));
  }
}

export default faulty('createRefusesPartialPages', 'a create from a buffer that is not whole pages is refused', catches, (options) => new CreateRefusesPartialPages(options), { guest: catchesAsGuest });
