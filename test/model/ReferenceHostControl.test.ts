/**
 * The reference model steered by the suite (capability hostControl): directives on the host, and
 * the guest's creates and opens that meet them. The features check the rules; these check the
 * edges the features do not reach (misuse of the directives, a directive left over at a revoke,
 * several held-back GPADLs, the operation ids of pending creates).
 */
import { describe, expect, it } from 'vitest';
import {
  endpointHandle,
  gpadlFlags,
  operationId,
  STATUS_DEVICE_REMOVED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_DEVICE_STATE,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_PENDING,
  STATUS_SUCCESS,
  STATUS_UNSUCCESSFUL,
  type BufferHandle,
  type EndpointHandle,
  type HostDirective,
} from '../../src/contract/index.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

const RW = gpadlFlags(0);

function openChannel(vmbus: ReferenceVmbus): { server: EndpointHandle; client: EndpointHandle; buffer: BufferHandle } {
  const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
  const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
  expect(vmbus.enableChannel(server)).toBe(STATUS_SUCCESS);
  expect(vmbus.enableChannel(client)).toBe(STATUS_SUCCESS);
  const buffer = vmbus.allocateBuffer({ byteCount: 4096 }).buffer!;
  return { server, client, buffer };
}

const messages = (vmbus: ReferenceVmbus): string[] =>
  vmbus.trace().flatMap((e) => (e.kind === 'message' ? [`${e.direction === 'guest-to-host' ? 'G>H' : 'H>G'} ${e.message.type}`] : []));

describe('hostDirect', () => {
  it('refuses what is not an offered channel of a server endpoint, or not a directive', () => {
    const vmbus = new ReferenceVmbus();
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    expect(vmbus.hostDirect(server, 'refuseGpadl')).toBe(STATUS_INVALID_DEVICE_STATE);
    const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
    expect(vmbus.hostDirect(client, 'refuseGpadl')).toBe(STATUS_INVALID_DEVICE_REQUEST);
    expect(vmbus.hostDirect(endpointHandle(0x7777), 'refuseGpadl')).toBe(STATUS_INVALID_HANDLE);
    vmbus.enableChannel(server);
    expect(vmbus.hostDirect(server, 'refuseEverything' as HostDirective)).toBe(STATUS_INVALID_PARAMETER);
    expect(vmbus.hostDirect(server, 'refuseGpadl')).toBe(STATUS_SUCCESS);
  });

  it('directs one request each, in the order given', () => {
    const vmbus = new ReferenceVmbus();
    const { server, client, buffer } = openChannel(vmbus);
    vmbus.hostDirect(server, 'refuseOpen');
    vmbus.hostDirect(server, 'deferGpadl');
    vmbus.hostDirect(server, 'refuseGpadl');
    expect(vmbus.createGpadlFromBuffer(client, RW, buffer, 4096).status).toBe(STATUS_PENDING);
    expect(vmbus.createGpadlFromBuffer(client, RW, buffer, 4096).status).toBe(STATUS_UNSUCCESSFUL);
    expect(vmbus.createGpadlFromBuffer(client, RW, buffer, 4096).status).toBe(STATUS_SUCCESS);
  });

  it('drops directives not used when the host revokes the channel', () => {
    const vmbus = new ReferenceVmbus();
    const { server, client } = openChannel(vmbus);
    vmbus.hostDirect(server, 'refuseOpen');
    vmbus.disableChannel(client);
    vmbus.cleanupChannel(client);
    vmbus.disableChannel(server);
    expect(vmbus.hostDirect(server, 'refuseOpen')).toBe(STATUS_INVALID_DEVICE_STATE);
    expect(vmbus.enableChannel(server)).toBe(STATUS_SUCCESS);
    const again = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
    vmbus.enableChannel(again);
    expect(vmbus.endpointInfo(again).info!.state).toBe('Opened');
  });
});

