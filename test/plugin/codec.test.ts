/**
 * The codec: every contract call and result survives the trip to a JSON line and back, in both
 * directions (harness → implementation arguments, implementation → harness results), with values
 * recorded from the reference model; and what it cannot read, it says where.
 */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/contract/index.js';
import { REFERENCE_INFO } from '../../src/model/ReferenceVmbus.js';
import {
  decodeArguments,
  decodeHello,
  decodeResult,
  DecodeError,
  encodeArguments,
  encodeResult,
  fromHex,
  helloResult,
  MESSAGE_FIELDS,
  toHex,
  type ContractArguments,
  type ContractResult,
} from '../../src/plugin/codec.js';
import { CONTRACT_COMMANDS } from '../../src/plugin/protocol.js';
import { protocolValidator } from '../../src/plugin/validate.js';
import { MESSAGE_CATALOGUE } from '../../src/protocol/messages.js';
import { session } from './_session.js';

const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** The connection's own messages: the reference guest is connected from the start and never unloads, so no session traces them. */
const CONNECTION_MESSAGES: readonly string[] = ['REQUESTOFFERS', 'ALLOFFERS_DELIVERED', 'INITIATE_CONTACT', 'VERSION_RESPONSE', 'UNLOAD', 'UNLOAD_RESPONSE'];

describe('the codec', () => {
  it('carries every contract call and its result there and back unchanged', async () => {
    const calls = await session();
    expect(new Set(calls.map((c) => c.method))).toEqual(new Set(CONTRACT_COMMANDS));
    for (const { method, args, result } of calls) {
      const request = wire(encodeArguments(method, args as ContractArguments<typeof method>));
      expect(decodeArguments(method, request), `${method} arguments`).toEqual(args);
      const response = wire(encodeResult(method, result as ContractResult<typeof method>));
      expect(decodeResult(method, response), `${method} result`).toEqual(result);
    }
  });

  it('sees every channel message type in the session, and knows the fields of each', async () => {
    const trace = (await session()).find((c) => c.method === 'trace')!.result as { kind: string; message?: Record<string, unknown> }[];
    const types = new Set(trace.flatMap((e) => (e.kind === 'message' ? [e.message!['type']] : [])));
    expect([...types].sort()).toEqual(Object.keys(MESSAGE_CATALOGUE).filter((type) => !CONNECTION_MESSAGES.includes(type)).sort());
    for (const event of trace) {
      if (event.kind !== 'message') continue;
      const { type, ...fields } = event.message!;
      expect(Object.keys(fields).sort(), String(type)).toEqual([...MESSAGE_FIELDS[type as keyof typeof MESSAGE_FIELDS]].sort());
    }
  });

  it('carries the connection messages in a trace too, guest physical addresses above 2^32 included', () => {
    const events: TraceEvent[] = [
      { kind: 'message', direction: 'guest-to-host', message: { type: 'INITIATE_CONTACT', vmbusVersionRequested: 0x50003, targetVcpu: 0, interruptPage: 2, monitorPage1: 0x1_2345_6000, monitorPage2: 0xf_ffff_f000 } },
      { kind: 'message', direction: 'host-to-guest', message: { type: 'VERSION_RESPONSE', versionSupported: 1, connectionState: 0, msgConnId: 1 } },
      { kind: 'message', direction: 'guest-to-host', message: { type: 'REQUESTOFFERS' } },
      { kind: 'message', direction: 'host-to-guest', message: { type: 'ALLOFFERS_DELIVERED' } },
      { kind: 'message', direction: 'guest-to-host', message: { type: 'UNLOAD' } },
      { kind: 'message', direction: 'host-to-guest', message: { type: 'UNLOAD_RESPONSE' } },
    ];
    const response = wire(encodeResult('trace', events));
    expect(protocolValidator().response('trace', { seq: 1, result: response })).toEqual([]);
    expect(decodeResult('trace', response)).toEqual(events);
  });

  it('writes bytes as lowercase hex and reads them back as a plain Uint8Array', () => {
    expect(toHex(new Uint8Array([0, 0xab, 0xff]))).toBe('00abff');
    expect(toHex(new Uint8Array([1, 2, 3, 4]).subarray(1, 3))).toBe('0203');
    const bytes = fromHex('00abff');
    expect(bytes?.constructor).toBe(Uint8Array);
    expect([...bytes!]).toEqual([0, 0xab, 0xff]);
    for (const bad of ['0', 'AB', 'zz', ' 00']) expect(fromHex(bad)).toBeUndefined();
    expect(fromHex('')).toEqual(new Uint8Array());
  });

  it('names the JSON pointer of a value it cannot read', () => {
    const problem = (run: () => unknown): DecodeError => {
      try {
        run();
      } catch (error) {
        if (error instanceof DecodeError) return error;
        throw error;
      }
      throw new Error('expected a DecodeError');
    };
    expect(problem(() => decodeResult('mapGpadl', { status: 'ok' }))).toMatchObject({ pointer: '/result/status' });
    expect(problem(() => decodeResult('mapGpadl', { status: 0, mdl: 2 ** 32 }))).toMatchObject({ pointer: '/result/mdl' });
    expect(problem(() => decodeResult('readMdl', { status: 0, data: 'ABCD' }))).toMatchObject({ pointer: '/result/data', problem: 'expected bytes as lowercase hex, got "ABCD"' });
    expect(problem(() => decodeResult('describeMdl', { status: 0, chain: [{ byteOffset: 0, byteCount: 1, pfns: [1, -2], systemVa: false }] }))).toMatchObject({ pointer: '/result/chain/0/pfns/1' });
    expect(problem(() => decodeResult('violations', { violations: [{ kind: 'Oops', fn: 'f', message: 'm' }] }))).toMatchObject({ pointer: '/result/violations/0/kind' });
    expect(problem(() => decodeResult('trace', { events: [{ kind: 'message', direction: 'guest-to-host', message: { type: 'GPADL_TORNDOWN' } }] }))).toMatchObject({ pointer: '/result/events/0/message/gpadl', problem: 'required property is missing' });
    expect(problem(() => decodeArguments('allocateChannel', { role: 'client' }))).toMatchObject({ pointer: '/server' });
    expect(problem(() => decodeArguments('writeBuffer', { buffer: 1, offset: 0.5, data: '' }))).toMatchObject({ pointer: '/offset' });
  });

  it('carries hello: the implementation and its capabilities', () => {
    const info = { ...REFERENCE_INFO, homepage: 'https://example.org/vmbus' };
    expect(decodeHello(wire(helloResult(info)))).toEqual(info);
    expect(decodeHello(wire(helloResult(REFERENCE_INFO)))).toEqual(REFERENCE_INFO);
    expect(() => decodeHello({ protocol: 1, implementation: { name: 'x', version: '1', language: 'C' }, capabilities: { trace: true } })).toThrow(/capabilities\/violations/);
  });
});
