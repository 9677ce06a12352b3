/**
 * The byte-exact encoding of the channel messages: little-endian, packed, with the layouts of
 * Linux `include/linux/hyperv.h` (spec/linux.md, LINUX-HYPERV-2 to LINUX-HYPERV-6). Every message starts with the 8-byte header
 * {u32 msgtype, u32 padding}.
 *
 * `decodeMessage` never throws: bytes that are not a message come back as a {@link CodecError}
 * naming the field at fault. It rejects a buffer too short for its layout, an unknown type, a
 * payload over 240 bytes, bytes after the end of a fixed-size message, range data that is not
 * whole u64s, and a single-range GPADL_HEADER whose `range_buflen` disagrees with its page count.
 * It accepts range data beyond `range_buflen` (some guests always send full messages, and OpenVMM
 * ignores the excess) and ignores reserved fields and padding, as Linux does.
 */
import { channelId, gpadlHandle, pagesSpanned } from '../contract/handles.js';
import { GPA_RANGE_HEADER_SIZE, MAX_MESSAGE_SIZE, MESSAGE_CATALOGUE, type ChannelMessage, type MessageName } from './messages.js';

export type CodecErrorKind = 'TooShort' | 'TooLong' | 'UnknownType' | 'TrailingBytes' | 'LengthMismatch';

export interface CodecError {
  readonly kind: CodecErrorKind;
  /** The field at fault, as `MESSAGE.field` (`GPADL_HEADER.rangeBufLen`), or `header.msgtype`. */
  readonly field: string;
  readonly message: string;
}

export type DecodeResult = { readonly ok: true; readonly message: ChannelMessage } | { readonly ok: false; readonly error: CodecError };

type FieldKind = 'u8' | 'u16' | 'u32' | 'u64' | 'bit8' | 'bit16' | 'guid' | 'bytes120' | 'relid' | 'gpadl';
type Layout = ReadonlyArray<readonly [name: string, kind: FieldKind, offset: number]>;

const SIZES: Readonly<Record<FieldKind, number>> = { u8: 1, u16: 2, u32: 4, u64: 8, bit8: 1, bit16: 2, guid: 16, bytes120: 120, relid: 4, gpadl: 4 };

/** Field layouts after the 8-byte header; reserved fields are listed so the sizes add up. */
const LAYOUTS: { readonly [K in MessageName]: Layout } = {
  OFFERCHANNEL: [
    ['interfaceType', 'guid', 8], ['interfaceInstance', 'guid', 24], ['reserved1', 'u64', 40], ['reserved2', 'u64', 48],
    ['channelFlags', 'u16', 56], ['mmioMegabytes', 'u16', 58], ['userDefined', 'bytes120', 60],
    ['subChannelIndex', 'u16', 180], ['reserved3', 'u16', 182], ['childRelid', 'relid', 184], ['monitorId', 'u8', 188],
    ['monitorAllocated', 'bit8', 189], ['isDedicatedInterrupt', 'bit16', 190], ['connectionId', 'u32', 192],
  ],
  RESCIND_CHANNELOFFER: [['childRelid', 'relid', 8]],
  REQUESTOFFERS: [],
  ALLOFFERS_DELIVERED: [],
  OPENCHANNEL: [
    ['childRelid', 'relid', 8], ['openId', 'u32', 12], ['ringBufferGpadlHandle', 'gpadl', 16], ['targetVp', 'u32', 20],
    ['downstreamRingBufferPageOffset', 'u32', 24], ['userData', 'bytes120', 28],
  ],
  OPENCHANNEL_RESULT: [['childRelid', 'relid', 8], ['openId', 'u32', 12], ['status', 'u32', 16]],
  CLOSECHANNEL: [['childRelid', 'relid', 8]],
  GPADL_HEADER: [['childRelid', 'relid', 8], ['gpadl', 'gpadl', 12], ['rangeBufLen', 'u16', 16], ['rangeCount', 'u16', 18]],
  GPADL_BODY: [['msgNumber', 'u32', 8], ['gpadl', 'gpadl', 12]],
  GPADL_CREATED: [['childRelid', 'relid', 8], ['gpadl', 'gpadl', 12], ['creationStatus', 'u32', 16]],
  GPADL_TEARDOWN: [['childRelid', 'relid', 8], ['gpadl', 'gpadl', 12]],
  GPADL_TORNDOWN: [['gpadl', 'gpadl', 8]],
  RELID_RELEASED: [['childRelid', 'relid', 8]],
  INITIATE_CONTACT: [
    ['vmbusVersionRequested', 'u32', 8], ['targetVcpu', 'u32', 12], ['interruptPage', 'u64', 16],
    ['monitorPage1', 'u64', 24], ['monitorPage2', 'u64', 32],
  ],
  VERSION_RESPONSE: [['versionSupported', 'u8', 8], ['connectionState', 'u8', 9], ['padding', 'u16', 10], ['msgConnId', 'u32', 12]],
  UNLOAD: [],
  UNLOAD_RESPONSE: [],
};

