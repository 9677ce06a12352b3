import { describe, expect, it } from 'vitest';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { gpadlFlags, formatStatus, STATUS_SUCCESS, type EndpointHandle } from '../../src/contract/index.js';

describe('smoke', () => {
  it('opens, creates, maps, unmaps, deletes', () => {
    const vmbus = new ReferenceVmbus();
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
    expect(vmbus.enableChannel(server)).toBe(STATUS_SUCCESS);
    expect(vmbus.enableChannel(client)).toBe(STATUS_SUCCESS);
    expect(vmbus.endpointInfo(client).info!.state).toBe('Opened');
    expect(vmbus.endpointInfo(server as EndpointHandle).info!.state).toBe('Opened');
    const buffer = vmbus.allocateBuffer({ byteCount: 3 * 4096 + 100, byteOffset: 12 }).buffer!;
    const created = vmbus.createGpadlFromBuffer(client, gpadlFlags(0), buffer, 3 * 4096 + 100);
    expect(formatStatus(created.status)).toBe(formatStatus(STATUS_SUCCESS));
    const mapped = vmbus.mapGpadl(server, gpadlFlags(0), created.gpadl!);
    expect(mapped.status).toBe(STATUS_SUCCESS);
    const deleting = vmbus.deleteGpadl(client, created.gpadl!);
    expect(deleting.state).toBe('pending');
    vmbus.unmapGpadl(server, created.gpadl!);
    expect(vmbus.operationState(deleting.operation)).toBe('completed');
    expect(vmbus.violations()).toEqual([]);
  });
});
