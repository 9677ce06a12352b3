/**
 * serve(): an in-process implementation over a pair of streams, exactly as the protocol asks of an
 * implementation: hello, reset, one response line per request, errors as `errored`, unknown
 * commands as `unsupported`, and an end at shutdown or end of input.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImplementationFactory } from '../../src/contract/Implementation.js';
import { inProcess } from '../../src/adapters/inProcess.js';
import { ReferenceVmbus, REFERENCE_INFO } from '../../src/model/ReferenceVmbus.js';
import { serve, type ServeEnd } from '../../src/plugin/serve.js';
import { protocolValidator } from '../../src/plugin/validate.js';
import type { CommandName } from '../../src/plugin/protocol.js';

const reference: ImplementationFactory = { info: REFERENCE_INFO, start: async () => inProcess(new ReferenceVmbus()) };

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
