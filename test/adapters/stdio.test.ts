/**
 * The `cmd:` adapter against the reference model served over the protocol
 * (`vmbus-conformance-serve inproc:reference`): the same calls give the same results as in-process,
 * trace and violations included, with schema validation on.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveImplementation } from '../../src/adapters/registry.js';
import { inProcess } from '../../src/adapters/inProcess.js';
import { StdioFactory } from '../../src/adapters/stdio/index.js';
import { gpadlFlags, gpadlHandle, NO_GPADL_FLAGS, STATUS_SUCCESS, type VmbusImplementation } from '../../src/contract/index.js';
import { ReferenceVmbus, REFERENCE_INFO } from '../../src/model/ReferenceVmbus.js';
import { alive, ROOT, SERVED_REFERENCE } from './_stdioFake.js';

const started: StdioFactory[] = [];
afterAll(async () => {
  await Promise.all(started.map((f) => f.stop()));
});

async function served(): Promise<StdioFactory> {
  const factory = await StdioFactory.connect({ command: SERVED_REFERENCE, cwd: ROOT, validateProtocol: true });
  started.push(factory);
  return factory;
}

/** Create, map, write through the mapping, delete while mapped, unmap; everything it saw. */
async function conversation(vmbus: VmbusImplementation): Promise<unknown[]> {
  const seen: unknown[] = [];
  const keep = <T>(value: T): T => {
    seen.push(value);
    return value;
  };
  const server = keep(await vmbus.allocateChannel({ role: 'server' })).endpoint!;
  keep(await vmbus.enableChannel(server));
  const client = keep(await vmbus.allocateChannel({ role: 'client', server })).endpoint!;
  keep(await vmbus.enableChannel(client));
  keep(await vmbus.endpointInfo(client));
  const buffer = keep(await vmbus.allocateBuffer({ byteCount: 3 * 4096 + 100, byteOffset: 12 })).buffer!;
  keep(await vmbus.writeBuffer(buffer, 5, new Uint8Array([1, 2, 3, 0xff])));
  keep(await vmbus.describeBuffer(buffer));
  const gpadl = keep(await vmbus.createGpadlFromBuffer(client, NO_GPADL_FLAGS, buffer, 3 * 4096 + 100)).gpadl!;
  keep(await vmbus.createGpadlFromBuffer(client, gpadlFlags(0x80000000), buffer, 10));
  const mdl = keep(await vmbus.mapGpadl(server, NO_GPADL_FLAGS, gpadl)).mdl!;
  keep(await vmbus.describeMdl(mdl));
  keep(await vmbus.readMdl(mdl, 0, 8));
  keep(await vmbus.mapMdlToSystemVa(mdl));
  keep(await vmbus.writeMdl(mdl, 0, new Uint8Array([0xa5, 0x5a])));
  keep(await vmbus.readBuffer(buffer, 0, 9));
  const deletion = keep(await vmbus.deleteGpadl(client, gpadl));
  keep(await vmbus.operationState(deletion.operation));
  keep(await vmbus.unmapGpadl(server, gpadl));
  keep(await vmbus.operationState(deletion.operation));
  keep(await vmbus.unmapGpadl(server, gpadlHandle(0x1234)));
  const built = keep(await vmbus.buildMdl([{ buffer, byteOffset: 100, byteCount: 5000 }, { buffer }])).mdl!;
  keep(await vmbus.createGpadlFromMdl(client, NO_GPADL_FLAGS, built, 10, 0));
  keep(await vmbus.setRingBufferPageCount(client, 2, 2));
  keep(await vmbus.disableChannel(client));
  keep(await vmbus.cleanupChannel(client));
  keep(await vmbus.violations());
  keep(await vmbus.trace());
  return seen;
}

describe('the cmd: adapter against the served reference model', () => {
  it('says what the implementation said in hello: the whole model, and both halves beside it', async () => {
    const factory = await served();
    expect(factory.info).toEqual({ ...REFERENCE_INFO, halves: ['guest', 'host'], whole: true });
  });

  it('gives the same results as the reference model in-process, trace and violations included', async () => {
    const factory = await served();
    const overStdio = await conversation(await factory.start());
    const inProc = await conversation(inProcess(new ReferenceVmbus()));
    expect(overStdio).toEqual(inProc);
    // Bytes come back as plain Uint8Arrays, so that steps can compare them with deepEqual.
    expect(overStdio.some((v) => (v as { data?: unknown }).data?.constructor === Uint8Array)).toBe(true);
    const trace = overStdio[overStdio.length - 1] as { kind: string; message?: { type: string; rangeData?: unknown } }[];
    const header = trace.find((e) => e.kind === 'message' && e.message?.type === 'GPADL_HEADER');
    expect(header?.message?.rangeData).toBeInstanceOf(Uint8Array);
    expect(factory.restarts).toBe(0);
  });

  it('starts every connection afresh with reset', async () => {
    const factory = await served();
    const first = await factory.start();
    expect((await first.allocateChannel({ role: 'server' })).endpoint).toBe(0x100);
    await first.close();
    const second = await factory.start();
    expect(await second.allocateChannel({ role: 'server' })).toEqual({ status: STATUS_SUCCESS, endpoint: 0x100 });
    expect(await second.trace()).toHaveLength(2);
  });

  it('is the connector for cmd: in the registry, resolved once per spec', async () => {
    const spec = `cmd:${SERVED_REFERENCE}`;
    const factory = await resolveImplementation(spec, { cwd: ROOT });
    started.push(factory as StdioFactory);
    expect(factory).toBeInstanceOf(StdioFactory);
    expect(await resolveImplementation(spec, { cwd: ROOT })).toBe(factory);
    expect(factory.info.name).toBe(REFERENCE_INFO.name);
  });

  it('lets Node exit while the implementation idles, and leaves no process behind', async () => {
    // A Node program that connects, starts a connection, and simply ends without stopping anything.
    const connector = pathToFileURL(path.join(ROOT, 'dist/src/adapters/stdio/index.js')).href;
    const program = [
      `const { StdioFactory } = await import(${JSON.stringify(connector)});`,
      `const factory = await StdioFactory.connect({ command: ${JSON.stringify(SERVED_REFERENCE)}, cwd: ${JSON.stringify(ROOT)} });`,
      'await factory.start();',
      'console.log(factory.pid);',
    ].join('\n');
    const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    // Stopped at its exit (shutdown, then SIGKILL after a grace period): a loaded machine may take a while.
    await expect.poll(() => alive(pid), { timeout: 30_000 }).toBe(false);
  });
});
