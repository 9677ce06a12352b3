/**
 * The commands of a half (docs/halves.md) to protocol JSON and back, in both directions, as
 * codec.ts does for a whole implementation. A half's command is `guest.<method>` or
 * `host.<method>` for a method of {@link GuestHalf} or {@link HostHalf}; where the method is the
 * whole contract's method under the same name with the same meaning, its codec is that one.
 */
import type { CompletedResult, GuestHalf, HalfEvent, HalfName, HostHalf, PageExtent } from '../contract/halves.js';
import { channelId, endpointHandle, gpadlHandle, operationId, pfn } from '../contract/handles.js';
import { At, CODECS, DecodeError, decoding, optionalU32, statusResult, toHex, toJson, voidResult, withStatus } from './codec.js';
import type { JsonObject } from './protocol.js';

type HalfMethod<H> = Exclude<keyof H, 'info' | 'takeEvents' | 'close'>;
export type GuestMethod = HalfMethod<GuestHalf>;
export type HostMethod = HalfMethod<HostHalf>;
type Args<H, M extends keyof H> = Parameters<NonNullable<H[M]> extends (...a: never[]) => unknown ? NonNullable<H[M]> : never>;
type Result<H, M extends keyof H> = Awaited<ReturnType<NonNullable<H[M]> extends (...a: never[]) => unknown ? NonNullable<H[M]> : never>>;

export interface HalfCodec<H, M extends keyof H> {
  readonly request: (...args: Args<H, M>) => JsonObject;
  readonly args: (request: At) => Args<H, M>;
  readonly result: (value: Result<H, M>) => JsonObject;
  readonly decode: (result: At) => Result<H, M>;
}
type HalfCodecs<H> = { readonly [M in HalfMethod<H>]: HalfCodec<H, M> };

const endpointArg = (at: At) => endpointHandle(at.get('endpoint').u32());

/** A call that may block: its result, and the operation that finishes it later. */
const withOperation = <T extends JsonObject>(value: T & { readonly operation?: number }): JsonObject => value;
const decodeOperation = (at: At) => {
  const operation = at.optional('operation');
  return operation === undefined ? {} : { operation: operationId(operation.u32()) };
};

const extents = {
  encode: (list: readonly PageExtent[]) => list.map((e) => ({ pfn: e.pfn, offset: e.offset, length: e.length })),
  decode: (at: At): PageExtent[] => at.array().map((e) => ({ pfn: pfn(e.get('pfn').safeInteger()), offset: e.get('offset').u32(), length: e.get('length').u32() })),
};
const pfnList = (at: At) => at.array().map((p) => pfn(p.safeInteger()));

/** A blocking void call (disable, cleanup): `{}` or `{operation}`. */
const maybeBlockedVoid = {
  request: (endpoint: ReturnType<typeof endpointHandle>) => ({ endpoint }),
  args: (at: At) => [endpointArg(at)] as [ReturnType<typeof endpointHandle>],
  result: (v: { operation?: number }) => withOperation({ ...(v.operation === undefined ? {} : { operation: v.operation }) }),
  decode: (at: At) => (at.object(), decodeOperation(at)),
};

export const GUEST_CODECS: HalfCodecs<GuestHalf> = {
  allocateBuffer: CODECS.allocateBuffer,
  describeBuffer: CODECS.describeBuffer,
  writeBuffer: CODECS.writeBuffer,
  readBuffer: CODECS.readBuffer,
  buildMdl: CODECS.buildMdl,
  describeMdl: CODECS.describeMdl,
  mapMdlToSystemVa: CODECS.mapMdlToSystemVa,
  readMdl: CODECS.readMdl,
  writeMdl: CODECS.writeMdl,
  setRingBufferPageCount: CODECS.setRingBufferPageCount,
  endpointInfo: CODECS.endpointInfo,
  createGpadlFromBuffer: CODECS.createGpadlFromBuffer,
  createGpadlFromMdl: CODECS.createGpadlFromMdl,
  deleteGpadl: CODECS.deleteGpadl,
  violations: CODECS.violations,
  migrationBegin: CODECS.migrationBegin,
  readSnapshot: CODECS.readSnapshot,
  readPages: {
    request: (list) => ({ extents: extents.encode(list) }),
    args: (at) => [extents.decode(at.get('extents'))],
    result: CODECS.readBuffer.result,
    decode: CODECS.readBuffer.decode,
  },
  writePages: {
    request: (list, data) => ({ extents: extents.encode(list), data: toHex(data) }),
    args: (at) => [extents.decode(at.get('extents')), at.get('data').bytes()],
    ...statusResult,
  },
  allocateChannel: {
    request: () => ({}),
    args: () => [],
    result: (v) => ({ status: v.status, endpoint: v.endpoint }),
    decode: (at) => withStatus(at, 'endpoint', (e) => endpointHandle(e.u32())),
  },
  bindChannel: {
    request: (endpoint, channel) => ({ endpoint, channelId: channel }),
    args: (at) => [endpointArg(at), channelId(at.get('channelId').u32())],
    ...statusResult,
  },
  enableChannel: {
    request: (endpoint) => ({ endpoint }),
    args: (at) => [endpointArg(at)],
    result: (v) => withOperation({ status: v.status, ...(v.operation === undefined ? {} : { operation: v.operation }) }),
    decode: (at) => ({ status: at.get('status').status(), ...decodeOperation(at) }),
  },
  disableChannel: maybeBlockedVoid,
  cleanupChannel: maybeBlockedVoid,
  deliver: {
    request: (message) => ({ message: toHex(message) }),
    args: (at) => [at.get('message').bytes()],
    ...voidResult,
  },
  migrationFinish: {
    request: (serverWritable) => ({ serverWritable: [...serverWritable] }),
    args: (at) => [pfnList(at.get('serverWritable'))],
    result: CODECS.migrationFinish.result,
    decode: CODECS.migrationFinish.decode,
  },
};

