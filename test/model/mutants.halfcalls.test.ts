/**
 * The calls a half serves to the harness (the host's write log, the guest's pages by PFN), the
 * operation states and the handle values (choice G14's kin for the harness's own handles), which
 * the suite reaches only with valid arguments or not at all in process. Mutation testing
 * (docs/mutation.md) found them untested.
 */
import { expect, it } from 'vitest';
import {
  gpadlFlags,
  operationId,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
  type Pfn,
} from '../../src/contract/index.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

it('the write log and the migration refuse to start twice or to end before they started', () => {
  const v = new ReferenceVmbus();
  expect(v.takeWriteLog()).toEqual({ status: STATUS_INVALID_DEVICE_STATE });
  expect(v.finishMigration([])).toEqual({ status: STATUS_INVALID_DEVICE_STATE });
  expect(v.beginWriteLog()).toBe(STATUS_SUCCESS);
  expect(v.beginWriteLog()).toBe(STATUS_INVALID_DEVICE_STATE);
  expect(v.takeWriteLog()).toEqual({ status: STATUS_SUCCESS, serverWritable: [] });
  expect(v.takeWriteLog()).toEqual({ status: STATUS_INVALID_DEVICE_STATE });
});

it('the write log holds the pages of a GPADL mapped for write, sorted', () => {
  const v = new ReferenceVmbus();
  const server = v.allocateChannel({ role: 'server' }).endpoint!;
  const client = v.allocateChannel({ role: 'client', server }).endpoint!;
  v.enableChannel(server);
  v.enableChannel(client);
  const buffer = v.allocateBuffer({ byteCount: 3 * 4096 }).buffer!;
  const gpadl = v.createGpadlFromBuffer(client, gpadlFlags(0), buffer, 3 * 4096).gpadl!;
  expect(v.beginWriteLog()).toBe(STATUS_SUCCESS);
  expect(v.mapGpadl(server, gpadlFlags(0), gpadl).status).toBe(STATUS_SUCCESS);
  const pfns = v.describeBuffer(buffer).description!.pfns;
  expect(v.takeWriteLog()).toEqual({ status: STATUS_SUCCESS, serverWritable: [...pfns].sort((a, b) => a - b) });
});

it('reads and writes pages by PFN only within a page, and only as many bytes as given', () => {
  const v = new ReferenceVmbus();
  const buffer = v.allocateBuffer({ byteCount: 4096 }).buffer!;
  const [pfn] = v.describeBuffer(buffer).description!.pfns as Pfn[];
  expect(v.writePages([{ pfn: pfn!, offset: 4094, length: 2 }], Uint8Array.of(7, 8))).toBe(STATUS_SUCCESS);
  expect(v.readPages([{ pfn: pfn!, offset: 4094, length: 2 }])).toEqual({ status: STATUS_SUCCESS, data: Uint8Array.of(7, 8) });
  expect(v.writePages([{ pfn: pfn!, offset: 4094, length: 2 }], Uint8Array.of(7))).toBe(STATUS_INVALID_PARAMETER);
  expect(v.writePages([{ pfn: pfn!, offset: 4095, length: 2 }], Uint8Array.of(7, 8))).toBe(STATUS_INVALID_PARAMETER);
  expect(v.readPages([{ pfn: pfn!, offset: 4095, length: 2 }])).toEqual({ status: STATUS_INVALID_PARAMETER });
  expect(v.readPages([{ pfn: pfn!, offset: -1, length: 1 }])).toEqual({ status: STATUS_INVALID_PARAMETER });
  expect(v.readPages([{ pfn: pfn!, offset: 0, length: 0.5 }])).toEqual({ status: STATUS_INVALID_PARAMETER });
  expect(v.readPages([{ pfn: 7 as Pfn, offset: 0, length: 1 }])).toEqual({ status: STATUS_INVALID_PARAMETER });
  expect(v.readBuffer(buffer, 4094, 2)).toEqual({ status: STATUS_SUCCESS, data: Uint8Array.of(7, 8) });
});

it('an operation id it never handed out is unknown; one that finished is completed', () => {
  const v = new ReferenceVmbus();
  expect(v.operationState(operationId(0))).toBe('unknown');
  expect(v.operationState(operationId(1))).toBe('unknown');
  const server = v.allocateChannel({ role: 'server' }).endpoint!;
  const client = v.allocateChannel({ role: 'client', server }).endpoint!;
  v.enableChannel(server);
  v.enableChannel(client);
  const buffer = v.allocateBuffer({ byteCount: 4096 }).buffer!;
  const gpadl = v.createGpadlFromBuffer(client, gpadlFlags(0), buffer, 4096).gpadl!;
  const start = v.deleteGpadl(client, gpadl);
  expect(start.state).toBe('completed');
  expect(v.operationState(start.operation)).toBe('completed');
  expect(v.operationState(operationId(start.operation + 1))).toBe('unknown');
});

it('hands out endpoint, buffer and MDL handles counting up from 0x100, 0x1000 and 0x2000', () => {
  const v = new ReferenceVmbus();
  const server = v.allocateChannel({ role: 'server' }).endpoint!;
  const client = v.allocateChannel({ role: 'client', server }).endpoint!;
  const a = v.allocateBuffer({ byteCount: 1 }).buffer!;
  const b = v.allocateBuffer({ byteCount: 1 }).buffer!;
  const m = v.buildMdl([{ buffer: a }]).mdl!;
  const n = v.buildMdl([{ buffer: b }]).mdl!;
  expect([server, client, a, b, m, n]).toEqual([0x100, 0x101, 0x1000, 0x1001, 0x2000, 0x2001]);
});