describe('a create whose GPADL_CREATED the host holds back', () => {
  it('pends with its own operation id, distinct from the deletes', () => {
    const vmbus = new ReferenceVmbus();
    const { server, client, buffer } = openChannel(vmbus);
    const deleted = vmbus.deleteGpadl(client, vmbus.createGpadlFromBuffer(client, RW, buffer, 4096).gpadl!);
    vmbus.hostDirect(server, 'deferGpadl');
    const pending = vmbus.createGpadlFromBuffer(client, RW, buffer, 4096);
    expect(pending.status).toBe(STATUS_PENDING);
    expect(pending.gpadl).toBeUndefined();
    expect(pending.operation).not.toBe(deleted.operation);
    expect(vmbus.operationState(pending.operation!)).toBe('pending');
    expect(vmbus.createOutcome(pending.operation!)).toEqual({ status: STATUS_PENDING });
    expect(vmbus.createOutcome(deleted.operation)).toEqual({ status: STATUS_INVALID_PARAMETER });
    expect(vmbus.createOutcome(operationId(0x999))).toEqual({ status: STATUS_INVALID_PARAMETER });
  });

  it('completes with the handle it sent once the host answers, and has no return event before', () => {
    const vmbus = new ReferenceVmbus();
    const { server, client, buffer } = openChannel(vmbus);
    vmbus.hostDirect(server, 'deferGpadl');
    const pending = vmbus.createGpadlFromBuffer(client, RW, buffer, 4096);
    const returns = () => vmbus.trace().filter((e) => e.kind === 'return' && e.fn === 'VmbChannelCreateGpadlFromBuffer').length;
    expect(returns()).toBe(0);
    expect(vmbus.hostAnswerDeferred(server)).toBe(STATUS_SUCCESS);
    expect(vmbus.hostAnswerDeferred(server)).toBe(STATUS_INVALID_DEVICE_STATE);
    const outcome = vmbus.createOutcome(pending.operation!);
    expect(outcome.status).toBe(STATUS_SUCCESS);
    expect(vmbus.operationState(pending.operation!)).toBe('completed');
    expect(vmbus.trace().at(-1)).toEqual({ kind: 'completed', fn: 'VmbChannelCreateGpadlFromBuffer', operation: pending.operation });
    expect(vmbus.mapGpadl(server, RW, outcome.gpadl!).status).toBe(STATUS_SUCCESS);
  });

  it('is no live GPADL yet: an unmap of its handle records UnmapOfUnknownGpadl (G5; found by the properties)', () => {
    const vmbus = new ReferenceVmbus();
    const { server, client, buffer } = openChannel(vmbus);
    vmbus.hostDirect(server, 'deferGpadl');
    vmbus.createGpadlFromBuffer(client, RW, buffer, 4096);
    const sent = vmbus.trace().findLast((e) => e.kind === 'message' && e.message.type === 'GPADL_HEADER');
    const handle = sent?.kind === 'message' && sent.message.type === 'GPADL_HEADER' ? sent.message.gpadl : undefined;
    vmbus.unmapGpadl(server, handle!);
    expect(vmbus.violations().map((v) => v.kind)).toEqual(['UnmapOfUnknownGpadl']);
  });

  it('fails with STATUS_DEVICE_REMOVED at a rescind, after which the host refuses it on the wire', () => {
    const vmbus = new ReferenceVmbus();
    const { server, client, buffer } = openChannel(vmbus);
    vmbus.hostDirect(server, 'deferGpadl');
    const pending = vmbus.createGpadlFromBuffer(client, RW, buffer, 4096);
    const before = messages(vmbus).length;
    vmbus.disableChannel(server);
    // The ring-buffer GPADL goes without a message: after a rescind a teardown is local (Linux).
    expect(messages(vmbus).slice(before)).toEqual(['H>G RESCIND_CHANNELOFFER', 'H>G GPADL_CREATED']);
    expect(vmbus.createOutcome(pending.operation!)).toEqual({ status: STATUS_DEVICE_REMOVED });
    expect(vmbus.describeBuffer(buffer).description!.locked).toBe(false);
  });
});

describe('a GPADL the host refuses', () => {
  const created = (vmbus: ReferenceVmbus): number[] =>
    vmbus.trace().flatMap((e) => (e.kind === 'message' && e.message.type === 'GPADL_CREATED' ? [e.message.gpadl] : []));

  it('is answered with one GPADL_CREATED, a create from a buffer as the ring-buffer GPADL of an open', () => {
    const vmbus = new ReferenceVmbus();
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    vmbus.enableChannel(server);
    const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
    vmbus.hostDirect(server, 'refuseGpadl');
    vmbus.enableChannel(client);
    expect(created(vmbus)).toHaveLength(1);
    vmbus.disableChannel(client);
    vmbus.enableChannel(client);
    const buffer = vmbus.allocateBuffer({ byteCount: 4096 }).buffer!;
    vmbus.hostDirect(server, 'refuseGpadl');
    expect(vmbus.createGpadlFromBuffer(client, RW, buffer, 4096).status).toBe(STATUS_UNSUCCESSFUL);
    const answers = created(vmbus);
    expect(answers).toHaveLength(3);
    expect(new Set(answers).size).toBe(3);
  });
});

