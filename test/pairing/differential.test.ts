/**
 * The reference model whole against the pairing of its two halves, the harness carrying the wire:
 * random sequences of contract calls (the model-based properties' commands, hostControl included)
 * run on both, and every call must return the same, and the same violations must be recorded. A
 * difference is a bug of the halves, of the pairing, or of the whole, printed as the shrunk list of
 * calls that shows it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inProcess } from '../../src/adapters/inProcess.js';
import { gpadlFlags } from '../../src/contract/flags.js';
import { HOST_DIRECTIVES, type HostDirective, type VmbusImplementation } from '../../src/contract/Implementation.js';
import { endpointHandle, gpadlHandle, mdlHandle, operationId, type BufferHandle, type EndpointHandle, type GpadlHandle, type MdlHandle, type OperationId } from '../../src/contract/handles.js';
import { referenceGuestHalf } from '../../src/model/halves/ReferenceGuestHalf.js';
import { referenceHostHalf } from '../../src/model/halves/ReferenceHostHalf.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { Pairing } from '../../src/pairing/Pairing.js';
import { hostScenarioArb, PAIRS, showCmd, type Cmd, type EpRef, type HandleRef, type Scenario } from '../model/_helpers/gpadlCommands.js';
import { resolveCount } from '../model/_helpers/gpadlRun.js';

/** Runs a scenario on one implementation and returns what every call returned, in order, as text. */
async function transcript(vmbus: VmbusImplementation, scenario: Scenario): Promise<string[]> {
  const out: string[] = [];
  // Operation ids are the implementation's to choose (a guest half numbers every create, since each
  // waits for its answer): they are compared by the order they first appear in.
  const opNames = new Map<number, string>();
  const opName = (id: number): string => opNames.get(id) ?? (opNames.set(id, `op${opNames.size + 1}`), opNames.get(id)!);
  const show = (value: unknown): string =>
    JSON.stringify(value, (key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : key === 'operation' && typeof v === 'number' ? opName(v) : v));
  const buffers: Array<{ handle: BufferHandle; size: number }> = [];
  const mdls: MdlHandle[] = [];
  const gpadls: GpadlHandle[] = [];
  const operations: OperationId[] = [];
  const creates: OperationId[] = [];
  const pairs: Array<{ server: EndpointHandle; client: EndpointHandle }> = [];

  for (const spec of scenario.buffers) {
    const allocated = await vmbus.allocateBuffer(spec);
    buffers.push({ handle: allocated.buffer!, size: spec.byteCount });
  }
  for (let pair = 0; pair < PAIRS; pair++) {
    const server = (await vmbus.allocateChannel({ role: 'server' })).endpoint!;
    const client = (await vmbus.allocateChannel({ role: 'client', server })).endpoint!;
    out.push(`enable ${show([await vmbus.enableChannel(server), await vmbus.enableChannel(client)])}`);
    pairs.push({ server, client });
  }
  const buffer = (i: number) => buffers[i % buffers.length]!;
  const ep = (ref: EpRef): EndpointHandle => ('bogus' in ref ? endpointHandle(0x7777) : pairs[ref.pair]![ref.role]);
  const handle = (ref: HandleRef): GpadlHandle => {
    if (ref.k === 'zero') return gpadlHandle(0);
    if (ref.k === 'unknown' || gpadls.length === 0) return gpadlHandle(0xe1f00);
    return gpadls[gpadls.length - 1 - (ref.i % gpadls.length)]!;
  };
  const mdl = (i: number): MdlHandle => (mdls.length === 0 ? mdlHandle(0x1234) : mdls[mdls.length - 1 - (i % mdls.length)]!);
  const build = async (parts: Cmd & { op: 'buildMdl' }) => {
    const result = await vmbus.buildMdl(parts.parts.map((p) => {
      const b = buffer(p.buf);
      const off = p.off % b.size;
      return { buffer: b.handle, byteOffset: off, byteCount: resolveCount(p.len, b.size - off) };
    }));
    if (result.mdl !== undefined) mdls.push(result.mdl);
    return result;
  };
  out.push(`buildMdl ${show(await build({ op: 'buildMdl', parts: scenario.chain }))}`);

  for (const cmd of scenario.cmds) {
    let result: unknown;
    switch (cmd.op) {
      case 'createBuf': {
        const b = buffer(cmd.buf);
        result = await vmbus.createGpadlFromBuffer(ep(cmd.ep), gpadlFlags(cmd.flags), b.handle, resolveCount(cmd.count, b.size));
        break;
      }
      case 'createMdl':
        result = await vmbus.createGpadlFromMdl(ep(cmd.ep), gpadlFlags(cmd.flags), mdl(cmd.mdl), resolveCount(cmd.start, 3 * 4096), resolveCount(cmd.length, 3 * 4096));
        break;
      case 'buildMdl':
        result = await build(cmd);
        break;
      case 'delete': {
        const started = await vmbus.deleteGpadl(ep(cmd.ep), handle(cmd.h));
        operations.push(started.operation);
        result = started;
        break;
      }
      case 'map': {
        const mapped = await vmbus.mapGpadl(ep(cmd.ep), gpadlFlags(cmd.flags), handle(cmd.h));
        if (mapped.mdl !== undefined) mdls.push(mapped.mdl);
        result = mapped;
        break;
      }
      case 'unmap':
        result = await vmbus.unmapGpadl(ep(cmd.ep), handle(cmd.h));
        break;
      case 'sysVa':
        result = await vmbus.mapMdlToSystemVa(mdl(cmd.mdl));
        break;
      case 'writeMdl':
        result = await vmbus.writeMdl(mdl(cmd.mdl), cmd.off, new Uint8Array(cmd.len).fill(cmd.byte));
        break;
      case 'readMdl':
        result = await vmbus.readMdl(mdl(cmd.mdl), cmd.off, cmd.len);
        break;
      case 'writeBuf':
        result = await vmbus.writeBuffer(buffer(cmd.buf).handle, cmd.off, new Uint8Array(cmd.len).fill(cmd.byte));
        break;
      case 'readBuf':
        result = await vmbus.readBuffer(buffer(cmd.buf).handle, cmd.off, cmd.len);
        break;
      case 'enable':
        result = await vmbus.enableChannel(ep(cmd.ep));
        break;
      case 'disable':
        result = await vmbus.disableChannel(ep(cmd.ep));
        break;
      case 'cleanup':
        result = await vmbus.cleanupChannel(ep(cmd.ep));
        break;
      case 'reopen':
        await vmbus.disableChannel(ep(cmd.ep));
        result = await vmbus.enableChannel(ep(cmd.ep));
        break;
      case 'hostDirect':
        result = await vmbus.hostDirect!(ep(cmd.ep), (HOST_DIRECTIVES.includes(cmd.directive as HostDirective) ? cmd.directive : 'nonsense') as HostDirective);
        break;
      case 'hostAnswer':
        result = await vmbus.hostAnswerDeferred!(ep(cmd.ep));
        break;
      case 'createOutcome': {
        const list = cmd.ref.k === 'create' ? creates : operations;
        const op = cmd.ref.k === 'unknown' || list.length === 0 ? operationId(0x5555) : list[list.length - 1 - (cmd.ref.i % list.length)]!;
        result = await vmbus.createOutcome!(op);
        break;
      }
    }
    const created = result as { gpadl?: GpadlHandle; operation?: OperationId } | undefined;
    if ((cmd.op === 'createBuf' || cmd.op === 'createMdl') && created?.gpadl !== undefined) gpadls.push(created.gpadl);
    if ((cmd.op === 'createBuf' || cmd.op === 'createMdl') && created?.operation !== undefined) {
      creates.push(created.operation);
      operations.push(created.operation);
    }
    out.push(`${showCmd(cmd)} -> ${show(result)}`);
  }
  out.push(`operations ${show(await Promise.all(operations.map((op) => vmbus.operationState(op))))}`);
  out.push(`endpoints ${show(await Promise.all(pairs.flatMap((p) => [vmbus.endpointInfo(p.server), vmbus.endpointInfo(p.client)])))}`);
  out.push(`buffers ${show(await Promise.all(buffers.map((b) => vmbus.describeBuffer(b.handle))))}`);
  // The whole records violations as they happen; the pairing collects the guest's, the host's and its own.
  out.push(`violations ${show((await vmbus.violations()).map((v) => show(v)).sort())}`);
  return out;
}

describe('the reference model whole and its halves paired', () => {
  it('return the same to every call of random sequences, hostControl included', async () => {
    await fc.assert(
      fc.asyncProperty(hostScenarioArb, async (scenario) => {
        const whole = await transcript(inProcess(new ReferenceVmbus({ trace: false })), scenario);
        const paired = await transcript(new Pairing(referenceGuestHalf(), referenceHostHalf()), scenario);
        expect(paired).toEqual(whole);
      }),
      // Fixed for CI; DIFF_SEED and DIFF_RUNS explore further by hand.
      { numRuns: Number(process.env['DIFF_RUNS'] ?? 150), seed: Number(process.env['DIFF_SEED'] ?? 20261205) },
    );
  }, 120_000);
});