const RESERVED = new Set(['reserved1', 'reserved2', 'reserved3', 'padding']);
const BY_TYPE = new Map<number, MessageName>(Object.entries(MESSAGE_CATALOGUE).map(([name, entry]) => [entry.msgtype, name as MessageName]));
const HEADER_SIZE = 8;
const hasRangeData = (name: MessageName): name is 'GPADL_HEADER' | 'GPADL_BODY' => name === 'GPADL_HEADER' || name === 'GPADL_BODY';

export function encodeMessage(message: ChannelMessage): Uint8Array {
  const entry = MESSAGE_CATALOGUE[message.type];
  const rangeData = 'rangeData' in message ? message.rangeData : undefined;
  const bytes = new Uint8Array(entry.fixedSize + (rangeData?.length ?? 0));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, entry.msgtype, true);
  const fields = message as unknown as Readonly<Record<string, unknown>>;
  for (const [name, kind, offset] of LAYOUTS[message.type]) {
    if (!RESERVED.has(name)) write(bytes, view, kind, offset, fields[name]);
  }
  if (rangeData !== undefined) bytes.set(rangeData, entry.fixedSize);
  return bytes;
}

export interface DecodeOptions {
  /**
   * Check a single-range GPADL_HEADER's `range_buflen` against its page count (on by default). A
   * host under test turns it off: it must see such a header and refuse it itself (RangeTooSmall).
   */
  readonly checkRangeBufLen?: boolean;
}