export const HOST_CODECS: HalfCodecs<HostHalf> = {
  enableChannel: CODECS.enableChannel,
  disableChannel: CODECS.disableChannel,
  cleanupChannel: CODECS.cleanupChannel,
  endpointInfo: CODECS.endpointInfo,
  mapGpadl: CODECS.mapGpadl,
  unmapGpadl: CODECS.unmapGpadl,
  mapMdlToSystemVa: CODECS.mapMdlToSystemVa,
  describeMdl: CODECS.describeMdl,
  violations: CODECS.violations,
  hostDirect: CODECS.hostDirect,
  hostAnswerDeferred: CODECS.hostAnswerDeferred,
  hostOffer: CODECS.hostOffer,
  hostReceive: CODECS.hostReceive,
  hostHold: CODECS.hostHold,
  hostRelease: CODECS.hostRelease,
  hostRevoke: CODECS.hostRevoke,
  migrationBegin: CODECS.migrationBegin,
  allocateChannel: GUEST_CODECS.allocateChannel,
  accessMdl: {
    request: (mdl, offset, length, write) => ({ mdl, offset, length, write }),
    args: (at) => [CODECS.describeMdl.args(at)[0], at.get('offset').u32(), at.get('length').u32(), at.get('write').boolean()],
    result: (v) => ({ status: v.status, extents: v.extents === undefined ? undefined : extents.encode(v.extents) }),
    decode: (at) => withStatus(at, 'extents', extents.decode),
  },
  deliver: {
    request: (message, options) => ({ message: toHex(message), ...(options?.gpadlReadOnly === true ? { gpadlReadOnly: true } : {}) }),
    args: (at) => [at.get('message').bytes(), { gpadlReadOnly: at.optional('gpadlReadOnly')?.boolean() ?? false }],
    ...voidResult,
  },
  migrationFinish: {
    request: () => ({}),
    args: () => [],
    result: (v) => ({ status: v.status, serverWritable: v.serverWritable === undefined ? undefined : [...v.serverWritable] }),
    decode: (at) => withStatus(at, 'serverWritable', pfnList),
  },
};

export const HALF_CODECS = { guest: GUEST_CODECS, host: HOST_CODECS } as const;

/** `guest.<method>` or `host.<method>`. */
export const halfCommand = (half: HalfName, method: string): string => `${half}.${method}`;

export const GUEST_COMMANDS: readonly string[] = Object.keys(GUEST_CODECS).map((m) => halfCommand('guest', m));
export const HOST_COMMANDS: readonly string[] = Object.keys(HOST_CODECS).map((m) => halfCommand('host', m));

/** The half and method a command names, or undefined for a command of no half. */
export function readHalfCommand(cmd: string): { half: HalfName; method: string } | undefined {
  const dot = cmd.indexOf('.');
  const half = cmd.slice(0, dot);
  const method = cmd.slice(dot + 1);
  if (half === 'guest' && Object.hasOwn(GUEST_CODECS, method)) return { half, method };
  if (half === 'host' && Object.hasOwn(HOST_CODECS, method)) return { half, method };
  return undefined;
}

/** Serving: a half command's arguments as the call's arguments (a DecodeError for what it cannot read). */
export function decodeHalfArguments(half: HalfName, method: string, request: unknown): unknown[] {
  const at = new At(request);
  const codec = (HALF_CODECS[half] as Record<string, { args: (at: At) => unknown[] }>)[method]!;
  return decoding(at, () => codec.args(at));
}

/** Serving: a half call's result as the response's `result`. */
export function encodeHalfResult(half: HalfName, method: string, value: unknown): JsonObject {
  return (HALF_CODECS[half] as Record<string, { result: (v: unknown) => JsonObject }>)[method]!.result(value);
}

// ------------------------------------------------------------------------------------ events

export function encodeEvents(events: readonly HalfEvent[]): JsonObject[] {
  return events.map((event) =>
    'send' in event ? { send: toHex(event.send) } : { completed: event.completed, result: toJson(event.result) as JsonObject },
  );
}

/** The `events` of a response envelope (absent means none); pointers start at `/events`. */
export function decodeEvents(value: unknown): HalfEvent[] {
  if (value === undefined) return [];
  const at = new At(value, '/events');
  try {
    return at.array().map((event): HalfEvent => {
      if (event.has('send')) return { send: event.get('send').bytes() };
      const result = event.get('result');
      const gpadl = optionalU32(result, 'gpadl');
      const status = result.optional('status')?.status();
      const completed: CompletedResult = { ...(status === undefined ? {} : { status }), ...(gpadl === undefined ? {} : { gpadl: gpadlHandle(gpadl) }) };
      return { completed: operationId(event.get('completed').u32()), result: completed };
    });
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(at.pointer, (error as Error).message);
  }
}
