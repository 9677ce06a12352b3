/**
 * Protocol versions over stdio: the harness offers versions 1 and 2 in `hello` and speaks the one
 * the implementation chose. A version-1 program is sent one request at a time, however the calls
 * were made; a version-2 one gets the requests of calls made together in one write and answers them
 * in order; the served reference model chooses 2, and its trace travels from the last index the
 * harness has. Order and counts only: no test here measures time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { inProcess } from '../../src/adapters/inProcess.js';
import { StdioFactory } from '../../src/adapters/stdio/index.js';
import { NO_GPADL_FLAGS, operationId, type VmbusImplementation } from '../../src/contract/index.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';
import { fake, ROOT, SERVED_REFERENCE, type Misbehaviour } from './_stdioFake.js';

const started: StdioFactory[] = [];
afterAll(async () => {
  await Promise.all(started.map((f) => f.stop()));
});

interface Transcribed {
  readonly factory: StdioFactory;
  /** Every line sent, parsed. */
  readonly sent: Record<string, unknown>[];
}

async function connect(command: string, cwd: string): Promise<Transcribed> {
  const sent: Record<string, unknown>[] = [];
  const factory = await StdioFactory.connect({ command, cwd, validateProtocol: true, transcript: (direction, line) => void (direction === 'sent' && sent.push(JSON.parse(line) as Record<string, unknown>)) });
  started.push(factory);
  return { factory, sent };
}

async function connectFake(mode: Misbehaviour): Promise<Transcribed> {
  const { command, dir } = await fake(mode);
  return connect(command, dir);
}

/**
 * How many request lines each chunk the fake read held, from its standard error. Read once the
 * program has ended: standard error is a pipe of its own, with no order against the answers on
 * standard output, so a chunk's line may still be on its way when the answer has arrived. The
 * last chunk is therefore always the `shutdown` that ended it.
 */
async function chunksToEnd(factory: StdioFactory): Promise<number[]> {
  await factory.stop();
  return [...factory.stderrTail.matchAll(/^chunk of (\d+) lines$/gm)].map((m) => Number(m[1]));
}

/** Six different calls made together, each answered with its own command's result. */
async function sixTogether(vmbus: VmbusImplementation): Promise<unknown[]> {
  return Promise.all([
    vmbus.allocateChannel({ role: 'server' }),
    vmbus.allocateBuffer({ byteCount: 100 }),
    vmbus.readBuffer(9 as never, 0, 2),
    vmbus.mapGpadl(7 as never, NO_GPADL_FLAGS, 1 as never),
    vmbus.operationState(operationId(1)),
    vmbus.violations(),
  ]);
}
const SIX_ANSWERS = [{ status: 0, endpoint: 7 }, { status: 0, buffer: 9 }, { status: 0, data: new Uint8Array([0xa5, 0xa5]) }, { status: 0, mdl: 11 }, 'completed', []];

describe('protocol versions over stdio', () => {
  it('offers versions 1 and 2 in hello, keeping protocol 1 for programs that know only version 1', async () => {
    const { sent } = await connectFake('none');
    expect(sent[0]).toMatchObject({ seq: 1, cmd: 'hello', protocol: 1, versions: [1, 2] });
  });

  it('sends a version-1 program one request at a time, even for calls made together, and each gets its answer', async () => {
    const { factory, sent } = await connectFake('none');
    const vmbus = await factory.start();
    expect(await sixTogether(vmbus)).toEqual(SIX_ANSWERS);
    expect(sent.map((r) => r['seq'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // hello, reset, the six and shutdown: every chunk the program read held one line.
    expect(await chunksToEnd(factory)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('sends the requests of calls made together to a version-2 program in one write, and matches its answers in order', async () => {
    const { factory, sent } = await connectFake('pipelined');
    const vmbus = await factory.start();
    expect(await sixTogether(vmbus)).toEqual(SIX_ANSWERS);
    expect(sent.slice(2).map((r) => r['cmd'])).toEqual(['allocateChannel', 'allocateBuffer', 'readBuffer', 'mapGpadl', 'operationState', 'violations']);
    // One at a time still works: a call after the batch is a chunk of its own.
    expect(await vmbus.violations()).toEqual([]);
    // hello, reset, the six in one chunk, the lone call, shutdown.
    expect(await chunksToEnd(factory)).toEqual([1, 1, 6, 1, 1]);
  });

  it('runs the served reference model in version 2: looks made together come back as in process, and the trace travels from the last index the harness has', async () => {
    const { factory, sent } = await connect(SERVED_REFERENCE, ROOT);
    const served = await factory.start();
    const local = inProcess(new ReferenceVmbus());
    for (const vmbus of [served, local]) {
      const server = (await vmbus.allocateChannel({ role: 'server' })).endpoint!;
      await vmbus.enableChannel(server);
    }
    const firstLook = async (vmbus: VmbusImplementation) => Promise.all([vmbus.endpointInfo(0x100 as never), vmbus.trace(), vmbus.violations(), vmbus.trace()]);
    const [servedFirst, localFirst] = [await firstLook(served), await firstLook(local)];
    expect(servedFirst).toEqual(localFirst);
    for (const vmbus of [served, local]) {
      const client = (await vmbus.allocateChannel({ role: 'client', server: 0x100 as never })).endpoint!;
      await vmbus.enableChannel(client);
    }
    const [servedTrace, localTrace] = [await served.trace(), await local.trace()];
    expect(servedTrace).toEqual(localTrace);
    const firstLength = (localFirst[1] as unknown[]).length;
    expect(firstLength).toBeGreaterThan(0);
    expect(servedTrace.length).toBeGreaterThan(firstLength);
    // The two traces of the first look were in flight together, both from 0; the last asked from where they ended.
    expect(sent.filter((r) => r['cmd'] === 'trace').map((r) => r['from'])).toEqual([0, 0, firstLength]);
  });
});
