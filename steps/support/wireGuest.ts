/**
 * What the guest sent, read from the trace: the GPADL messages of the last create, their page
 * numbers and sizes, the bytes of messages that travelled as bytes, and the channel messages of an
 * open, a close and a release. Functions taking the World; they talk to the implementation only
 * through the contract (`trace`, `describeBuffer`, `endpointInfo`).
 */
import assert from 'node:assert/strict';
import { hex, type GpadlHandle, type TraceEvent } from '../../src/contract/index.js';
import { decodeMessage } from '../../src/protocol/codec.js';
import { GPA_RANGE_HEADER_SIZE, MESSAGE_CATALOGUE, messageSize, type ChannelMessage, type GpadlBody, type GpadlHeader } from '../../src/protocol/messages.js';
import { decodeRanges, type GpaRange } from '../../src/protocol/ranges.js';
import type { VmbusWorld } from './world.js';

export type MessageEvent = Extract<TraceEvent, { kind: 'message' }>;

const CREATE_FNS = ['createGpadlFromBuffer', 'VmbChannelCreateGpadlFromBuffer', 'createGpadlFromMdl', 'VmbChannelCreateGpadlFromMdl'];
const CLEANUP_FNS = ['cleanupChannel', 'VmbChannelCleanup'];

const isMessage = (event: TraceEvent): event is MessageEvent => event.kind === 'message';
const sent = (event: TraceEvent): event is MessageEvent => isMessage(event) && event.direction === 'guest-to-host';

/** What the last create sent: its guest-to-host messages, from its call to its return (or the end). */
export interface CreateMessages {
  /** Every guest-to-host message of the create, in order. */
  readonly messages: readonly MessageEvent[];
  readonly header: GpadlHeader;
  readonly bodies: readonly GpadlBody[];
}

export async function lastCreateMessages(world: VmbusWorld): Promise<CreateMessages> {
  const trace = await world.trace();
  const start = trace.findLastIndex((e) => e.kind === 'call' && CREATE_FNS.includes(e.fn));
  assert.ok(start >= 0, 'the trace has no create call');
  const end = trace.findIndex((e, i) => i > start && e.kind === 'return' && CREATE_FNS.includes(e.fn));
  const messages = trace.slice(start, end === -1 ? undefined : end).filter(sent);
  const headers = messages.flatMap((e) => (e.message.type === 'GPADL_HEADER' ? [e.message] : []));
  assert.equal(headers.length, 1, `the create sent ${headers.length} GPADL_HEADER messages, not one`);
  const bodies = messages.flatMap((e) => (e.message.type === 'GPADL_BODY' ? [e.message] : []));
  return { messages, header: headers[0]!, bodies };
}

/** "26 + 2 × 28 + 1" → [26, 28, 28, 1]. */
export function expandList(text: string): number[] {
  return text.split('+').flatMap((term) => {
    const [count, value] = term.includes('×') ? term.split('×').map((t) => Number(t.trim())) : [1, Number(term.trim())];
    if (!Number.isSafeInteger(count) || !Number.isSafeInteger(value)) throw new Error(`"${text}" is not a list like "26 + 2 × 28 + 1"`);
    return Array.from({ length: count! }, () => value!);
  });
}

/** "236 + 240 + 240 + 24" → "236 + 2 × 240 + 24", for messages. */
export function compactList(values: readonly number[]): string {
  const terms: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j < values.length && values[j] === values[i]) j++;
    terms.push(j - i === 1 ? `${values[i]}` : `${j - i} × ${values[i]}`);
    i = j;
  }
  return terms.join(' + ');
}

/** The create's messages in order: the GPADL_HEADER, then the GPADL_BODY messages, and nothing else. */
export function assertHeaderThenBodies(create: CreateMessages): void {
  const types = create.messages.map((e) => e.message.type);
  const expected = ['GPADL_HEADER', ...create.bodies.map(() => 'GPADL_BODY')];
  assert.deepEqual(types, expected, 'the create must send its GPADL_HEADER first, then only GPADL_BODY messages');
}

function u64s(data: Uint8Array, from: number): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: number[] = [];
  for (let at = from; at + 8 <= data.length; at += 8) out.push(view.getUint32(at, true) + view.getUint32(at + 4, true) * 0x1_0000_0000);
  return out;
}

