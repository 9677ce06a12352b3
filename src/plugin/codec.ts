/**
 * Contract calls and results to protocol JSON and back, in both directions: the harness encodes
 * arguments and decodes results ({@link encodeArguments}, {@link decodeResult}); {@link serve}
 * decodes arguments and encodes results ({@link decodeArguments}, {@link encodeResult}).
 *
 * Bytes travel as lowercase hex, every number as a JSON integer (statuses, flags and handles as
 * unsigned 32-bit). Decoding rebuilds the branded contract types through their validating
 * constructors, and checks the shape it needs as it goes: a value it cannot read is a
 * {@link DecodeError} naming its JSON pointer, whether or not schema validation is on. The schemas
 * check more (no extra properties, out-parameters only on success); the codec checks enough to never
 * hand a step a value of the wrong type.
 */
import {
  CAPABILITIES,
  HOST_DIRECTIVES,
  type BufferDescription,
  type Capabilities,
  type CreateGpadlResult,
  type ImplementationInfo,
  type MdlDescription,
  type MdlPart,
  type VmbusImplementation,
} from '../contract/Implementation.js';
import { gpadlFlags } from '../contract/flags.js';
import { HALF_NAMES } from '../contract/halves.js';
import { bufferHandle, channelId, endpointHandle, gpadlHandle, mdlHandle, operationId, pfn } from '../contract/handles.js';
import { ntStatus, type NtStatus } from '../contract/NtStatus.js';
import type { TraceEvent } from '../contract/trace.js';
import { isViolationKind, type ContractViolation } from '../contract/violations.js';
import { MESSAGE_CATALOGUE, type ChannelMessage, type MessageName } from '../protocol/messages.js';
import { PROTOCOL_VERSION, type ContractCommand, type ProtocolVersion, type VersionFeatures, type HarnessIdentity, type JsonObject, type JsonValue } from './protocol.js';

// ------------------------------------------------------------------------------------ bytes

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

const HEX = /^(?:[0-9a-f]{2})*$/;

/** Lowercase hex to bytes; undefined for anything else. Returns a plain Uint8Array, not a Buffer. */
export function fromHex(text: string): Uint8Array | undefined {
  if (!HEX.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, 'hex'));
}

// ------------------------------------------------------------------------------------ reading JSON

/** A value of a protocol line that is not what the codec needs, at a JSON pointer. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly pointer: string,
    readonly problem: string,
  ) {
    super(`${pointer === '' ? '(the whole value)' : pointer}: ${problem}`);
  }
}

const escapePointer = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * A value inside a parsed line, with its JSON pointer, and readers that check its type. The pointer
 * of a value inside another is spelt out only when asked for (an error names it): reading a line
 * that is fine builds no strings.
 */
export class At {
  private path: string | undefined;
  private parent: At | undefined;
  private key: string | undefined;

  constructor(
    readonly value: unknown,
    pointer = '',
  ) {
    this.path = pointer;
  }

  /** The value at `key` (a property or an index) of `parent`'s. */
  private static under(parent: At, value: unknown, key: string): At {
    const at = new At(value);
    at.path = undefined;
    at.parent = parent;
    at.key = key;
    return at;
  }

  get pointer(): string {
    this.path ??= `${this.parent!.pointer}/${escapePointer(this.key!)}`;
    return this.path;
  }

  private fail(expected: string): never {
    throw new DecodeError(this.pointer, `expected ${expected}, got ${describe(this.value)}`);
  }

