/**
 * The `migration` capability of the reference model (choice G28): which pages the final pass
 * copies again, what it reports missed, and the calls out of order.
 */
import { describe, expect, it } from 'vitest';
import { NO_GPADL_FLAGS, STATUS_INVALID_DEVICE_STATE, STATUS_SUCCESS, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY } from '../../src/contract/index.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

function open() {
  const vmbus = new ReferenceVmbus();
  const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
  vmbus.enableChannel(server);
  const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
  vmbus.enableChannel(client);
  const buffer = vmbus.allocateBuffer({ byteCount: 8192 }).buffer!;
  const pages = [...vmbus.describeBuffer(buffer).description!.pfns].sort((a, b) => a - b);
  const gpadl = vmbus.createGpadlFromBuffer(client, NO_GPADL_FLAGS, buffer, 8192).gpadl!;
  return { vmbus, server, buffer, pages, gpadl };
}

describe('ReferenceVmbus migration', () => {
  it('refuses calls out of order', () => {
    const { vmbus, buffer } = open();
    expect(vmbus.migrationFinish().status).toBe(STATUS_INVALID_DEVICE_STATE);
    expect(vmbus.readSnapshot(buffer, 0, 1).status).toBe(STATUS_INVALID_DEVICE_STATE);
    expect(vmbus.migrationBegin()).toBe(STATUS_SUCCESS);
    expect(vmbus.migrationBegin()).toBe(STATUS_INVALID_DEVICE_STATE);
    expect(vmbus.migrationFinish().status).toBe(STATUS_SUCCESS);
    expect(vmbus.readSnapshot(buffer, 0, 1).status).toBe(STATUS_SUCCESS);
  });

  it('copies again a write mapping made and released during the migration, and keeps its write', () => {
    const { vmbus, server, buffer, pages, gpadl } = open();
    vmbus.migrationBegin();
    const mdl = vmbus.mapGpadl(server, NO_GPADL_FLAGS, gpadl).mdl!;
    vmbus.mapMdlToSystemVa(mdl);
    vmbus.writeMdl(mdl, 4096, Uint8Array.of(7));
    vmbus.unmapGpadl(server, gpadl);
    const { report } = vmbus.migrationFinish();
    expect(report).toEqual({ recopiedGuestDirty: [], recopiedServerWritable: pages, missed: [] });
    expect(vmbus.readSnapshot(buffer, 4096, 1).data).toEqual(Uint8Array.of(7));
  });

  it('does not copy a read-only mapping again, and reports the write it missed', () => {
    const { vmbus, server, buffer, gpadl } = open();
    const mdl = vmbus.mapGpadl(server, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY, gpadl).mdl!;
    vmbus.mapMdlToSystemVa(mdl);
    vmbus.migrationBegin();
    expect(vmbus.writeMdl(mdl, 5000, Uint8Array.of(9))).toBe(STATUS_SUCCESS);
    const { report } = vmbus.migrationFinish();
    const second = vmbus.describeBuffer(buffer).description!.pfns[1]!;
    expect(report).toEqual({ recopiedGuestDirty: [], recopiedServerWritable: [], missed: [second] });
    expect(vmbus.readSnapshot(buffer, 5000, 1).data).toEqual(Uint8Array.of(0));
    expect(vmbus.readBuffer(buffer, 5000, 1).data).toEqual(Uint8Array.of(9));
  });

  it('counts a write through an MDL the client built over its own buffer as the guest\'s: dirty, copied again', () => {
    const { vmbus, buffer } = open();
    const built = vmbus.buildMdl([{ buffer }]).mdl!;
    vmbus.mapMdlToSystemVa(built);
    vmbus.migrationBegin();
    expect(vmbus.writeMdl(built, 5000, Uint8Array.of(3))).toBe(STATUS_SUCCESS);
    const { report } = vmbus.migrationFinish();
    const second = vmbus.describeBuffer(buffer).description!.pfns[1]!;
    expect(report).toEqual({ recopiedGuestDirty: [second], recopiedServerWritable: [], missed: [] });
    expect(vmbus.readSnapshot(buffer, 5000, 1).data).toEqual(Uint8Array.of(3));
  });
});