export function decodeMessage(bytes: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const fail = (kind: CodecErrorKind, field: string, message: string): DecodeResult => ({ ok: false, error: { kind, field, message } });
  if (bytes.length > MAX_MESSAGE_SIZE) return fail('TooLong', 'payload', `a channel message is at most ${MAX_MESSAGE_SIZE} bytes, this one has ${bytes.length}`);
  if (bytes.length < HEADER_SIZE) return fail('TooShort', 'header.msgtype', `${bytes.length} bytes cannot hold the 8-byte message header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const msgtype = view.getUint32(0, true);
  const name = BY_TYPE.get(msgtype);
  if (name === undefined) return fail('UnknownType', 'header.msgtype', `message type ${msgtype} is not one this codec knows`);
  const fixedSize = MESSAGE_CATALOGUE[name].fixedSize;
  const message: Record<string, unknown> = { type: name };
  for (const [field, kind, offset] of LAYOUTS[name]) {
    if (offset + SIZES[kind] > bytes.length) {
      return fail('TooShort', `${name}.${field}`, `${name} needs ${fixedSize} bytes, ${bytes.length} end inside ${field} (at ${offset})`);
    }
    if (!RESERVED.has(field)) message[field] = read(bytes, view, kind, offset);
  }
  if (!hasRangeData(name)) {
    if (bytes.length > fixedSize) return fail('TrailingBytes', `${name}`, `${name} is ${fixedSize} bytes, ${bytes.length - fixedSize} more follow it`);
    return { ok: true, message: message as unknown as ChannelMessage };
  }
  const rangeData = bytes.slice(fixedSize);
  if (rangeData.length % 8 !== 0) return fail('TrailingBytes', `${name}.rangeData`, `range data must be whole u64s, ${rangeData.length} bytes is not`);
  message['rangeData'] = rangeData;
  if (name === 'GPADL_HEADER' && options.checkRangeBufLen !== false) {
    const problem = headerLengths(message['rangeBufLen'] as number, message['rangeCount'] as number, rangeData);
    if (problem !== undefined) return fail('LengthMismatch', `GPADL_HEADER.${problem.field}`, problem.message);
  }
  return { ok: true, message: message as unknown as ChannelMessage };
}

/** What a header alone can check: room for its ranges, and one range's page count against range_buflen. */
function headerLengths(rangeBufLen: number, rangeCount: number, rangeData: Uint8Array): { field: string; message: string } | undefined {
  if (rangeBufLen < rangeCount * GPA_RANGE_HEADER_SIZE) {
    return { field: 'rangeCount', message: `${rangeCount} ranges need at least ${rangeCount * GPA_RANGE_HEADER_SIZE} bytes, range_buflen is ${rangeBufLen}` };
  }
  if (rangeCount !== 1 || rangeData.length < GPA_RANGE_HEADER_SIZE) return undefined;
  const view = new DataView(rangeData.buffer, rangeData.byteOffset, rangeData.byteLength);
  const byteCount = view.getUint32(0, true);
  const byteOffset = view.getUint32(4, true);
  const expected = GPA_RANGE_HEADER_SIZE + 8 * pagesSpanned(byteOffset, byteCount);
  if (byteOffset < 4096 && rangeBufLen !== expected) {
    return { field: 'rangeBufLen', message: `one range of ${byteCount} bytes at offset ${byteOffset} spans ${(expected - 8) / 8} pages, so range_buflen must be ${expected}, not ${rangeBufLen}` };
  }
  return undefined;
}

function write(bytes: Uint8Array, view: DataView, kind: FieldKind, offset: number, value: unknown): void {
  switch (kind) {
    case 'u8':
      return view.setUint8(offset, Number(value ?? 0));
    case 'bit8':
      return view.setUint8(offset, value === true ? 1 : 0);
    case 'u16':
      return view.setUint16(offset, Number(value ?? 0), true);
    case 'bit16':
      return view.setUint16(offset, value === true ? 1 : 0, true);
    case 'u32':
    case 'relid':
    case 'gpadl':
      return view.setUint32(offset, Number(value ?? 0), true);
    case 'u64':
      return view.setBigUint64(offset, BigInt(Number(value ?? 0)), true);
    case 'guid':
      return bytes.set(guidToBytes(typeof value === 'string' ? value : ZERO_GUID), offset);
    case 'bytes120':
      if (value instanceof Uint8Array) bytes.set(value.subarray(0, 120), offset);
      return;
  }
}

function read(bytes: Uint8Array, view: DataView, kind: FieldKind, offset: number): unknown {
  switch (kind) {
    case 'u8':
      return view.getUint8(offset);
    case 'bit8':
      return (view.getUint8(offset) & 1) === 1;
    case 'u16':
      return view.getUint16(offset, true);
    case 'bit16':
      return (view.getUint16(offset, true) & 1) === 1;
    case 'u32':
      return view.getUint32(offset, true);
    case 'relid':
      return channelId(view.getUint32(offset, true));
    case 'gpadl':
      return gpadlHandle(view.getUint32(offset, true));
    case 'u64':
      return Number(view.getBigUint64(offset, true));
    case 'guid':
      return guidFromBytes(bytes.subarray(offset, offset + 16));
    case 'bytes120':
      return bytes.slice(offset, offset + 120);
  }
}

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * A GUID's bytes in memory, by the byte of its text (its 32 hex digits in order) each comes from:
 * Data1 (u32), Data2 and Data3 (u16) little-endian, then Data4 as is. The order is its own inverse.
 */
const GUID_BYTE_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15] as const;
const GUID_HEX = /^[0-9a-f]{32}$/i;
/** Two lowercase hex digits for each byte value (the fuzzer prints and parses GUIDs by the thousand). */
const HEX_OF_BYTE = Array.from({ length: 256 }, (_, value) => value.toString(16).padStart(2, '0'));

/** A Windows GUID in memory: Data1 (u32), Data2 and Data3 (u16) little-endian, then Data4 as is. */
export function guidToBytes(guid: string): Uint8Array {
  const hex = guid.replaceAll('-', '');
  if (!GUID_HEX.test(hex)) throw new RangeError(`not a GUID: ${guid}`);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[GUID_BYTE_ORDER[i]!] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function guidFromBytes(bytes: Uint8Array): string {
  let hex = '';
  for (const i of GUID_BYTE_ORDER) hex += HEX_OF_BYTE[bytes[i]!]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