  object(): Readonly<Record<string, unknown>> {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) this.fail('an object');
    return this.value as Record<string, unknown>;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.object(), key) && this.object()[key] !== undefined;
  }

  /** A required property. */
  get(key: string): At {
    const object = this.object();
    if (!Object.hasOwn(object, key) || object[key] === undefined) throw new DecodeError(`${this.pointer}/${escapePointer(key)}`, 'required property is missing');
    return At.under(this, object[key], key);
  }

  /** An optional property; null counts as absent. */
  optional(key: string): At | undefined {
    const object = this.object();
    return object[key] === undefined || object[key] === null || !Object.hasOwn(object, key) ? undefined : At.under(this, object[key], key);
  }

  array(): At[] {
    if (!Array.isArray(this.value)) this.fail('an array');
    return (this.value as unknown[]).map((item, index) => At.under(this, item, String(index)));
  }

  u32(): number {
    const value = this.value;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) this.fail('an unsigned 32-bit integer');
    return value;
  }

  safeInteger(): number {
    const value = this.value;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) this.fail('a non-negative integer');
    return value;
  }

  string(): string {
    if (typeof this.value !== 'string') this.fail('a string');
    return this.value as string;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') this.fail('true or false');
    return this.value as boolean;
  }

  bytes(): Uint8Array {
    const bytes = typeof this.value === 'string' ? fromHex(this.value) : undefined;
    if (bytes === undefined) this.fail('bytes as lowercase hex');
    return bytes;
  }

  oneOf<const T extends string>(values: readonly T[]): T {
    if (typeof this.value !== 'string' || !(values as readonly string[]).includes(this.value)) this.fail(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
    return this.value as T;
  }

  status(): NtStatus {
    return ntStatus(this.u32());
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const text = JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// ------------------------------------------------------------------------------------ contract values

/** Any value of the contract as JSON: bytes as hex, everything else as it is. */
export function toJson(value: unknown): JsonValue {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toJson(v)]));
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  throw new TypeError(`cannot put ${typeof value} on the wire`);
}

/** The fields of each channel message besides `type`, in the order of src/protocol/messages.ts. */
export const MESSAGE_FIELDS: { readonly [K in MessageName]: readonly Exclude<keyof Extract<ChannelMessage, { type: K }>, 'type'>[] } = {
  OFFERCHANNEL: ['childRelid', 'interfaceInstance'],
  RESCIND_CHANNELOFFER: ['childRelid'],
  OPENCHANNEL: ['childRelid', 'openId', 'ringBufferGpadlHandle', 'targetVp', 'downstreamRingBufferPageOffset'],
  OPENCHANNEL_RESULT: ['childRelid', 'openId', 'status'],
  CLOSECHANNEL: ['childRelid'],
  GPADL_HEADER: ['childRelid', 'gpadl', 'rangeBufLen', 'rangeCount', 'rangeData'],
  GPADL_BODY: ['msgNumber', 'gpadl', 'rangeData'],
  GPADL_CREATED: ['childRelid', 'gpadl', 'creationStatus'],
  GPADL_TEARDOWN: ['childRelid', 'gpadl'],
  GPADL_TORNDOWN: ['gpadl'],
  RELID_RELEASED: ['childRelid'],
  REQUESTOFFERS: [],
  ALLOFFERS_DELIVERED: [],
  INITIATE_CONTACT: ['vmbusVersionRequested', 'targetVcpu', 'interruptPage', 'monitorPage1', 'monitorPage2'],
  VERSION_RESPONSE: ['versionSupported', 'connectionState', 'msgConnId'],
  UNLOAD: [],
  UNLOAD_RESPONSE: [],
};
const MESSAGE_NAMES = Object.keys(MESSAGE_CATALOGUE) as MessageName[];
/** Guest physical addresses (u64 on the wire; below 2^52 on x86, so a safe integer here). */
const U64_FIELDS: ReadonlySet<string> = new Set(['interruptPage', 'monitorPage1', 'monitorPage2']);
/** Fields a trace may leave out (an implementation that offers every channel with the zero GUID), as GUID text. */
const OPTIONAL_GUID_FIELDS: ReadonlySet<string> = new Set(['interfaceInstance']);

function decodeMessage(at: At): ChannelMessage {
  const type = at.get('type').oneOf(MESSAGE_NAMES);
  const message: Record<string, unknown> = { type };
  for (const field of MESSAGE_FIELDS[type] as readonly string[]) {
    if (OPTIONAL_GUID_FIELDS.has(field)) {
      const guid = at.optional(field)?.string();
      if (guid !== undefined) message[field] = guid;
      continue;
    }
    message[field] = field === 'rangeData' ? at.get(field).bytes() : U64_FIELDS.has(field) ? at.get(field).safeInteger() : at.get(field).u32();
  }
  return message as unknown as ChannelMessage;
}

