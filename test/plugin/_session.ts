/** A session with the reference model in-process that calls every contract method, recorded. */
import { inProcess } from '../../src/adapters/inProcess.js';
import {
  bufferHandle,
  endpointHandle,
  gpadlFlags,
  gpadlHandle,
  mdlHandle,
  NO_GPADL_FLAGS,
  operationId,
  VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY,
  type VmbusImplementation,
} from '../../src/contract/index.js';
import { ReferenceVmbus, REFERENCE_INFO } from '../../src/model/ReferenceVmbus.js';
import { CONTRACT_COMMANDS, type ContractCommand } from '../../src/plugin/protocol.js';

export interface Recorded {
  readonly method: ContractCommand;
  readonly args: unknown[];
  readonly result: unknown;
}

/** The reference model in-process, recording every call with its result. */
function recording(calls: Recorded[]): VmbusImplementation {
  const inner = inProcess(new ReferenceVmbus()) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const wrapped: Record<string, unknown> = { info: REFERENCE_INFO, close: async () => {} };
  for (const method of CONTRACT_COMMANDS) {
    wrapped[method] = async (...args: unknown[]) => {
      const result = await inner[method]!(...args);
      calls.push({ method, args, result });
      return result;
    };
  }
  return wrapped as unknown as VmbusImplementation;
}

/** A session that calls every method, with successes, failures, misuse and every message type. */
export async function session(): Promise<Recorded[]> {
  const calls: Recorded[] = [];
  const vmbus = recording(calls);
  const server = (await vmbus.allocateChannel({ role: 'server' })).endpoint!;
  await vmbus.allocateChannel({ role: 'client', server: endpointHandle(0xdead) });
  await vmbus.enableChannel(server);
  const client = (await vmbus.allocateChannel({ role: 'client', server })).endpoint!;
  await vmbus.setRingBufferPageCount(client, 3, 5);
  await vmbus.enableChannel(client);
  await vmbus.endpointInfo(client);
  await vmbus.endpointInfo(server);
  await vmbus.endpointInfo(endpointHandle(1));
  const buffer = (await vmbus.allocateBuffer({ byteCount: 40 * 4096, byteOffset: 7 })).buffer!;
  await vmbus.allocateBuffer({ byteCount: 0 });
  await vmbus.writeBuffer(buffer, 1, new Uint8Array([0, 1, 0x7f, 0x80, 0xff]));
  await vmbus.writeBuffer(buffer, 0, new Uint8Array());
  await vmbus.readBuffer(buffer, 0, 6);
  await vmbus.readBuffer(bufferHandle(1), 0, 6);
  await vmbus.describeBuffer(buffer);
  const built = (await vmbus.buildMdl([{ buffer, byteOffset: 10, byteCount: 5000 }, { buffer }])).mdl!;
  await vmbus.buildMdl([]);
  await vmbus.describeMdl(built);
  const gpadl = (await vmbus.createGpadlFromBuffer(client, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY, buffer, 40 * 4096)).gpadl!;
  await vmbus.createGpadlFromBuffer(client, gpadlFlags(0xfffffffe), buffer, 10);
  const fromMdl = (await vmbus.createGpadlFromMdl(client, NO_GPADL_FLAGS, built, 3, 0)).gpadl!;
  const mdl = (await vmbus.mapGpadl(server, VMBUS_CHANNEL_GPADL_FLAG_READ_ONLY, gpadl)).mdl!;
  await vmbus.mapGpadl(server, NO_GPADL_FLAGS, gpadl);
  await vmbus.readMdl(mdl, 0, 4);
  await vmbus.mapMdlToSystemVa(mdl);
  await vmbus.writeMdl(mdl, 4, new Uint8Array([9, 8]));
  await vmbus.readMdl(mdl, 0, 8);
  const pending = await vmbus.deleteGpadl(client, gpadl);
  await vmbus.operationState(pending.operation);
  await vmbus.unmapGpadl(server, gpadl);
  await vmbus.operationState(pending.operation);
  await vmbus.operationState(operationId(0xffff));
  await vmbus.unmapGpadl(client, gpadlHandle(0));
  await vmbus.readMdl(mdlHandle(mdl), 0, 1);
  await vmbus.deleteGpadl(client, gpadlHandle(0));
  await vmbus.deleteGpadl(client, fromMdl);
  // The host steered: a refused create, a create left pending and then answered, an unknown operation.
  await vmbus.hostDirect!(server, 'refuseGpadl');
  await vmbus.createGpadlFromBuffer(client, NO_GPADL_FLAGS, buffer, 4096);
  await vmbus.hostDirect!(client, 'refuseOpen');
  await vmbus.hostDirect!(server, 'deferGpadl');
  const deferred = await vmbus.createGpadlFromBuffer(client, NO_GPADL_FLAGS, buffer, 4096);
  await vmbus.createOutcome!(deferred.operation!);
  await vmbus.hostAnswerDeferred!(server);
  await vmbus.hostAnswerDeferred!(server);
  const answered = await vmbus.createOutcome!(deferred.operation!);
  await vmbus.createOutcome!(operationId(0xffff));
  await vmbus.deleteGpadl(client, answered.gpadl!);
  await vmbus.disableChannel(client);
  await vmbus.disableChannel(server);
  await vmbus.cleanupChannel(client);
  await vmbus.cleanupChannel(server);
  await vmbus.violations();
  await vmbus.trace();
  // A migration: calls out of order (refused), then one with a guest write during pre-copy.
  await vmbus.readSnapshot!(buffer, 0, 8);
  await vmbus.migrationFinish!();
  await vmbus.migrationBegin!();
  await vmbus.migrationBegin!();
  await vmbus.writeBuffer(buffer, 4096, Uint8Array.of(5));
  await vmbus.migrationFinish!();
  await vmbus.readSnapshot!(buffer, 4090, 12);
  await vmbus.readSnapshot!(buffer, 40 * 4096, 1);
  // The wire host: an offer, a one-page GPADL (accepted), a malformed message (dropped), a hold,
  // a teardown held back, the release that lets GPADL_TORNDOWN go, a failed hold, a revoke.
  const { channelId: hostChannel } = await vmbus.hostOffer!();
  const header = Uint8Array.of(8, 0, 0, 0, 0, 0, 0, 0, hostChannel, 0, 0, 0, 7, 0, 0, 0, 16, 0, 1, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0);
  await vmbus.hostReceive!(header);
  await vmbus.hostReceive!(Uint8Array.of(1, 2, 3));
  await vmbus.hostHold!(hostChannel, gpadlHandle(7));
  await vmbus.hostReceive!(Uint8Array.of(11, 0, 0, 0, 0, 0, 0, 0, hostChannel, 0, 0, 0, 7, 0, 0, 0));
  await vmbus.hostRelease!(hostChannel, gpadlHandle(7));
  await vmbus.hostHold!(hostChannel, gpadlHandle(7));
  await vmbus.hostRevoke!(hostChannel);
  return calls;
}

