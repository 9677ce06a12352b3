/**
 * The harness-facing calls of the reference model (guest memory, MDLs, channel allocation, the
 * snapshot) refuse what they cannot do, with the status the contract gives. The Cucumber suite
 * drives these calls only with valid arguments, so mutation testing (docs/mutation.md) found their
 * refusals untested: each case below kills mutants of src/model/ReferenceVmbus.ts that survived it.
 */
import { describe, expect, it } from 'vitest';
import {
  bufferHandle,
  endpointHandle,
  mdlHandle,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_NO_MEMORY,
  STATUS_SUCCESS,
} from '../../src/contract/index.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

const NO_BUFFER = bufferHandle(0xdead);

describe('guest memory refuses what it cannot do', () => {
  it.each([
    ['no bytes', { byteCount: 0 }],
    ['a first-page offset of a whole page', { byteCount: 1, byteOffset: 4096 }],
    ['a negative offset', { byteCount: 1, byteOffset: -1 }],
    ['a fractional size', { byteCount: 1.5 }],
    ['a fractional offset', { byteCount: 1, byteOffset: 0.5 }],
  ])('allocateBuffer of %s is STATUS_INVALID_PARAMETER', (_, request) => {
    expect(new ReferenceVmbus().allocateBuffer(request)).toEqual({ status: STATUS_INVALID_PARAMETER });
  });

  it('allocateBuffer of more than 65,536 pages is STATUS_NO_MEMORY, of exactly 65,536 is not', () => {
    const vmbus = new ReferenceVmbus();
    expect(vmbus.allocateBuffer({ byteCount: 65536 * 4096 + 1 })).toEqual({ status: STATUS_NO_MEMORY });
    expect(vmbus.allocateBuffer({ byteCount: 65536 * 4096 }).status).toBe(STATUS_SUCCESS);
  });

  it('hands out a new buffer handle each time, and a buffer its own pages', () => {
    const vmbus = new ReferenceVmbus();
    const a = vmbus.allocateBuffer({ byteCount: 4096 }).buffer!;
    const b = vmbus.allocateBuffer({ byteCount: 4096, byteOffset: 100 }).buffer!;
    expect(a).not.toBe(b);
    const da = vmbus.describeBuffer(a).description!;
    const db = vmbus.describeBuffer(b).description!;
    expect(db).toMatchObject({ byteOffset: 100, byteCount: 4096, locked: false });
    expect(db.pfns).toHaveLength(2);
    expect(db.pfns).not.toContain(da.pfns[0]);
  });

  it('describe, write and read of an unknown buffer, or past its end, are STATUS_INVALID_PARAMETER', () => {
    const vmbus = new ReferenceVmbus();
    const buffer = vmbus.allocateBuffer({ byteCount: 10 }).buffer!;
    expect(vmbus.describeBuffer(NO_BUFFER)).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.writeBuffer(NO_BUFFER, 0, new Uint8Array(1))).toBe(STATUS_INVALID_PARAMETER);
    expect(vmbus.readBuffer(NO_BUFFER, 0, 1)).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.writeBuffer(buffer, 9, new Uint8Array(2))).toBe(STATUS_INVALID_PARAMETER);
    expect(vmbus.readBuffer(buffer, 9, 2)).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.readBuffer(buffer, -1, 1)).toEqual({ status: STATUS_INVALID_PARAMETER });
    // What fits exactly is fine, and reads back what was written.
    expect(vmbus.writeBuffer(buffer, 8, Uint8Array.of(1, 2))).toBe(STATUS_SUCCESS);
    expect(vmbus.readBuffer(buffer, 8, 2)).toEqual({ status: STATUS_SUCCESS, data: Uint8Array.of(1, 2) });
  });
});

describe('MDLs refuse what they cannot describe', () => {
  it('buildMdl of no part, an unknown buffer, an empty part or a part past the buffer is STATUS_INVALID_PARAMETER', () => {
    const vmbus = new ReferenceVmbus();
    const buffer = vmbus.allocateBuffer({ byteCount: 8192 }).buffer!;
    expect(vmbus.buildMdl([])).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.buildMdl([{ buffer: NO_BUFFER }])).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.buildMdl([{ buffer, byteOffset: 8192 }])).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.buildMdl([{ buffer, byteCount: 0 }])).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.buildMdl([{ buffer, byteOffset: 4096, byteCount: 4097 }])).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.describeMdl(mdlHandle(0x7777))).toEqual({ status: STATUS_INVALID_PARAMETER });
  });

  it('a part without a size runs to the end of its buffer, and each MDL gets its own handle', () => {
    const vmbus = new ReferenceVmbus();
    const buffer = vmbus.allocateBuffer({ byteCount: 8192 }).buffer!;
    const pfns = vmbus.describeBuffer(buffer).description!.pfns;
    const first = vmbus.buildMdl([{ buffer, byteOffset: 4100 }]).mdl!;
    const second = vmbus.buildMdl([{ buffer }]).mdl!;
    expect(first).not.toBe(second);
    expect(vmbus.describeMdl(first)).toEqual({ status: STATUS_SUCCESS, chain: [{ byteOffset: 4, byteCount: 4092, pfns: [pfns[1]], systemVa: false }] });
  });
});

describe('channel allocation refuses a client it cannot attach', () => {
  it('to an unknown endpoint (STATUS_INVALID_HANDLE), to a client (STATUS_INVALID_PARAMETER), to a server that has one (STATUS_INVALID_DEVICE_STATE)', () => {
    const vmbus = new ReferenceVmbus();
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
    expect(client).not.toBe(server);
    expect(vmbus.allocateChannel({ role: 'client', server: endpointHandle(0x9999) })).toEqual({ status: STATUS_INVALID_HANDLE });
    expect(vmbus.allocateChannel({ role: 'client', server: client })).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.allocateChannel({ role: 'client', server })).toEqual({ status: STATUS_INVALID_DEVICE_STATE });
  });
});

describe('the snapshot', () => {
  it('cannot be read before a migration finished, nor past a buffer', () => {
    const vmbus = new ReferenceVmbus();
    const buffer = vmbus.allocateBuffer({ byteCount: 16 }).buffer!;
    expect(vmbus.readSnapshot(buffer, 0, 1)).toEqual({ status: STATUS_INVALID_DEVICE_STATE });
    expect(vmbus.migrationBegin()).toBe(STATUS_SUCCESS);
    expect(vmbus.migrationBegin()).toBe(STATUS_INVALID_DEVICE_STATE);
    expect(vmbus.migrationFinish().status).toBe(STATUS_SUCCESS);
    expect(vmbus.migrationFinish()).toEqual({ status: STATUS_INVALID_DEVICE_STATE });
    expect(vmbus.readSnapshot(buffer, 8, 9)).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.readSnapshot(NO_BUFFER, 0, 1)).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.readSnapshot(buffer, 0, 16)).toEqual({ status: STATUS_SUCCESS, data: new Uint8Array(16) });
  });
});
