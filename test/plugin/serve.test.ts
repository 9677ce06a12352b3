/**
 * serve(): an in-process implementation over a pair of streams, exactly as the protocol asks of an
 * implementation: hello, reset, one response line per request, errors as `errored`, unknown
 * commands as `unsupported`, and an end at shutdown or end of input.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImplementationFactory } from '../../src/contract/Implementation.js';
import { inProcess } from '../../src/adapters/inProcess.js';
import { ReferenceVmbus, REFERENCE_INFO } from '../../src/model/ReferenceVmbus.js';
import { referenceGuestHalf } from '../../src/model/halves/ReferenceGuestHalf.js';
import { referenceHostHalf } from '../../src/model/halves/ReferenceHostHalf.js';
import { channelId } from '../../src/contract/handles.js';
import { encodeMessage } from '../../src/protocol/codec.js';
import { toHex } from '../../src/plugin/codec.js';
import { serve, type ServeEnd } from '../../src/plugin/serve.js';
import { protocolValidator } from '../../src/plugin/validate.js';
import type { CommandName } from '../../src/plugin/protocol.js';

const reference: ImplementationFactory = { info: REFERENCE_INFO, start: async () => inProcess(new ReferenceVmbus()) };
/** The reference as the registry's inproc:reference is: the whole model and both halves. */
const withHalves: ImplementationFactory = { ...reference, startGuest: async () => referenceGuestHalf(), startHost: async () => referenceHostHalf() };
const HELLO = { cmd: 'hello', protocol: 1, harness: { name: 'test', version: '0' } };
const OFFER_CHANNEL_1 = toHex(encodeMessage({ type: 'OFFERCHANNEL', childRelid: channelId(1) }));

/** Feeds the request lines, ends the input (unless `keepOpen`), and returns the response lines. */
async function exchange(factory: ImplementationFactory, requests: readonly (object | string)[], keepOpen = false): Promise<{ responses: Record<string, unknown>[]; end: ServeEnd; log: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  const log = new PassThrough();
  let out = '';
  let logged = '';
  output.on('data', (chunk: Buffer) => (out += chunk.toString()));
  log.on('data', (chunk: Buffer) => (logged += chunk.toString()));
  const served = serve(factory, { input, output, log });
  for (const request of requests) input.write(`${typeof request === 'string' ? request : JSON.stringify(request)}\n`);
  if (!keepOpen) input.end();
  const end = await served;
  return { responses: out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>), end, log: logged };
}

describe('serve', () => {
  it('answers hello, reset and contract commands, one valid line each, and stops at shutdown', async () => {
    const requests = [
      { seq: 1, cmd: 'hello', protocol: 1, harness: { name: 'test', version: '0' } },
      { seq: 2, cmd: 'reset' },
      { seq: 3, cmd: 'allocateBuffer', byteCount: 100 },
      { seq: 4, cmd: 'writeBuffer', buffer: 0x1000, offset: 2, data: 'a5ff' },
      { seq: 5, cmd: 'readBuffer', buffer: 0x1000, offset: 0, length: 5 },
      { seq: 6, cmd: 'shutdown' },
      { seq: 7, cmd: 'reset' },
    ];
    const { responses, end } = await exchange(reference, requests, true);
    expect(end).toBe('shutdown');
    expect(responses).toEqual([
      { seq: 1, result: { protocol: 1, implementation: { name: REFERENCE_INFO.name, version: REFERENCE_INFO.version, language: 'TypeScript' }, capabilities: REFERENCE_INFO.capabilities } },
      { seq: 2, result: {} },
      { seq: 3, result: { status: 0, buffer: 0x1000 } },
      { seq: 4, result: { status: 0 } },
      { seq: 5, result: { status: 0, data: '0000a5ff00' } },
      { seq: 6, result: {} },
    ]);
    const validator = protocolValidator();
    for (const [i, response] of responses.entries()) expect(validator.response(requests[i]!.cmd as CommandName, response)).toEqual([]);
  });

  it('starts a new connection at every reset', async () => {
    const { responses } = await exchange(reference, [
      { seq: 1, cmd: 'reset' },
      { seq: 2, cmd: 'allocateChannel', role: 'server' },
      { seq: 3, cmd: 'reset' },
      { seq: 4, cmd: 'allocateChannel', role: 'server' },
      { seq: 5, cmd: 'violations' },
    ]);
    expect(responses.map((r) => r['result'])).toEqual([{}, { status: 0, endpoint: 0x100 }, {}, { status: 0, endpoint: 0x100 }, { violations: [] }]);
  });

  it('answers errored for a throw (with its stack), for bad arguments, and before reset; unsupported for an unknown command', async () => {
    const broken: ImplementationFactory = {
      info: REFERENCE_INFO,
      start: async () => {
        const vmbus = new ReferenceVmbus();
        vmbus.mapGpadl = () => {
          throw new TypeError('mapGpadl is broken');
        };
        return inProcess(vmbus);
      },
    };
    const { responses, end } = await exchange(broken, [
      { seq: 1, cmd: 'trace' },
      { seq: 2, cmd: 'reset' },
      { seq: 3, cmd: 'mapGpadl', endpoint: 1, flags: 0, gpadl: 2 },
      { seq: 4, cmd: 'allocateBuffer', byteCount: 'many' },
      { seq: 5, cmd: 'teleport' },
    ]);
    expect(end).toBe('end-of-input');
    expect(responses[0]).toEqual({ seq: 1, errored: { message: 'trace before reset: there is no connection yet' } });
    expect(responses[1]).toEqual({ seq: 2, result: {} });
    expect(responses[2]).toMatchObject({ seq: 3, errored: { message: 'mapGpadl is broken', traceback: expect.stringContaining('TypeError: mapGpadl is broken') } });
    expect(responses[3]).toMatchObject({ seq: 4, errored: { message: 'cannot read the arguments of allocateBuffer: /byteCount: expected an unsigned 32-bit integer, got "many"' } });
    expect(responses[4]).toEqual({ seq: 5, unsupported: { message: 'unknown command "teleport"' } });
  });

  it('skips lines it cannot answer, saying so on its log, never on its output', async () => {
    const { responses, log } = await exchange(reference, ['not json', '[1]', { cmd: 'reset' }, '', { seq: 9, cmd: 'reset' }]);
    expect(responses).toEqual([{ seq: 9, result: {} }]);
    expect(log).toMatch(/not a JSON object.*\n.*not a JSON object.*\n.*without a numeric seq/);
  });
});