function decodeTraceEvent(at: At): TraceEvent {
  const kind = at.get('kind').oneOf(['call', 'return', 'message', 'completed']);
  switch (kind) {
    case 'call': {
      const args = at.get('args');
      return { kind, fn: at.get('fn').string(), args: { ...args.object() } };
    }
    case 'return': {
      const status = at.optional('status');
      return { kind, fn: at.get('fn').string(), ...(status === undefined ? {} : { status: status.status() }) };
    }
    case 'message': {
      const bytes = at.optional('bytes');
      const direction = at.get('direction').oneOf(['guest-to-host', 'host-to-guest']);
      return { kind, direction, message: decodeMessage(at.get('message')), ...(bytes === undefined ? {} : { bytes: bytes.bytes() }) };
    }
    case 'completed':
      return { kind, fn: at.get('fn').string(), operation: operationId(at.get('operation').u32()) };
  }
}

function decodeViolation(at: At): ContractViolation {
  const kind = at.get('kind').string();
  if (!isViolationKind(kind)) throw new DecodeError(`${at.pointer}/kind`, `unknown violation kind ${JSON.stringify(kind)}`);
  const endpoint = at.optional('endpoint');
  const gpadl = at.optional('gpadl');
  const mdl = at.optional('mdl');
  return {
    kind,
    fn: at.get('fn').string(),
    ...(endpoint === undefined ? {} : { endpoint: endpointHandle(endpoint.u32()) }),
    ...(gpadl === undefined ? {} : { gpadl: gpadlHandle(gpadl.u32()) }),
    ...(mdl === undefined ? {} : { mdl: mdlHandle(mdl.u32()) }),
    message: at.get('message').string(),
  };
}

function decodeSpan(at: At): { byteOffset: number; byteCount: number; pfns: ReturnType<typeof pfn>[] } {
  return { byteOffset: at.get('byteOffset').u32(), byteCount: at.get('byteCount').u32(), pfns: at.get('pfns').array().map((p) => pfn(p.safeInteger())) };
}

function decodeBufferDescription(at: At): BufferDescription {
  return { ...decodeSpan(at), locked: at.get('locked').boolean() };
}

function decodeMdlDescription(at: At): MdlDescription {
  return { ...decodeSpan(at), systemVa: at.get('systemVa').boolean() };
}

/** `{status}` plus the out-parameter `key` when the result has it. */
export function withStatus<K extends string, T>(at: At, key: K, decode: (value: At) => T): { status: NtStatus } & Partial<Record<K, T>> {
  const out = at.optional(key);
  return { status: at.get('status').status(), ...(out === undefined ? {} : { [key]: decode(out) }) } as { status: NtStatus } & Partial<Record<K, T>>;
}

export const optionalU32 = (at: At, key: string): number | undefined => at.optional(key)?.u32();

// ------------------------------------------------------------------------------------ one codec per command

type Method = ContractCommand;
export type ContractArguments<M extends Method> = Parameters<NonNullable<VmbusImplementation[M]>>;
export type ContractResult<M extends Method> = Awaited<ReturnType<NonNullable<VmbusImplementation[M]>>>;

export interface MethodCodec<M extends Method> {
  /** Contract arguments to the request's arguments (the harness). */
  readonly request: (...args: ContractArguments<M>) => JsonObject;
  /** The request's arguments to contract arguments (serving). */
  readonly args: (request: At) => ContractArguments<M>;
  /** A contract result to the response's `result` (serving). */
  readonly result: (value: ContractResult<M>) => JsonObject;
  /** The response's `result` to a contract result (the harness). */
  readonly decode: (result: At) => ContractResult<M>;
}

type Codecs = { readonly [M in Method]: MethodCodec<M> };

export const statusResult = {
  result: (status: NtStatus): JsonObject => ({ status }),
  decode: (at: At): NtStatus => at.get('status').status(),
};
export const voidResult = {
  result: (): JsonObject => ({}),
  decode: (at: At): void => void at.object(),
};

/** A create's result: its handle on success, its operation while the host has not answered (hostControl). */
const createResult = {
  result: (v: CreateGpadlResult): JsonObject => ({ status: v.status, gpadl: v.gpadl, operation: v.operation }),
  decode: (at: At): CreateGpadlResult => {
    const operation = at.optional('operation');
    return { ...withStatus(at, 'gpadl', (g) => gpadlHandle(g.u32())), ...(operation === undefined ? {} : { operation: operationId(operation.u32()) }) };
  },
};