describe('a host that answers nothing at a revoke (revokeSilently)', () => {
  it('fails every create still waiting at the rescind, each once, with STATUS_DEVICE_REMOVED', () => {
    const vmbus = new ReferenceVmbus();
    const { server, client, buffer } = openChannel(vmbus);
    for (let i = 0; i < 3; i++) vmbus.hostDirect(server, 'deferGpadl');
    const pending = [0, 1, 2].map(() => vmbus.createGpadlFromBuffer(client, RW, buffer, 4096).operation!);
    expect(vmbus.hostDirect(server, 'revokeSilently')).toBe(STATUS_SUCCESS);
    const before = messages(vmbus).length;
    vmbus.disableChannel(server);
    expect(messages(vmbus).slice(before)).toEqual(['H>G RESCIND_CHANNELOFFER']);
    for (const operation of pending) {
      expect(vmbus.createOutcome(operation)).toEqual({ status: STATUS_DEVICE_REMOVED });
      expect(vmbus.trace().filter((e) => e.kind === 'completed' && e.operation === operation)).toHaveLength(1);
    }
    expect(vmbus.describeBuffer(buffer).description!.locked).toBe(false);
  });

  it('lets a delete that waited for the unmap complete when the server unmaps', () => {
    const vmbus = new ReferenceVmbus();
    const { server, client, buffer } = openChannel(vmbus);
    const gpadl = vmbus.createGpadlFromBuffer(client, RW, buffer, 4096).gpadl!;
    vmbus.mapGpadl(server, RW, gpadl);
    const deleted = vmbus.deleteGpadl(client, gpadl);
    vmbus.hostDirect(server, 'revokeSilently');
    vmbus.disableChannel(server);
    // (Linux would complete it at the rescind already, waking the request waiting on the channel.)
    vmbus.unmapGpadl(server, gpadl);
    expect(messages(vmbus).at(-1)).toBe('H>G GPADL_TORNDOWN');
    expect(vmbus.operationState(deleted.operation)).toBe('completed');
    expect(vmbus.describeBuffer(buffer).description!.locked).toBe(false);
  });
});

describe('an open the host refuses', () => {
  it('tears the ring-buffer GPADL down and leaves the client Enabled', () => {
    const vmbus = new ReferenceVmbus();
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    vmbus.enableChannel(server);
    const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
    vmbus.hostDirect(server, 'refuseOpen');
    expect(vmbus.enableChannel(client)).toBe(STATUS_SUCCESS);
    expect(messages(vmbus)).toEqual([
      'H>G OFFERCHANNEL',
      'G>H GPADL_HEADER',
      'H>G GPADL_CREATED',
      'G>H OPENCHANNEL',
      'H>G OPENCHANNEL_RESULT',
      'G>H GPADL_TEARDOWN',
      'H>G GPADL_TORNDOWN',
    ]);
    expect(vmbus.endpointInfo(client).info).toMatchObject({ state: 'Enabled', ringGpadl: null });
    expect(vmbus.endpointInfo(server).info!.state).toBe('Enabled');
  });
});

describe('an open whose ring-buffer GPADL the host answers late', () => {
  function heldOpen(): { vmbus: ReferenceVmbus; server: EndpointHandle; client: EndpointHandle } {
    const vmbus = new ReferenceVmbus();
    const server = vmbus.allocateChannel({ role: 'server' }).endpoint!;
    vmbus.enableChannel(server);
    const client = vmbus.allocateChannel({ role: 'client', server }).endpoint!;
    vmbus.hostDirect(server, 'deferGpadl');
    expect(vmbus.enableChannel(client)).toBe(STATUS_SUCCESS);
    expect(vmbus.endpointInfo(client).info).toMatchObject({ state: 'Enabled', ringGpadl: null });
    return { vmbus, server, client };
  }

  it('goes on with OPENCHANNEL once the answer comes', () => {
    const { vmbus, server, client } = heldOpen();
    expect(vmbus.hostAnswerDeferred(server)).toBe(STATUS_SUCCESS);
    expect(messages(vmbus).slice(-3)).toEqual(['H>G GPADL_CREATED', 'G>H OPENCHANNEL', 'H>G OPENCHANNEL_RESULT']);
    expect(vmbus.endpointInfo(client).info!.state).toBe('Opened');
    expect(vmbus.endpointInfo(server).info!.state).toBe('Opened');
  });

  it('is given up by a disable: enabled again, the client does not open with the old ring (found by the properties)', () => {
    const { vmbus, server, client } = heldOpen();
    vmbus.hostDirect(server, 'refuseOpen');
    vmbus.disableChannel(client);
    vmbus.enableChannel(client);
    expect(vmbus.endpointInfo(client).info).toMatchObject({ state: 'Enabled', ringGpadl: null });
    vmbus.hostAnswerDeferred(server);
    expect(messages(vmbus).slice(-3)).toEqual(['H>G GPADL_CREATED', 'G>H GPADL_TEARDOWN', 'H>G GPADL_TORNDOWN']);
    expect(vmbus.endpointInfo(client).info).toMatchObject({ state: 'Enabled', ringGpadl: null });
    expect(vmbus.endpointInfo(server).info!.state).toBe('Enabled');
  });

  it('tears the ring-buffer GPADL down instead when the client was disabled meanwhile', () => {
    const { vmbus, server, client } = heldOpen();
    vmbus.disableChannel(client);
    vmbus.hostAnswerDeferred(server);
    expect(messages(vmbus).slice(-3)).toEqual(['H>G GPADL_CREATED', 'G>H GPADL_TEARDOWN', 'H>G GPADL_TORNDOWN']);
    expect(vmbus.endpointInfo(client).info).toMatchObject({ state: 'Disabled', ringGpadl: null });
  });
});
