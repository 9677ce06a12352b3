/**
 * The pairing of a guest half and a host half (src/pairing/Pairing.ts): the harness carries the
 * wire, keeps its own handles, traces what crossed as the guest saw it, answers misuse across
 * halves (choice G1) itself, and reports halves that misbehave as errors, never as results.
 */
import { describe, expect, it } from 'vitest';
import { gpadlFlags } from '../../src/contract/flags.js';
import type { GuestHalf, HalfEvent, HostHalf } from '../../src/contract/halves.js';
import { operationId, type EndpointHandle } from '../../src/contract/handles.js';
import {
  STATUS_ACCESS_DENIED,
  STATUS_INVALID_DEVICE_REQUEST,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_SUCCESS,
} from '../../src/contract/NtStatus.js';
import { referenceGuestHalf } from '../../src/model/halves/ReferenceGuestHalf.js';
import { referenceHostHalf } from '../../src/model/halves/ReferenceHostHalf.js';
import { HalvesDidNotSettle, MAX_MESSAGES_PER_CALL, Pairing } from '../../src/pairing/Pairing.js';
import { judgedHalves, judgedTagExpression, pairSpec, readPairSpec } from '../../src/pairing/pairFactory.js';

const NONE = gpadlFlags(0);
const READ_ONLY = gpadlFlags(1);

/** A pairing with an open channel and a one-page buffer. */
async function openPair(guest: GuestHalf = referenceGuestHalf(), host: HostHalf = referenceHostHalf()) {
  const pair = new Pairing(guest, host);
  const server = (await pair.allocateChannel({ role: 'server' })).endpoint!;
  const client = (await pair.allocateChannel({ role: 'client', server })).endpoint!;
  expect(await pair.enableChannel(server)).toBe(STATUS_SUCCESS);
  expect(await pair.enableChannel(client)).toBe(STATUS_SUCCESS);
  const buffer = (await pair.allocateBuffer({ byteCount: 4096 })).buffer!;
  return { pair, server, client, buffer };
}

/** A half whose events the test can add to, around a reference half. */
function withExtraEvents<H extends GuestHalf | HostHalf>(half: H, extra: (event: HalfEvent) => HalfEvent[]): H {
  return { ...half, takeEvents: () => half.takeEvents().flatMap((event) => [event, ...extra(event)]) };
}

describe('a pairing of the reference halves', () => {
  it('opens a channel and creates a GPADL across the carried wire', async () => {
    const { pair, client, server, buffer } = await openPair();
    expect((await pair.endpointInfo(client)).info?.state).toBe('Opened');
    expect((await pair.endpointInfo(server)).info?.state).toBe('Opened');
    const created = await pair.createGpadlFromBuffer(client, NONE, buffer, 4096);
    expect(created).toEqual({ status: STATUS_SUCCESS, gpadl: 0xe1e11 });
  });

  it('keeps handles of its own: both halves number their endpoints from 0x100, the pairing tells them apart', async () => {
    const { client, server } = await openPair();
    expect(client).not.toBe(server);
  });

  it('traces a create as the guest saw it: the call, GPADL_HEADER with its bytes, GPADL_CREATED, then the return', async () => {
    const { pair, client, buffer } = await openPair();
    const before = (await pair.trace()).length;
    await pair.createGpadlFromBuffer(client, NONE, buffer, 4096);
    const events = (await pair.trace()).slice(before);
    expect(events.map((e) => (e.kind === 'message' ? e.message.type : e.kind))).toEqual(['call', 'GPADL_HEADER', 'GPADL_CREATED', 'return']);
    const header = events[1]!;
    expect(header.kind === 'message' && header.bytes !== undefined && header.bytes.length).toBe(20 + 16);
  });

  it("carries choice G17's sideband: a read-only create makes the host refuse a write map", async () => {
    const { pair, client, server, buffer } = await openPair();
    const { gpadl } = await pair.createGpadlFromBuffer(client, READ_ONLY, buffer, 4096);
    expect((await pair.mapGpadl(server, NONE, gpadl!)).status).toBe(STATUS_ACCESS_DENIED);
    expect((await pair.mapGpadl(server, READ_ONLY, gpadl!)).status).toBe(STATUS_SUCCESS);
  });

  it("moves bytes between the host's mapping and the guest's buffer through the guest's pages (DMA)", async () => {
    const { pair, client, server, buffer } = await openPair();
    const { gpadl } = await pair.createGpadlFromBuffer(client, NONE, buffer, 4096);
    const { mdl } = await pair.mapGpadl(server, NONE, gpadl!);
    expect(await pair.mapMdlToSystemVa(mdl!)).toBe(STATUS_SUCCESS);
    expect(await pair.writeMdl(mdl!, 4000, new Uint8Array([1, 2, 3]))).toBe(STATUS_SUCCESS);
    expect((await pair.readBuffer(buffer, 4000, 3)).data).toEqual(new Uint8Array([1, 2, 3]));
    expect(await pair.writeBuffer(buffer, 10, new Uint8Array([9]))).toBe(STATUS_SUCCESS);
    expect((await pair.readMdl(mdl!, 10, 1)).data).toEqual(new Uint8Array([9]));
  });

  it('keeps a delete of a mapped GPADL pending until the unmap lets GPADL_TORNDOWN cross', async () => {
    const { pair, client, server, buffer } = await openPair();
    const { gpadl } = await pair.createGpadlFromBuffer(client, NONE, buffer, 4096);
    await pair.mapGpadl(server, NONE, gpadl!);
    const { operation, state } = await pair.deleteGpadl(client, gpadl!);
    expect(state).toBe('pending');
    expect(await pair.operationState(operation)).toBe('pending');
    await pair.unmapGpadl(server, gpadl!);
    expect(await pair.operationState(operation)).toBe('completed');
  });

  it('answers misuse across halves itself, as choice G1 says', async () => {
    const { pair, client, server, buffer } = await openPair();
    expect((await pair.createGpadlFromBuffer(server, NONE, buffer, 4096)).status).toBe(STATUS_INVALID_DEVICE_REQUEST);
    expect((await pair.mapGpadl(client, NONE, 0xe1e10 as never)).status).toBe(STATUS_INVALID_DEVICE_REQUEST);
    expect((await pair.createGpadlFromBuffer(0x999 as EndpointHandle, NONE, buffer, 4096)).status).toBe(STATUS_INVALID_HANDLE);
    expect((await pair.createGpadlFromBuffer(server, gpadlFlags(2), buffer, 4096)).status).toBe(STATUS_INVALID_PARAMETER);
    const { state } = await pair.deleteGpadl(server, 0xe1e10 as never);
    expect(state).toBe('completed');
    await pair.unmapGpadl(client, 0xe1e10 as never);
    const kinds = (await pair.violations()).map((v) => `${v.kind}@${v.endpoint}`);
    expect(kinds).toEqual([`ClientFunctionOnServer@${server}`, `ServerOnlyFunctionOnClient@${client}`]);
  });

  it('names the pairing handles in the halves\' violations', async () => {
    const { pair, client } = await openPair();
    await pair.disableChannel(client);
    await pair.cleanupChannel(client);
    await pair.disableChannel(client);
    const violation = (await pair.violations()).find((v) => v.kind === 'InvalidEndpointHandle');
    expect(violation?.endpoint).toBe(client);
  });

  it('will not let a create describe a host MDL as guest memory', async () => {
    const { pair, client, server, buffer } = await openPair();
    const { gpadl } = await pair.createGpadlFromBuffer(client, NONE, buffer, 4096);
    const { mdl } = await pair.mapGpadl(server, NONE, gpadl!);
    expect((await pair.createGpadlFromMdl(client, NONE, mdl!, 0, 100)).status).toBe(STATUS_INVALID_PARAMETER);
  });
});