export const CODECS: Codecs = {
  allocateBuffer: {
    request: (r) => ({ byteCount: r.byteCount, byteOffset: r.byteOffset }),
    args: (at) => {
      const byteOffset = optionalU32(at, 'byteOffset');
      return [{ byteCount: at.get('byteCount').u32(), ...(byteOffset === undefined ? {} : { byteOffset }) }];
    },
    result: (v) => ({ status: v.status, buffer: v.buffer }),
    decode: (at) => withStatus(at, 'buffer', (b) => bufferHandle(b.u32())),
  },
  describeBuffer: {
    request: (buffer) => ({ buffer }),
    args: (at) => [bufferHandle(at.get('buffer').u32())],
    result: (v) => ({ status: v.status, description: v.description === undefined ? undefined : (toJson(v.description) as JsonObject) }),
    decode: (at) => withStatus(at, 'description', decodeBufferDescription),
  },
  writeBuffer: {
    request: (buffer, offset, data) => ({ buffer, offset, data: toHex(data) }),
    args: (at) => [bufferHandle(at.get('buffer').u32()), at.get('offset').u32(), at.get('data').bytes()],
    ...statusResult,
  },
  readBuffer: {
    request: (buffer, offset, length) => ({ buffer, offset, length }),
    args: (at) => [bufferHandle(at.get('buffer').u32()), at.get('offset').u32(), at.get('length').u32()],
    result: (v) => ({ status: v.status, data: v.data === undefined ? undefined : toHex(v.data) }),
    decode: (at) => withStatus(at, 'data', (d) => d.bytes()),
  },
  buildMdl: {
    request: (parts) => ({ parts: parts.map((p) => ({ buffer: p.buffer, byteOffset: p.byteOffset, byteCount: p.byteCount })) }),
    args: (at) => [
      at.get('parts').array().map((part): MdlPart => {
        const byteOffset = optionalU32(part, 'byteOffset');
        const byteCount = optionalU32(part, 'byteCount');
        return {
          buffer: bufferHandle(part.get('buffer').u32()),
          ...(byteOffset === undefined ? {} : { byteOffset }),
          ...(byteCount === undefined ? {} : { byteCount }),
        };
      }),
    ],
    result: (v) => ({ status: v.status, mdl: v.mdl }),
    decode: (at) => withStatus(at, 'mdl', (m) => mdlHandle(m.u32())),
  },
  describeMdl: {
    request: (mdl) => ({ mdl }),
    args: (at) => [mdlHandle(at.get('mdl').u32())],
    result: (v) => ({ status: v.status, chain: v.chain === undefined ? undefined : (toJson(v.chain) as JsonValue[]) }),
    decode: (at) => withStatus(at, 'chain', (c) => c.array().map(decodeMdlDescription)),
  },
  allocateChannel: {
    request: (r) => (r.role === 'server' ? { role: r.role } : { role: r.role, server: r.server }),
    args: (at) => {
      const role = at.get('role').oneOf(['client', 'server']);
      return [role === 'server' ? { role } : { role, server: endpointHandle(at.get('server').u32()) }];
    },
    result: (v) => ({ status: v.status, endpoint: v.endpoint }),
    decode: (at) => withStatus(at, 'endpoint', (e) => endpointHandle(e.u32())),
  },
  setRingBufferPageCount: {
    request: (endpoint, incomingPages, outgoingPages) => ({ endpoint, incomingPages, outgoingPages }),
    args: (at) => [endpointHandle(at.get('endpoint').u32()), at.get('incomingPages').u32(), at.get('outgoingPages').u32()],
    ...statusResult,
  },
  enableChannel: {
    request: (endpoint) => ({ endpoint }),
    args: (at) => [endpointHandle(at.get('endpoint').u32())],
    ...statusResult,
  },
  disableChannel: {
    request: (endpoint) => ({ endpoint }),
    args: (at) => [endpointHandle(at.get('endpoint').u32())],
    ...voidResult,
  },
  cleanupChannel: {
    request: (endpoint) => ({ endpoint }),
    args: (at) => [endpointHandle(at.get('endpoint').u32())],
    ...voidResult,
  },
  endpointInfo: {
    request: (endpoint) => ({ endpoint }),
    args: (at) => [endpointHandle(at.get('endpoint').u32())],
    result: (v) => ({ status: v.status, info: v.info === undefined ? undefined : (toJson(v.info) as JsonObject) }),
    decode: (at) =>
      withStatus(at, 'info', (info) => {
        const channel = info.get('channelId');
        const ring = info.get('ringGpadl');
        return {
          role: info.get('role').oneOf(['client', 'server']),
          state: info.get('state').oneOf(['Disabled', 'Enabled', 'Opened', 'Closed']),
          channelId: channel.value === null ? null : channelId(channel.u32()),
          ringGpadl: ring.value === null ? null : gpadlHandle(ring.u32()),
        };
      }),
  },
  createGpadlFromBuffer: {
    request: (endpoint, flags, buffer, byteCount) => ({ endpoint, flags, buffer, byteCount }),
    args: (at) => [endpointHandle(at.get('endpoint').u32()), gpadlFlags(at.get('flags').u32()), bufferHandle(at.get('buffer').u32()), at.get('byteCount').u32()],
    ...createResult,
  },
  createGpadlFromMdl: {
    request: (endpoint, flags, mdl, startOffset, length) => ({ endpoint, flags, mdl, startOffset, length }),
    args: (at) => [
      endpointHandle(at.get('endpoint').u32()),
      gpadlFlags(at.get('flags').u32()),
      mdlHandle(at.get('mdl').u32()),
      at.get('startOffset').u32(),
      at.get('length').u32(),
    ],
    ...createResult,
  },
  deleteGpadl: {
    request: (endpoint, gpadl) => ({ endpoint, gpadl }),
    args: (at) => [endpointHandle(at.get('endpoint').u32()), gpadlHandle(at.get('gpadl').u32())],
    result: (v) => ({ operation: v.operation, state: v.state }),
    decode: (at) => ({ operation: operationId(at.get('operation').u32()), state: at.get('state').oneOf(['pending', 'completed']) }),
  },
  mapGpadl: {
    request: (endpoint, flags, gpadl) => ({ endpoint, flags, gpadl }),
    args: (at) => [endpointHandle(at.get('endpoint').u32()), gpadlFlags(at.get('flags').u32()), gpadlHandle(at.get('gpadl').u32())],
    result: (v) => ({ status: v.status, mdl: v.mdl }),
    decode: (at) => withStatus(at, 'mdl', (m) => mdlHandle(m.u32())),
  },
  unmapGpadl: {
    request: (endpoint, gpadl) => ({ endpoint, gpadl }),
    args: (at) => [endpointHandle(at.get('endpoint').u32()), gpadlHandle(at.get('gpadl').u32())],
    ...voidResult,
  },
  mapMdlToSystemVa: {
    request: (mdl) => ({ mdl }),
    args: (at) => [mdlHandle(at.get('mdl').u32())],
    ...statusResult,
  },
  readMdl: {
    request: (mdl, offset, length) => ({ mdl, offset, length }),
    args: (at) => [mdlHandle(at.get('mdl').u32()), at.get('offset').u32(), at.get('length').u32()],
    result: (v) => ({ status: v.status, data: v.data === undefined ? undefined : toHex(v.data) }),
    decode: (at) => withStatus(at, 'data', (d) => d.bytes()),
  },
  writeMdl: {
    request: (mdl, offset, data) => ({ mdl, offset, data: toHex(data) }),
    args: (at) => [mdlHandle(at.get('mdl').u32()), at.get('offset').u32(), at.get('data').bytes()],
    ...statusResult,
  },
  operationState: {
    request: (operation) => ({ operation }),
    args: (at) => [operationId(at.get('operation').u32())],
    result: (state) => ({ state }),
    decode: (at) => at.get('state').oneOf(['pending', 'completed', 'unknown']),
  },
  violations: {
    request: () => ({}),
    args: () => [],
    result: (violations) => ({ violations: toJson(violations) }),
    decode: (at) => at.get('violations').array().map(decodeViolation),
  },
  trace: {
    request: () => ({}),
    args: () => [],
    result: (events) => ({ events: toJson(events) }),
    decode: (at) => at.get('events').array().map(decodeTraceEvent),
  },
  hostOffer: {
    request: () => ({}),
    args: () => [],
    result: (v) => ({ channelId: v.channelId, replies: v.replies.map(toHex) }),
    decode: (at) => ({ channelId: channelId(at.get('channelId').u32()), replies: decodeReplies(at) }),
  },
  hostReceive: {
    request: (message) => ({ message: toHex(message) }),
    args: (at) => [at.get('message').bytes()],
    result: (v) => ({ replies: v.replies.map(toHex) }),
    decode: (at) => ({ replies: decodeReplies(at) }),
  },
  hostHold: {
    request: (channel, gpadl) => ({ channel, gpadl }),
    args: (at) => [channelId(at.get('channel').u32()), gpadlHandle(at.get('gpadl').u32())],
    ...statusResult,
  },
  hostRelease: {
    request: (channel, gpadl) => ({ channel, gpadl }),
    args: (at) => [channelId(at.get('channel').u32()), gpadlHandle(at.get('gpadl').u32())],
    result: (v) => ({ status: v.status, replies: v.replies.map(toHex) }),
    decode: (at) => ({ status: at.get('status').status(), replies: decodeReplies(at) }),
  },
  hostRevoke: {
    request: (channel) => ({ channel }),
    args: (at) => [channelId(at.get('channel').u32())],
    result: (v) => ({ replies: v.replies.map(toHex) }),
    decode: (at) => ({ replies: decodeReplies(at) }),
  },
  migrationBegin: {
    request: () => ({}),
    args: () => [],
    ...statusResult,
  },
  migrationFinish: {
    request: () => ({}),
    args: () => [],
    result: (v) => ({ status: v.status, report: v.report === undefined ? undefined : (toJson(v.report) as JsonObject) }),
    decode: (at) =>
      withStatus(at, 'report', (report) => {
        const pages = (key: string) => report.get(key).array().map((p) => pfn(p.safeInteger()));
        return { recopiedGuestDirty: pages('recopiedGuestDirty'), recopiedServerWritable: pages('recopiedServerWritable'), missed: pages('missed') };
      }),
  },
  hostDirect: {
    request: (server, directive) => ({ server, directive }),
    args: (at) => [endpointHandle(at.get('server').u32()), at.get('directive').oneOf(HOST_DIRECTIVES)],
    ...statusResult,
  },
  hostAnswerDeferred: {
    request: (server) => ({ server }),
    args: (at) => [endpointHandle(at.get('server').u32())],
    ...statusResult,
  },
  createOutcome: {
    request: (operation) => ({ operation }),
    args: (at) => [operationId(at.get('operation').u32())],
    ...createResult,
  },
  readSnapshot: {
    request: (buffer, offset, length) => ({ buffer, offset, length }),
    args: (at) => [bufferHandle(at.get('buffer').u32()), at.get('offset').u32(), at.get('length').u32()],
    result: (v) => ({ status: v.status, data: v.data === undefined ? undefined : toHex(v.data) }),
    decode: (at) => withStatus(at, 'data', (d) => d.bytes()),
  },
};