/** Page numbers per message: the header's after its one range header, each body's all of them. */
export function pageNumbersPerMessage(create: CreateMessages): number[][] {
  assert.equal(create.header.rangeCount, 1, `the GPADL_HEADER declares ${create.header.rangeCount} ranges, not one`);
  return [u64s(create.header.rangeData, GPA_RANGE_HEADER_SIZE), ...create.bodies.map((body) => u64s(body.rangeData, 0))];
}

/** The range header (byte_count, byte_offset) at the start of the GPADL_HEADER's range data. */
export function firstRange(header: GpadlHeader): { byteCount: number; byteOffset: number } {
  assert.ok(header.rangeData.length >= GPA_RANGE_HEADER_SIZE, 'the GPADL_HEADER carries no range header');
  const view = new DataView(header.rangeData.buffer, header.rangeData.byteOffset, header.rangeData.byteLength);
  return { byteCount: view.getUint32(0, true), byteOffset: view.getUint32(4, true) };
}

/** Every range the create's messages declare, read from the GPADL_HEADER's range data and each GPADL_BODY's, in order. */
export function rangesOfCreate(create: CreateMessages): GpaRange[] {
  const parts = [create.header.rangeData, ...create.bodies.map((body) => body.rangeData)];
  const data = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((at, part) => (data.set(part, at), at + part.length), 0);
  const decoded = decodeRanges(data.subarray(0, create.header.rangeBufLen), create.header.rangeCount);
  assert.ok(decoded.ok, `the range buffer of the create does not decode: ${decoded.ok ? '' : JSON.stringify(decoded.error)}`);
  return decoded.ranges;
}

export const sizeOf = (event: MessageEvent): number => messageSize(event.message);
export const pfnList = (pfns: readonly number[]): string[] => pfns.map(hex);

// ---------------------------------------------------------------- bytes

export async function messagesWithBytes(world: VmbusWorld): Promise<Array<MessageEvent & { bytes: Uint8Array }>> {
  return (await world.trace()).filter((e): e is MessageEvent & { bytes: Uint8Array } => isMessage(e) && e.bytes !== undefined);
}

const same = (a: unknown, b: unknown): boolean =>
  a instanceof Uint8Array && b instanceof Uint8Array ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;

/** Why the bytes are not the message the event records, or undefined when they are. */
export function bytesProblem(event: MessageEvent & { bytes: Uint8Array }): string | undefined {
  const decoded = decodeMessage(event.bytes);
  if (!decoded.ok) return `its bytes do not decode: ${decoded.error.message}`;
  const message = decoded.message;
  if (message.type !== event.message.type) return `its bytes decode to ${message.type}`;
  const view = new DataView(event.bytes.buffer, event.bytes.byteOffset, event.bytes.byteLength);
  if (view.getUint32(4, true) !== 0) return `its header padding (bytes 4 to 7) is ${view.getUint32(4, true)}, not 0`;
  if (event.bytes.length !== messageSize(message)) return `it is ${event.bytes.length} bytes, its layout makes it ${messageSize(message)}`;
  const recorded = event.message as unknown as Readonly<Record<string, unknown>>;
  const fromBytes = message as unknown as Readonly<Record<string, unknown>>;
  for (const [field, value] of Object.entries(recorded)) {
    if (value !== undefined && !same(value, fromBytes[field])) return `its bytes say ${field} is ${String(fromBytes[field])}, the event records ${String(value)}`;
  }
  return undefined;
}

export const describeEvent = (event: MessageEvent): string =>
  `${event.direction} ${event.message.type}${'gpadl' in event.message ? ` ${hex(event.message.gpadl)}` : ''}`;

export const msgtypeOf = (message: ChannelMessage): number => MESSAGE_CATALOGUE[message.type].msgtype;