describe('halves that misbehave are errors, never results', () => {
  it('halves that answer every message with another never let the wire go quiet', async () => {
    // Each half answers every message it is given with one more, for ever.
    const pingPong = <H extends GuestHalf | HostHalf>(half: H): H => {
      let owed = 0;
      return {
        ...half,
        deliver: async () => void owed++,
        takeEvents: () => {
          const answers = Array.from({ length: owed }, () => ({ send: new Uint8Array(12).fill(7) }));
          owed = 0;
          return [...half.takeEvents(), ...answers];
        },
      };
    };
    const pair = new Pairing(pingPong(referenceGuestHalf()), pingPong(referenceHostHalf()));
    const server = (await pair.allocateChannel({ role: 'server' })).endpoint!;
    await expect(pair.enableChannel(server)).rejects.toThrow(new RegExp(`more than ${MAX_MESSAGES_PER_CALL} messages`));
  });

  it('a guest that completes an operation it never blocked on', async () => {
    const guest = withExtraEvents(referenceGuestHalf(), (event) => ('send' in event ? [{ completed: operationId(77), result: {} }] : []));
    const { pair } = await openPair(guest).catch((error: unknown) => ({ pair: error }));
    expect(pair).toBeInstanceOf(HalvesDidNotSettle);
  });

  it('a void call that stays blocked with the wire quiet', async () => {
    const stuck = new Pairing({ ...referenceGuestHalf(), disableChannel: async () => ({ operation: operationId(5) }) }, referenceHostHalf());
    // An endpoint the pairing never gave out is recorded as misuse, not passed to a half.
    await expect(stuck.disableChannel(0x999 as EndpointHandle)).resolves.toBeUndefined();
    const s = (await stuck.allocateChannel({ role: 'server' })).endpoint!;
    const c = (await stuck.allocateChannel({ role: 'client', server: s })).endpoint!;
    await expect(stuck.disableChannel(c)).rejects.toThrow(/still blocked with the wire quiet/);
  });
});

describe('what a pairing judges', () => {
  it('reads its own spec back', () => {
    expect(readPairSpec(pairSpec('cmd:a b', 'inproc:reference').slice('pair:'.length))).toEqual({ guest: 'cmd:a b', host: 'inproc:reference' });
    expect(readPairSpec('{"guest":1}')).toMatch(/two connectable strings/);
    expect(readPairSpec('nope')).toMatch(/expected pair:/);
  });

  it('judges the half the reference does not play, both when it plays both or neither, and every rule of a whole', () => {
    expect(judgedHalves(pairSpec('cmd:g', 'inproc:reference'))).toEqual(['guest']);
    expect(judgedHalves(pairSpec('inproc:reference', 'cmd:h'))).toEqual(['host']);
    expect(judgedHalves(pairSpec('cmd:g', 'cmd:h'))).toEqual(['guest', 'host']);
    expect(judgedHalves(pairSpec('inproc:reference', 'inproc:reference'))).toEqual(['guest', 'host']);
    expect(judgedHalves('cmd:whole')).toEqual(['guest', 'host', 'whole']);
    expect(judgedTagExpression(['guest'])).toBe('@half:guest');
    expect(judgedTagExpression(['guest', 'host', 'whole'])).toBeUndefined();
  });
});