/** The host-to-guest messages a host command caused, each as hex. */
function decodeReplies(at: At): Uint8Array[] {
  return at.get('replies').array().map((reply) => reply.bytes());
}

/**
 * Runs a decoder and turns what the contract's own constructors throw (a RangeError for a handle
 * out of range) into a DecodeError too.
 */
export function decoding<T>(at: At, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(at.pointer, (error as Error).message);
  }
}

/** The harness: a contract call's arguments as the request's arguments (without `seq` and `cmd`). */
export function encodeArguments<M extends Method>(method: M, args: ContractArguments<M>): JsonObject {
  return (CODECS[method].request as (...a: ContractArguments<M>) => JsonObject)(...args);
}

/** Serving: a request's arguments as the contract call's arguments. */
export function decodeArguments<M extends Method>(method: M, request: unknown): ContractArguments<M> {
  const at = new At(request);
  return decoding(at, () => CODECS[method].args(at) as ContractArguments<M>);
}

/** Serving: a contract result as the response's `result`. */
export function encodeResult<M extends Method>(method: M, value: ContractResult<M>): JsonObject {
  return (CODECS[method].result as (v: ContractResult<M>) => JsonObject)(value);
}

/** The harness: the response's `result` as the contract result; pointers start at `/result`. */
export function decodeResult<M extends Method>(method: M, result: unknown, pointer = '/result'): ContractResult<M> {
  const at = new At(result, pointer);
  return decoding(at, () => CODECS[method].decode(at) as ContractResult<M>);
}