describe('serve, protocol version 2', () => {
  /** Feeds the requests in one chunk; returns every write to the output, each split into its lines. */
  async function together(requests: readonly object[]): Promise<Record<string, unknown>[][]> {
    const input = new PassThrough();
    const writes: Record<string, unknown>[][] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
        done();
      },
    });
    const served = serve(withHalves, { input, output });
    input.end(requests.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await served;
    return writes;
  }

  it('chooses the newest version offered that it speaks, and 1 when the hello offers none', async () => {
    const chosen = async (hello: object) => ((await exchange(reference, [{ seq: 1, ...hello }])).responses[0]!['result'] as { protocol: number }).protocol;
    expect(await chosen({ ...HELLO, versions: [1, 2] })).toBe(2);
    expect(await chosen({ ...HELLO, versions: [1, 2, 7] })).toBe(2);
    expect(await chosen({ ...HELLO, versions: [1] })).toBe(1);
    expect(await chosen(HELLO)).toBe(1);
  });

  it('answers requests that arrived together in order, in one write', async () => {
    const writes = await together([
      { seq: 1, ...HELLO, versions: [1, 2] },
      { seq: 2, cmd: 'reset' },
      { seq: 3, cmd: 'allocateChannel', role: 'server' },
      { seq: 4, cmd: 'endpointInfo', endpoint: 0x100 },
      { seq: 5, cmd: 'violations' },
      { seq: 6, cmd: 'host.allocateChannel' },
    ]);
    expect(writes.map((lines) => lines.map((r) => r['seq']))).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(writes[0]![3]).toMatchObject({ result: { status: 0, info: { role: 'server', state: 'Disabled' } } });
  });

  it('answers trace from an index on in version 2, and errored for a from in version 1', async () => {
    const session = (versions: number[]) => [
      { seq: 1, ...HELLO, versions },
      { seq: 2, cmd: 'reset' },
      { seq: 3, cmd: 'allocateChannel', role: 'server' },
      { seq: 4, cmd: 'enableChannel', endpoint: 0x100 },
      { seq: 5, cmd: 'trace' },
      { seq: 6, cmd: 'trace', from: 2 },
    ];
    const [v2] = await together(session([1, 2]));
    const whole = (v2![4]!['result'] as { events: unknown[] }).events;
    expect(whole.length).toBeGreaterThan(2);
    expect(v2![5]).toEqual({ seq: 6, result: { events: whole.slice(2) } });
    const validator = protocolValidator();
    expect(validator.request(session([1, 2])[5])).toEqual([]);
    const [v1] = await together(session([1]));
    expect(v1![5]).toMatchObject({ seq: 6, errored: { message: 'cannot read the arguments of trace: /from: trace takes from only in protocol version 2 and later' } });
  });
});