/** Reads a little-endian field of a message's bytes. */
export function readField(bytes: Uint8Array, offset: number, type: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = { u16: 2, u32: 4, u64: 8 }[type];
  if (size === undefined) throw new Error(`unknown field type "${type}"; use u16, u32 or u64`);
  assert.ok(offset + size <= bytes.length, `the message is ${bytes.length} bytes, too short for a ${type} at ${offset}`);
  if (type === 'u16') return view.getUint16(offset, true);
  if (type === 'u32') return view.getUint32(offset, true);
  return view.getUint32(offset, true) + view.getUint32(offset + 4, true) * 0x1_0000_0000;
}

/** A value a layout table names: a number, `the id of the channel`, `the handle of "G"` or `page 3 of buffer "B"`. */
export async function layoutValue(world: VmbusWorld, text: string, channelId: number): Promise<number> {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(text)) return Number(text);
  if (text === 'the id of the channel') return channelId;
  const handle = /^the handle of "(.+)"$/.exec(text);
  if (handle) return world.gpadl(handle[1]!).handle;
  const page = /^page (\d+) of buffer "(.+)"$/.exec(text);
  if (page) {
    const pfn = (await world.describeBuffer(page[2]!)).pfns[Number(page[1])];
    assert.ok(pfn !== undefined, `buffer "${page[2]}" has no page ${page[1]}`);
    return pfn;
  }
  throw new Error(`unknown value "${text}" in a layout table`);
}

// ---------------------------------------------------------------- open, close, release

export async function sentMessages(world: VmbusWorld): Promise<MessageEvent[]> {
  return (await world.trace()).filter(sent);
}

/** The child_relid of the last OPENCHANNEL the guest sent: the channel the client opened. */
export async function openedChannelId(world: VmbusWorld): Promise<number> {
  const opens = (await sentMessages(world)).flatMap((e) => (e.message.type === 'OPENCHANNEL' ? [e.message] : []));
  const open = opens[opens.length - 1];
  assert.ok(open !== undefined, 'no OPENCHANNEL message was sent');
  return open.childRelid;
}

/** Index in the trace of the last cleanup call, and of its return (or the end). */
export async function lastCleanup(world: VmbusWorld): Promise<{ trace: readonly TraceEvent[]; call: number; ret: number }> {
  const trace = await world.trace();
  const call = trace.findLastIndex((e) => e.kind === 'call' && CLEANUP_FNS.includes(e.fn));
  assert.ok(call >= 0, 'the trace has no cleanup call');
  const ret = trace.findIndex((e, i) => i > call && e.kind === 'return' && CLEANUP_FNS.includes(e.fn));
  return { trace, call, ret: ret === -1 ? trace.length : ret };
}

/**
 * Every GPADL request the guest sent on a channel before `before` (GPADL_HEADER, GPADL_TEARDOWN)
 * that has no answer (GPADL_CREATED for the pair, GPADL_TORNDOWN for the id) before `before`.
 */
export function unansweredRequests(trace: readonly TraceEvent[], channel: number, before: number): string[] {
  const open: string[] = [];
  trace.slice(0, before).forEach((event, i) => {
    if (!sent(event)) return;
    const m = event.message;
    const answered = (match: (reply: ChannelMessage) => boolean): boolean =>
      trace.slice(i + 1, before).some((e) => isMessage(e) && e.direction === 'host-to-guest' && match(e.message));
    if (m.type === 'GPADL_HEADER' && m.childRelid === channel) {
      if (!answered((r) => r.type === 'GPADL_CREATED' && r.childRelid === channel && r.gpadl === m.gpadl)) open.push(`GPADL_HEADER ${hex(m.gpadl)}`);
    } else if (m.type === 'GPADL_TEARDOWN' && m.childRelid === channel) {
      if (!answered((r) => r.type === 'GPADL_TORNDOWN' && r.gpadl === m.gpadl)) open.push(`GPADL_TEARDOWN ${hex(m.gpadl)}`);
    }
  });
  return open;
}

export async function ringHeader(world: VmbusWorld, ring: GpadlHandle): Promise<GpadlHeader> {
  const headers = (await sentMessages(world)).flatMap((e) => (e.message.type === 'GPADL_HEADER' && e.message.gpadl === ring ? [e.message] : []));
  const header = headers[headers.length - 1];
  assert.ok(header !== undefined, `no GPADL_HEADER carries the ring-buffer GPADL ${hex(ring)}`);
  return header;
}