/**
 * Serving: where a `trace` request starts (version 2's `from`; 0, the whole trace, without it). A
 * `from` in a conversation of a version without it is an argument the implementation cannot read.
 */
export function decodeTraceFrom(request: unknown, features: VersionFeatures): number {
  const at = new At(request);
  return decoding(at, () => {
    const from = at.optional('from');
    if (from === undefined) return 0;
    if (!features.traceFrom) throw new DecodeError(from.pointer, 'trace takes from only in protocol version 2 and later');
    return from.safeInteger();
  });
}

// ------------------------------------------------------------------------------------ hello

/**
 * `hello`'s arguments: `protocol` is always version 1, which every implementation reads; the
 * versions offered beyond it travel in `versions` (left out when only version 1 is offered).
 */
export function helloArguments(harness: HarnessIdentity, offered: readonly ProtocolVersion[] = [PROTOCOL_VERSION]): JsonObject {
  const beyondFirst = offered.some((version) => version !== PROTOCOL_VERSION);
  return { protocol: PROTOCOL_VERSION, ...(beyondFirst ? { versions: [...offered] } : {}), harness: { name: harness.name, version: harness.version } };
}

/** The versions a `hello` request offers: its `versions`, or its `protocol` alone (a harness of version 1). */
export function helloOffer(request: unknown): readonly unknown[] {
  const { versions, protocol } = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
  return Array.isArray(versions) ? versions : [protocol];
}