describe('serve, halves', () => {
  it('says halves and whole in hello when the factory starts halves, and nothing of them when it does not', async () => {
    const { responses } = await exchange(withHalves, [{ seq: 1, ...HELLO }]);
    expect(responses[0]!['result']).toMatchObject({ halves: ['guest', 'host'], whole: true });
    const halvesOnly: ImplementationFactory = { ...withHalves, info: { ...REFERENCE_INFO, whole: false }, startHost: undefined };
    expect((await exchange(halvesOnly, [{ seq: 1, ...HELLO }])).responses[0]!['result']).toMatchObject({ halves: ['guest'], whole: false });
    expect((await exchange(reference, [{ seq: 1, ...HELLO }])).responses[0]!['result']).not.toHaveProperty('halves');
    const validator = protocolValidator();
    expect(validator.response('hello', (await exchange(halvesOnly, [{ seq: 1, ...HELLO }])).responses[0])).toEqual([]);
  });

  it("runs guest.* and host.* commands on fresh halves after every reset, with the half's events in the response, every line valid", async () => {
    const requests = [
      { seq: 1, cmd: 'reset' },
      { seq: 2, cmd: 'host.allocateChannel' },
      { seq: 3, cmd: 'host.enableChannel', endpoint: 0x100 },
      { seq: 4, cmd: 'guest.allocateChannel' },
      { seq: 5, cmd: 'guest.deliver', message: OFFER_CHANNEL_1 },
      { seq: 6, cmd: 'guest.bindChannel', endpoint: 0x100, channelId: 1 },
      { seq: 7, cmd: 'guest.violations' },
      { seq: 8, cmd: 'allocateChannel', role: 'server' },
      { seq: 9, cmd: 'reset' },
      { seq: 10, cmd: 'guest.allocateChannel' },
      { seq: 11, cmd: 'guest.bindChannel', endpoint: 0x100, channelId: 1 },
    ];
    const { responses } = await exchange(withHalves, requests);
    expect(responses[1]).toEqual({ seq: 2, result: { status: 0, endpoint: 0x100 } });
    // The offer: an OFFERCHANNEL (msgtype 1) of channel 1, 196 bytes.
    const offer = (responses[2]!['events'] as { send: string }[])[0]!.send;
    expect(offer).toMatch(/^01000000/);
    expect(offer.length).toBe(2 * 196);
    expect(responses[3]).toEqual({ seq: 4, result: { status: 0, endpoint: 0x100 } });
    expect(responses[4]).toEqual({ seq: 5, result: {} });
    // Bound and not enabled: the guest sends nothing yet.
    expect(responses[5]).toEqual({ seq: 6, result: { status: 0 } });
    expect(responses[6]).toEqual({ seq: 7, result: { violations: [] } });
    // The whole model beside the halves, with handles of its own.
    expect(responses[7]).toEqual({ seq: 8, result: { status: 0, endpoint: 0x100 } });
    // After the reset the halves are new: the same handle again, on a guest that was never offered channel 1.
    expect(responses[9]).toEqual({ seq: 10, result: { status: 0, endpoint: 0x100 } });
    expect(responses[10]).toEqual({ seq: 11, result: { status: 0xc000000d } });
    const validator = protocolValidator();
    for (const [i, response] of responses.entries()) {
      expect(validator.request(requests[i]), requests[i]!.cmd).toEqual([]);
      expect(validator.response(requests[i]!.cmd, response), requests[i]!.cmd).toEqual([]);
    }
  });

  it('answers unsupported for a half it does not serve, a whole command when it serves halves only, and a method the half lacks; errored before reset and for bad arguments', async () => {
    const guestOnly: ImplementationFactory = {
      info: { ...REFERENCE_INFO, whole: false },
      start: async () => {
        throw new Error('no whole');
      },
      startGuest: async () => {
        const { migrationBegin: _begin, migrationFinish: _finish, readSnapshot: _read, ...half } = referenceGuestHalf();
        return half;
      },
    };
    const { responses } = await exchange(guestOnly, [
      { seq: 1, cmd: 'guest.allocateChannel' },
      { seq: 2, cmd: 'reset' },
      { seq: 3, cmd: 'host.allocateChannel' },
      { seq: 4, cmd: 'allocateChannel', role: 'server' },
      { seq: 5, cmd: 'guest.migrationBegin' },
      { seq: 6, cmd: 'guest.bindChannel', endpoint: 'x', channelId: 1 },
      { seq: 7, cmd: 'guest.teleport' },
      { seq: 8, cmd: 'guest.allocateChannel' },
    ]);
    expect(responses).toEqual([
      { seq: 1, errored: { message: 'guest.allocateChannel before reset: there is no connection yet' } },
      { seq: 2, result: {} },
      { seq: 3, unsupported: { message: 'host.allocateChannel: this program serves no host half' } },
      { seq: 4, unsupported: { message: 'allocateChannel: this program serves only the guest half, not the whole contract' } },
      { seq: 5, unsupported: { message: 'guest.migrationBegin is not implemented: it belongs to a capability this guest half does not claim' } },
      { seq: 6, errored: expect.objectContaining({ message: 'cannot read the arguments of guest.bindChannel: /endpoint: expected an unsigned 32-bit integer, got "x"' }) },
      { seq: 7, unsupported: { message: 'unknown command "guest.teleport"' } },
      { seq: 8, result: { status: 0, endpoint: 0x100 } },
    ]);
  });

  it("gives docs/halves.md's worked exchange byte for byte", async () => {
    const page = readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../../docs/halves.md'), 'utf8');
    const block = page.slice(page.indexOf('## A worked exchange'));
    const lines = [...block.matchAll(/^(→|←)(G|H) (\{.*\})$/gm)].map((m) => ({ arrow: m[1]!, who: m[2]! as 'G' | 'H', line: m[3]! }));
    expect(lines.length).toBeGreaterThanOrEqual(6);
    // Two processes, G and H, after the setup the page describes: the host offered channel 1, the guest bound and opened it and allocated a buffer.
    const sides = { G: pipe(withHalves), H: pipe(withHalves) };
    const carry = async (from: 'G' | 'H', response: Record<string, unknown>): Promise<void> => {
      for (const event of (response['events'] ?? []) as { send?: string }[]) {
        if (event.send === undefined) continue;
        const to = from === 'G' ? 'H' : 'G';
        await carry(to, await sides[to].ask({ cmd: to === 'G' ? 'guest.deliver' : 'host.deliver', message: event.send }));
      }
    };
    for (const side of Object.values(sides)) {
      await side.ask(HELLO);
      await side.ask({ cmd: 'reset' });
    }
    const server = (await sides.H.ask({ cmd: 'host.allocateChannel' }))['result'] as { endpoint: number };
    const offered = await sides.H.ask({ cmd: 'host.enableChannel', endpoint: server.endpoint });
    const client = ((await sides.G.ask({ cmd: 'guest.allocateChannel' }))['result'] as { endpoint: number }).endpoint;
    await carry('H', offered);
    await carry('G', await sides.G.ask({ cmd: 'guest.bindChannel', endpoint: client, channelId: 1 }));
    await carry('G', await sides.G.ask({ cmd: 'guest.enableChannel', endpoint: client }));
    await sides.G.ask({ cmd: 'guest.allocateBuffer', byteCount: 4096 });
    for (const { arrow, who, line } of lines) {
      if (arrow === '→') {
        const request = JSON.parse(line) as { seq: number };
        expect(request.seq, line).toBe(sides[who].seq + 1);
        sides[who].lastAnswer = await sides[who].ask(request, true);
      } else {
        expect(JSON.stringify(sides[who].lastAnswer), `${who}'s answer`).toBe(line);
      }
    }
    await Promise.all(Object.values(sides).map((side) => side.end()));
  });
});

