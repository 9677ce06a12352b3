/**
 * The validator: every line the reference model produces is valid, in both directions; a
 * violation names the JSON pointer of what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { encodeArguments, encodeResult, helloArguments, helloResult, type ContractArguments, type ContractResult } from '../../src/plugin/codec.js';
import { REFERENCE_INFO } from '../../src/model/ReferenceVmbus.js';
import { protocolValidator } from '../../src/plugin/validate.js';
import { session } from './_session.js';

const validator = protocolValidator();

describe('the protocol validator', () => {
  it('accepts every request and result of a session with the reference model', async () => {
    const problems: unknown[] = [];
    for (const [seq, { method, args, result }] of (await session()).entries()) {
      const request = JSON.parse(JSON.stringify({ seq, cmd: method, ...encodeArguments(method, args as ContractArguments<typeof method>) }));
      const response = JSON.parse(JSON.stringify({ seq, result: encodeResult(method, result as ContractResult<typeof method>) }));
      for (const violation of [...validator.request(request), ...validator.response(method, response)]) problems.push({ method, ...violation });
    }
    expect(problems).toEqual([]);
  });

  it('accepts the handshake and the frame commands', () => {
    expect(validator.request({ seq: 1, cmd: 'hello', ...helloArguments({ name: 'vmbus-conformance', version: '0.1.0' }) })).toEqual([]);
    expect(validator.response('hello', { seq: 1, result: helloResult(REFERENCE_INFO) })).toEqual([]);
    expect(validator.request({ seq: 2, cmd: 'reset' })).toEqual([]);
    expect(validator.response('reset', { seq: 2, result: {} })).toEqual([]);
    expect(validator.response('shutdown', { seq: 3, unsupported: { message: 'no', issue: 'https://example.org/1' } })).toEqual([]);
    expect(validator.response('mapGpadl', { seq: 3, errored: { message: 'boom', traceback: 'at x' } })).toEqual([]);
  });

  it('names the JSON pointer of every violation, in both directions', () => {
    expect(validator.request({ seq: 1, cmd: 'teleport' })).toEqual([{ pointer: '/cmd', message: expect.stringMatching(/^must be one of the commands/) }]);
    expect(validator.request({ seq: 1, cmd: 'hello', protocol: 2, harness: { name: 'h', version: '1' } })).toEqual([{ pointer: '/protocol', message: 'must be 1' }]);
    expect(validator.request({ seq: 1, cmd: 'allocateChannel', role: 'client' })).toEqual([{ pointer: '', message: 'must have the property "server"' }]);
    expect(validator.request({ seq: 1, cmd: 'writeMdl', mdl: 1, offset: -1, data: 'A5' })).toEqual([
      { pointer: '/offset', message: 'must be >= 0' },
      { pointer: '/data', message: 'must be bytes as lowercase hex, two digits a byte' },
    ]);
    expect(validator.response('mapGpadl', { seq: 1, result: { status: 3221225485, mdl: 7 } })).toEqual([
      { pointer: '/result/mdl', message: 'must not be present: an out-parameter is present only when status is STATUS_SUCCESS (0)' },
    ]);
    expect(validator.response('mapGpadl', { seq: 1, result: { status: 0 } })).toEqual([{ pointer: '/result', message: 'must have the property "mdl"' }]);
    expect(validator.response('deleteGpadl', { seq: 1, result: { operation: 1, state: 'blocked' } })).toEqual([
      { pointer: '/result/state', message: 'must be one of "pending", "completed"' },
    ]);
    expect(validator.response('trace', { seq: 1, result: { events: [{ kind: 'message', direction: 'guest-to-host', message: { type: 'GPADL_TORNDOWN' } }] } })).toEqual([
      { pointer: '/result/events/0/message', message: 'must have the property "gpadl"' },
    ]);
    expect(validator.response('violations', { seq: 1, errored: { traceback: 'x' } })).toEqual([{ pointer: '/errored', message: 'must have the property "message"' }]);
    expect(validator.response('violations', { seq: 1 })).toEqual([{ pointer: '', message: expect.stringMatching(/^must be a response/) }]);
  });

  it("checks a half's commands against their own files: a whole command's arguments under the half's name, the half's own commands, and events only from a half", () => {
    expect(validator.request({ seq: 1, cmd: 'guest.allocateBuffer', byteCount: 4096 })).toEqual([]);
    expect(validator.response('guest.allocateBuffer', { seq: 1, result: { status: 0, buffer: 4096 }, events: [] })).toEqual([]);
    expect(validator.request({ seq: 1, cmd: 'guest.allocateBuffer', role: 'server' })).toEqual([
      { pointer: '', message: 'must have the property "byteCount"' },
      { pointer: '', message: 'has a property the schema does not allow: "role"' },
    ]);
    expect(validator.request({ seq: 1, cmd: 'host.mapGpadl', endpoint: 256, flags: 0, gpadl: 925200 })).toEqual([]);
    expect(validator.request({ seq: 1, cmd: 'host.allocateChannel' })).toEqual([]);
    expect(validator.request({ seq: 1, cmd: 'host.allocateChannel', role: 'server' })).toEqual([{ pointer: '', message: 'has a property the schema does not allow: "role"' }]);
    expect(validator.request({ seq: 1, cmd: 'guest.bindChannel', endpoint: 256 })).toEqual([{ pointer: '', message: 'must have the property "channelId"' }]);
    expect(validator.request({ seq: 1, cmd: 'host.accessMdl', mdl: 1, offset: 0, length: 4, write: 'yes' })).toEqual([{ pointer: '/write', message: 'must be boolean' }]);
    expect(validator.request({ seq: 1, cmd: 'guest.teleport' })).toEqual([{ pointer: '/cmd', message: expect.stringMatching(/^must be one of the commands/) }]);
    expect(validator.response('host.deliver', { seq: 2, result: {}, events: [{ send: '0a00000000000000' }, { completed: 1, result: { status: 0, gpadl: 925200 } }] })).toEqual([]);
    expect(validator.response('host.deliver', { seq: 2, result: {}, events: [{ send: '0A' }] })).toEqual([{ pointer: '/events/0/send', message: 'must be bytes as lowercase hex, two digits a byte' }]);
    expect(validator.response('guest.enableChannel', { seq: 3, result: { status: 259 } })).toEqual([{ pointer: '/result', message: 'must have the property "operation"' }]);
    expect(validator.response('guest.enableChannel', { seq: 3, result: { status: 259, operation: 1 } })).toEqual([]);
    expect(validator.response('host.accessMdl', { seq: 4, result: { status: 0, extents: [{ pfn: 5, offset: 0, length: 4, data: '' }] } })).toEqual([
      { pointer: '/result/extents/0', message: 'has a property the schema does not allow: "data"' },
    ]);
    expect(validator.response('mapGpadl', { seq: 5, result: { status: 0, mdl: 1 }, events: [] })).toEqual([
      { pointer: '/events', message: "must not be present: only a half's command (guest.*, host.*) answers events, not mapGpadl" },
    ]);
  });
});