export function helloResult(info: ImplementationInfo, chosen: ProtocolVersion = PROTOCOL_VERSION): JsonObject {
  const { name, version, language, homepage, capabilities, halves, whole } = info;
  return {
    protocol: chosen,
    implementation: { name, version, language, homepage },
    capabilities: Object.fromEntries(CAPABILITIES.map((c) => [c, capabilities[c] ?? false])),
    ...(halves === undefined ? {} : { halves: [...halves], whole: whole ?? true }),
  };
}

/** The protocol version a `hello` result names, before anything else is read (VersionMismatch first). */
export function helloVersion(result: unknown): unknown {
  return typeof result === 'object' && result !== null ? (result as Record<string, unknown>)['protocol'] : undefined;
}

/** Capabilities added after protocol v1 first shipped: optional in `hello`, absent means false. */
const LATER_CAPABILITIES: ReadonlySet<string> = new Set(['wireHost', 'migration', 'hostControl']);

export function decodeHello(result: unknown, pointer = '/result'): ImplementationInfo {
  const at = new At(result, pointer);
  return decoding(at, () => {
    const implementation = at.get('implementation');
    const homepage = implementation.optional('homepage')?.string();
    const capabilities = at.get('capabilities');
    const halves = at.optional('halves')?.array().map((half) => half.oneOf(HALF_NAMES));
    const whole = at.optional('whole')?.boolean();
    return {
      name: implementation.get('name').string(),
      version: implementation.get('version').string(),
      language: implementation.get('language').string(),
      ...(homepage === undefined ? {} : { homepage }),
      // A program that names halves serves the whole contract too only if it says so (docs/halves.md).
      ...(halves === undefined ? {} : { halves: [...new Set(halves)], whole: whole ?? false }),
      // wireHost, migration and hostControl came later: an implementation that does not name one lacks it.
      capabilities: Object.fromEntries(
        CAPABILITIES.map((c) => [c, LATER_CAPABILITIES.has(c) ? (capabilities.optional(c)?.boolean() ?? false) : capabilities.get(c).boolean()]),
      ) as unknown as Capabilities,
    };
  });
}