describe("the protocol page's full exchange", () => {
  it('is what the served reference answers, line for line', async () => {
    const page = readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../../docs/protocol.md'), 'utf8');
    const block = page.slice(page.indexOf('## A full exchange'), page.indexOf('## Notes'));
    const requests = [...block.matchAll(/^→ (\{.*\})$/gm)].map((m) => m[1]!);
    const answers = [...block.matchAll(/^← (\{.*\})$/gm)].map((m) => m[1]!);
    expect(requests.length).toBeGreaterThanOrEqual(10);
    const { responses } = await exchange(withHalves, requests);
    expect(responses.map((r) => JSON.stringify(r))).toEqual(answers);
  });
});

/** A served factory, one request at a time, with its own seq. */
function pipe(factory: ImplementationFactory) {
  const input = new PassThrough();
  const output = new PassThrough();
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  output.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      waiting.shift()?.(line);
    }
  });
  const served = serve(factory, { input, output });
  const side = {
    seq: 0,
    lastAnswer: undefined as unknown,
    ask: async (request: object, asIs = false): Promise<Record<string, unknown>> => {
      side.seq++;
      const answer = new Promise<string>((resolve) => waiting.push(resolve));
      input.write(`${JSON.stringify(asIs ? request : { seq: side.seq, ...request })}\n`);
      return JSON.parse(await answer) as Record<string, unknown>;
    },
    end: async () => {
      input.end();
      await served;
    },
  };
  return side;
}
