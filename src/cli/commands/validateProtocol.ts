/**
 * `validate-protocol --impl cmd:<command line>`: checks that an implementation speaks the plug-in
 * protocol, before any scenario runs. It starts the program, validates the `hello` exchange, then
 * a short scripted conversation that sends every command once (two channel endpoints, a buffer and
 * an MDL over it, two GPADLs, a map with reads and writes through it, a delete that waits for the
 * unmap, the observations, the life cycle, reset and shutdown), and checks every line in both
 * directions against the schemas. It prints one line per command: `ok` with what came back, or the
 * violations with their JSON pointers. Commands of a capability the implementation does not claim
 * are skipped, as the suite would.
 *
 * A program whose `hello` lists `halves` (docs/halves.md) gets the whole conversation only if it
 * says `whole: true`, and then one conversation per half it lists, after a `reset` each: every
 * `guest.*` command once ({@link GUEST_SCRIPT}) or every `host.*` command once ({@link HOST_SCRIPT}).
 * The script plays the other half: it answers the channel messages the half sends (in the
 * response's `events`) with the messages a reference peer would send, delivered with
 * `guest.deliver` or `host.deliver` (each such exchange checked and printed too), and takes the
 * results of blocked calls from their `completed` events.
 *
 * Exit codes: 0 every exchange is valid; 2 a violation, an `errored` or `unsupported` answer, a
 * crash or a timeout; 3 usage (a spec that is not `cmd:`, a bad timeout).
 */
import { DEFAULT_TIMEOUT_MS, harnessIdentity, PluginProcess, SHUTDOWN_GRACE_MS, type Exchange } from '../../adapters/stdio/index.js';
import type { HalfName } from '../../contract/halves.js';
import type { Capability } from '../../contract/Implementation.js';
import { channelId, gpadlHandle } from '../../contract/handles.js';
import { decodeMessage, encodeMessage } from '../../protocol/codec.js';
import type { ChannelMessage } from '../../protocol/messages.js';
import { helloArguments, helloVersion, toHex } from '../../plugin/codec.js';
import { formatStderr, formatViolation, PluginError } from '../../plugin/errors.js';
import { decodeEvents, halfCommand } from '../../plugin/halvesCodec.js';
import { PROTOCOL_VERSION, type CommandName, type JsonObject } from '../../plugin/protocol.js';
import { protocolValidator } from '../../plugin/validate.js';
import type { CommandContext } from '../context.js';
import { EXIT, ExitError } from '../exit.js';
import { escapeTerminalOutput } from '../../report/comparison/escape.js';
import { writeLine } from '../io.js';

export interface ValidateProtocolOptions {
  /** `cmd:<command line>`. */
  readonly impl: string;
  /** Per-command timeout in milliseconds (default 5000). */
  readonly timeoutMs?: number;
}

export type CheckOutcome = 'ok' | 'violation' | 'error' | 'skipped' | 'not-run';

/** What one command of the script came to. */
export interface ProtocolCheck {
  /** A command of the whole protocol, or a half's (`guest.<method>`, `host.<method>`). */
  readonly command: string;
  readonly outcome: CheckOutcome;
  /** What came back (ok), or what is wrong (each violation with its JSON pointer). */
  readonly detail: string;
}

/** Handles the script carries from one command to the next; 0 until an answer supplies one. */
interface Names {
  server: number;
  client: number;
  buffer: number;
  mdl: number;
  gpadl: number;
  mdlGpadl: number;
  mapping: number;
  operation: number;
  hostChannel: number;
  pendingCreate: number;
}

interface ScriptStep<N = Names, C extends string = CommandName> {
  readonly cmd: C;
  readonly args: (names: N) => JsonObject;
  readonly capability?: Capability;
  /** Takes what later steps need from the result, and from the messages the half sent (halves only). */
  readonly keep?: (result: Record<string, unknown>, names: N, sent: readonly ChannelMessage[]) => void;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const DATA = toHex(new Uint8Array([0xa5, 0x5a, 0xa5, 0x5a]));
/** A GPADL_HEADER for GPADL 1 of one page on a channel, as hex. */
const ONE_PAGE_GPADL_HEADER = (channel: number): string =>
  toHex(encodeMessage({ type: 'GPADL_HEADER', childRelid: channelId(channel), gpadl: gpadlHandle(1), rangeBufLen: 16, rangeCount: 1, rangeData: Uint8Array.of(0, 16, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0) }));

/** The conversation: every command once, in an order in which each has something to work on. */
export const SCRIPT: readonly ScriptStep<Names, CommandName>[] = [
  { cmd: 'reset', args: () => ({}) },
  { cmd: 'allocateChannel', args: () => ({ role: 'server' }), keep: (r, n) => void (n.server = num(r['endpoint'])) },
  { cmd: 'enableChannel', args: (n) => ({ endpoint: n.server }) },
  { cmd: 'allocateChannel', args: (n) => ({ role: 'client', server: n.server }), keep: (r, n) => void (n.client = num(r['endpoint'])) },
  { cmd: 'setRingBufferPageCount', capability: 'lifecycle', args: (n) => ({ endpoint: n.client, incomingPages: 4, outgoingPages: 4 }) },
  { cmd: 'enableChannel', args: (n) => ({ endpoint: n.client }) },
  { cmd: 'endpointInfo', args: (n) => ({ endpoint: n.client }) },
  { cmd: 'allocateBuffer', args: () => ({ byteCount: 8192, byteOffset: 0 }), keep: (r, n) => void (n.buffer = num(r['buffer'])) },
  { cmd: 'writeBuffer', args: (n) => ({ buffer: n.buffer, offset: 0, data: DATA }) },
  { cmd: 'readBuffer', args: (n) => ({ buffer: n.buffer, offset: 0, length: 4 }) },
  { cmd: 'describeBuffer', args: (n) => ({ buffer: n.buffer }) },
  { cmd: 'buildMdl', capability: 'mdl', args: (n) => ({ parts: [{ buffer: n.buffer, byteOffset: 0, byteCount: 4096 }] }), keep: (r, n) => void (n.mdl = num(r['mdl'])) },
  { cmd: 'describeMdl', capability: 'mdl', args: (n) => ({ mdl: n.mdl }) },
  { cmd: 'createGpadlFromBuffer', args: (n) => ({ endpoint: n.client, flags: 0, buffer: n.buffer, byteCount: 8192 }), keep: (r, n) => void (n.gpadl = num(r['gpadl'])) },
  { cmd: 'createGpadlFromMdl', capability: 'mdl', args: (n) => ({ endpoint: n.client, flags: 0, mdl: n.mdl, startOffset: 0, length: 0 }), keep: (r, n) => void (n.mdlGpadl = num(r['gpadl'])) },
  { cmd: 'mapGpadl', args: (n) => ({ endpoint: n.server, flags: 0, gpadl: n.gpadl }), keep: (r, n) => void (n.mapping = num(r['mdl'])) },
  { cmd: 'describeMdl', args: (n) => ({ mdl: n.mapping }) },
  { cmd: 'mapMdlToSystemVa', args: (n) => ({ mdl: n.mapping }) },
  { cmd: 'writeMdl', args: (n) => ({ mdl: n.mapping, offset: 4, data: DATA }) },
  { cmd: 'readMdl', args: (n) => ({ mdl: n.mapping, offset: 0, length: 8 }) },
  { cmd: 'deleteGpadl', args: (n) => ({ endpoint: n.client, gpadl: n.gpadl }), keep: (r, n) => void (n.operation = num(r['operation'])) },
  { cmd: 'operationState', args: (n) => ({ operation: n.operation }) },
  { cmd: 'unmapGpadl', args: (n) => ({ endpoint: n.server, gpadl: n.gpadl }) },
  { cmd: 'operationState', args: (n) => ({ operation: n.operation }) },
  { cmd: 'deleteGpadl', capability: 'mdl', args: (n) => ({ endpoint: n.client, gpadl: n.mdlGpadl }) },
  { cmd: 'violations', capability: 'violations', args: () => ({}) },
  { cmd: 'trace', capability: 'trace', args: () => ({}) },
  { cmd: 'hostOffer', capability: 'wireHost', args: () => ({}), keep: (r, n) => void (n.hostChannel = num(r['channelId'])) },
  { cmd: 'hostReceive', capability: 'wireHost', args: (n) => ({ message: ONE_PAGE_GPADL_HEADER(n.hostChannel) }) },
  { cmd: 'hostHold', capability: 'wireHost', args: (n) => ({ channel: n.hostChannel, gpadl: 1 }) },
  { cmd: 'hostRelease', capability: 'wireHost', args: (n) => ({ channel: n.hostChannel, gpadl: 1 }) },
  { cmd: 'hostRevoke', capability: 'wireHost', args: (n) => ({ channel: n.hostChannel }) },
  { cmd: 'migrationBegin', capability: 'migration', args: () => ({}) },
  { cmd: 'migrationFinish', capability: 'migration', args: () => ({}) },
  { cmd: 'readSnapshot', capability: 'migration', args: (n) => ({ buffer: n.buffer, offset: 0, length: 8 }) },
  { cmd: 'hostDirect', capability: 'hostControl', args: (n) => ({ server: n.server, directive: 'deferGpadl' }) },
  { cmd: 'createGpadlFromBuffer', capability: 'hostControl', args: (n) => ({ endpoint: n.client, flags: 0, buffer: n.buffer, byteCount: 4096 }), keep: (r, n) => void (n.pendingCreate = num(r['operation'])) },
  { cmd: 'createOutcome', capability: 'hostControl', args: (n) => ({ operation: n.pendingCreate }) },
  { cmd: 'hostAnswerDeferred', capability: 'hostControl', args: (n) => ({ server: n.server }) },
  { cmd: 'createOutcome', capability: 'hostControl', args: (n) => ({ operation: n.pendingCreate }) },
  { cmd: 'disableChannel', args: (n) => ({ endpoint: n.client }) },
  { cmd: 'cleanupChannel', args: (n) => ({ endpoint: n.client }) },
  { cmd: 'disableChannel', args: (n) => ({ endpoint: n.server }) },
  { cmd: 'cleanupChannel', args: (n) => ({ endpoint: n.server }) },
  { cmd: 'reset', args: () => ({}) },
];


// ---- The halves' conversations --------------------------------------------------------------

/** Handles a half's script carries; a created GPADL may be known only from its completed event. */
interface HalfNames {
  endpoint: number;
  buffer: number;
  pfn: number;
  mdl: number;
  gpadl: number | { readonly operation: number };
  mdlGpadl: number | { readonly operation: number };
  channel: number;
  mapping: number;
  hostChannel: number;
  /** What the calls that blocked returned, by operation, from the completed events. */
  readonly completed: Map<number, Record<string, unknown>>;
}

const newHalfNames = (): HalfNames => ({ endpoint: 0, buffer: 0, pfn: 0, mdl: 0, gpadl: 0, mdlGpadl: 0, channel: 0, mapping: 0, hostChannel: 0, completed: new Map() });

/** A create's GPADL: the result's, or, for a create that blocked, its completed event's. */
function createdGpadl(result: Record<string, unknown>): number | { readonly operation: number } {
  return typeof result['gpadl'] === 'number' ? result['gpadl'] : { operation: num(result['operation']) };
}
function gpadlOf(names: HalfNames, gpadl: HalfNames['gpadl']): number {
  return typeof gpadl === 'number' ? gpadl : num(names.completed.get(gpadl.operation)?.['gpadl']);
}

const hex = (message: ChannelMessage): string => toHex(encodeMessage(message));
/** One `gpa_range` over `pages` whole pages from page frame number 0x1234 on. */
function pagesRange(pages: number): Uint8Array {
  const range = new DataView(new ArrayBuffer(8 + 8 * pages));
  range.setUint32(0, pages * 4096, true);
  for (let i = 0; i < pages; i++) range.setBigUint64(8 + 8 * i, BigInt(0x1234 + i), true);
  return new Uint8Array(range.buffer);
}
const gpadlHeader = (channel: number, gpadl: number, pages: number): string =>
  hex({ type: 'GPADL_HEADER', childRelid: channelId(channel), gpadl: gpadlHandle(gpadl), rangeBufLen: 8 + 8 * pages, rangeCount: 1, rangeData: pagesRange(pages) });
/** The GPADL handles the host script's guest gives: the reference guest's first ones. */
const RING_GPADL = 0xe1e10;
const DATA_GPADL = 0xe1e11;
const HELD_GPADL = 0xe1e12;

type GuestCommand = `guest.${string}`;
type HostCommand = `host.${string}`;

/** Every guest.* command once: the script plays the host (see {@link answerAsHost}). */
export const GUEST_SCRIPT: readonly ScriptStep<HalfNames, GuestCommand | 'reset'>[] = [
  { cmd: 'reset', args: () => ({}) },
  { cmd: 'guest.allocateChannel', args: () => ({}), keep: (r, n) => void (n.endpoint = num(r['endpoint'])) },
  { cmd: 'guest.setRingBufferPageCount', capability: 'lifecycle', args: (n) => ({ endpoint: n.endpoint, incomingPages: 2, outgoingPages: 2 }) },
  { cmd: 'guest.deliver', args: () => ({ message: hex({ type: 'OFFERCHANNEL', childRelid: channelId(1) }) }) },
  { cmd: 'guest.bindChannel', args: (n) => ({ endpoint: n.endpoint, channelId: 1 }) },
  { cmd: 'guest.enableChannel', args: (n) => ({ endpoint: n.endpoint }) },
  { cmd: 'guest.endpointInfo', args: (n) => ({ endpoint: n.endpoint }) },
  { cmd: 'guest.allocateBuffer', args: () => ({ byteCount: 8192, byteOffset: 0 }), keep: (r, n) => void (n.buffer = num(r['buffer'])) },
  { cmd: 'guest.writeBuffer', args: (n) => ({ buffer: n.buffer, offset: 0, data: DATA }) },
  { cmd: 'guest.readBuffer', args: (n) => ({ buffer: n.buffer, offset: 0, length: 4 }) },
  {
    cmd: 'guest.describeBuffer',
    args: (n) => ({ buffer: n.buffer }),
    keep: (r, n) => void (n.pfn = num(((r['description'] as { pfns?: unknown[] } | undefined)?.pfns ?? [])[0])),
  },
  { cmd: 'guest.readPages', args: (n) => ({ extents: [{ pfn: n.pfn, offset: 0, length: 4 }] }) },
  { cmd: 'guest.writePages', args: (n) => ({ extents: [{ pfn: n.pfn, offset: 4, length: 4 }], data: DATA }) },
  { cmd: 'guest.buildMdl', capability: 'mdl', args: (n) => ({ parts: [{ buffer: n.buffer, byteOffset: 0, byteCount: 4096 }] }), keep: (r, n) => void (n.mdl = num(r['mdl'])) },
  { cmd: 'guest.describeMdl', capability: 'mdl', args: (n) => ({ mdl: n.mdl }) },
  { cmd: 'guest.mapMdlToSystemVa', capability: 'mdl', args: (n) => ({ mdl: n.mdl }) },
  { cmd: 'guest.writeMdl', capability: 'mdl', args: (n) => ({ mdl: n.mdl, offset: 0, data: DATA }) },
  { cmd: 'guest.readMdl', capability: 'mdl', args: (n) => ({ mdl: n.mdl, offset: 0, length: 4 }) },
  // Blocks until the GPADL_CREATED the script answers with: pending, then a completed event.
  { cmd: 'guest.createGpadlFromBuffer', args: (n) => ({ endpoint: n.endpoint, flags: 0, buffer: n.buffer, byteCount: 8192 }), keep: (r, n) => void (n.gpadl = createdGpadl(r)) },
  { cmd: 'guest.createGpadlFromMdl', capability: 'mdl', args: (n) => ({ endpoint: n.endpoint, flags: 0, mdl: n.mdl, startOffset: 0, length: 0 }), keep: (r, n) => void (n.mdlGpadl = createdGpadl(r)) },
  { cmd: 'guest.migrationBegin', capability: 'migration', args: () => ({}) },
  { cmd: 'guest.migrationFinish', capability: 'migration', args: (n) => ({ serverWritable: [n.pfn] }) },
  { cmd: 'guest.readSnapshot', capability: 'migration', args: (n) => ({ buffer: n.buffer, offset: 0, length: 8 }) },
  { cmd: 'guest.deleteGpadl', args: (n) => ({ endpoint: n.endpoint, gpadl: gpadlOf(n, n.gpadl) }) },
  { cmd: 'guest.deleteGpadl', capability: 'mdl', args: (n) => ({ endpoint: n.endpoint, gpadl: gpadlOf(n, n.mdlGpadl) }) },
  { cmd: 'guest.violations', capability: 'violations', args: () => ({}) },
  { cmd: 'guest.disableChannel', args: (n) => ({ endpoint: n.endpoint }) },
  { cmd: 'guest.cleanupChannel', args: (n) => ({ endpoint: n.endpoint }) },
  { cmd: 'reset', args: () => ({}) },
];

/** Every host.* command once: the script plays the guest (see {@link answerAsGuest}). */
export const HOST_SCRIPT: readonly ScriptStep<HalfNames, HostCommand | 'reset'>[] = [
  { cmd: 'reset', args: () => ({}) },
  { cmd: 'host.allocateChannel', args: () => ({}), keep: (r, n) => void (n.endpoint = num(r['endpoint'])) },
  {
    cmd: 'host.enableChannel',
    args: (n) => ({ endpoint: n.endpoint }),
    keep: (_r, n, sent) => void (n.channel = num(sent.find((m) => m.type === 'OFFERCHANNEL')?.childRelid)),
  },
  { cmd: 'host.endpointInfo', args: (n) => ({ endpoint: n.endpoint }) },
  // The guest opens the channel: its ring-buffer GPADL, then OPENCHANNEL.
  { cmd: 'host.deliver', args: (n) => ({ message: gpadlHeader(n.channel, RING_GPADL, 4) }) },
  {
    cmd: 'host.deliver',
    args: (n) => ({ message: hex({ type: 'OPENCHANNEL', childRelid: channelId(n.channel), openId: 1, ringBufferGpadlHandle: gpadlHandle(RING_GPADL), targetVp: 0, downstreamRingBufferPageOffset: 2 }) }),
  },
  { cmd: 'host.deliver', args: (n) => ({ message: gpadlHeader(n.channel, DATA_GPADL, 2), gpadlReadOnly: false }) },
  { cmd: 'host.mapGpadl', args: (n) => ({ endpoint: n.endpoint, flags: 0, gpadl: DATA_GPADL }), keep: (r, n) => void (n.mapping = num(r['mdl'])) },
  { cmd: 'host.describeMdl', args: (n) => ({ mdl: n.mapping }) },
  { cmd: 'host.mapMdlToSystemVa', args: (n) => ({ mdl: n.mapping }) },
  { cmd: 'host.accessMdl', args: (n) => ({ mdl: n.mapping, offset: 4090, length: 12, write: true }) },
  { cmd: 'host.migrationBegin', capability: 'migration', args: () => ({}) },
  { cmd: 'host.migrationFinish', capability: 'migration', args: () => ({}) },
  { cmd: 'host.hostDirect', capability: 'hostControl', args: (n) => ({ server: n.endpoint, directive: 'deferGpadl' }) },
  { cmd: 'host.deliver', capability: 'hostControl', args: (n) => ({ message: gpadlHeader(n.channel, HELD_GPADL, 1) }) },
  { cmd: 'host.hostAnswerDeferred', capability: 'hostControl', args: (n) => ({ server: n.endpoint }) },
  { cmd: 'host.unmapGpadl', args: (n) => ({ endpoint: n.endpoint, gpadl: DATA_GPADL }) },
  { cmd: 'host.deliver', args: (n) => ({ message: hex({ type: 'GPADL_TEARDOWN', childRelid: channelId(n.channel), gpadl: gpadlHandle(DATA_GPADL) }) }) },
  { cmd: 'host.violations', capability: 'violations', args: () => ({}) },
  { cmd: 'host.hostOffer', capability: 'wireHost', args: () => ({}), keep: (r, n) => void (n.hostChannel = num(r['channelId'])) },
  { cmd: 'host.hostReceive', capability: 'wireHost', args: (n) => ({ message: ONE_PAGE_GPADL_HEADER(n.hostChannel) }) },
  { cmd: 'host.hostHold', capability: 'wireHost', args: (n) => ({ channel: n.hostChannel, gpadl: 1 }) },
  { cmd: 'host.hostRelease', capability: 'wireHost', args: (n) => ({ channel: n.hostChannel, gpadl: 1 }) },
  { cmd: 'host.hostRevoke', capability: 'wireHost', args: (n) => ({ channel: n.hostChannel }) },
  { cmd: 'host.disableChannel', args: (n) => ({ endpoint: n.endpoint }) },
  { cmd: 'host.cleanupChannel', args: (n) => ({ endpoint: n.endpoint }) },
  { cmd: 'reset', args: () => ({}) },
];

/** What a host answers to a message of the guest half under test: creates succeed, opens succeed, teardowns are confirmed. */
export function answerAsHost(message: ChannelMessage): ChannelMessage[] {
  switch (message.type) {
    case 'GPADL_HEADER':
      return [{ type: 'GPADL_CREATED', childRelid: message.childRelid, gpadl: message.gpadl, creationStatus: 0 }];
    case 'OPENCHANNEL':
      return [{ type: 'OPENCHANNEL_RESULT', childRelid: message.childRelid, openId: message.openId, status: 0 }];
    case 'GPADL_TEARDOWN':
      return [{ type: 'GPADL_TORNDOWN', gpadl: message.gpadl }];
    case 'REQUESTOFFERS':
      return [{ type: 'ALLOFFERS_DELIVERED' }];
    default:
      return [];
  }
}

/** What a guest answers to a message of the host half under test: a rescind is released. */
export function answerAsGuest(message: ChannelMessage): ChannelMessage[] {
  return message.type === 'RESCIND_CHANNELOFFER' ? [{ type: 'RELID_RELEASED', childRelid: message.childRelid }] : [];
}

/** More answers than this for one step: the half never lets the wire go quiet. */
const MAX_ANSWERS_PER_STEP = 100;

/** One part of the conversation: the whole protocol's, or a half's. */
interface Part {
  readonly half?: HalfName;
  readonly steps: readonly ScriptStep<never, string>[];
}

const LABEL: Readonly<Record<CheckOutcome, string>> = { ok: 'ok', violation: 'VIOLATION', error: 'ERROR', skipped: 'skipped', 'not-run': 'not run' };

function brief(value: unknown, max = 100): string {
  const text = JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export async function validateProtocolCommand(options: ValidateProtocolOptions, context: CommandContext): Promise<readonly ProtocolCheck[]> {
  const { io } = context;
  if (!options.impl.startsWith('cmd:') || options.impl.length === 'cmd:'.length) {
    const message = `validate-protocol checks a program that speaks the plug-in protocol: --impl "cmd:<command line>", not "${options.impl}" (an in-process implementation can be served with "cmd:vmbus-conformance-serve ${options.impl}")`;
    writeLine(io.stderr, message);
    throw new ExitError(EXIT.USAGE, message);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const validator = protocolValidator();
  const checks: ProtocolCheck[] = [];
  const width = Math.max(...[...SCRIPT, ...GUEST_SCRIPT, ...HOST_SCRIPT].map((s) => s.cmd.length), 'shutdown'.length);
  const report = (check: ProtocolCheck): void => {
    checks.push(check);
    // The detail quotes what the program sent: control characters shown as escapes.
    writeLine(io.stdout, escapeTerminalOutput(`${LABEL[check.outcome].padEnd(9)} ${check.command.padEnd(width)}  ${check.detail}`));
  };

  let running: PluginProcess;
  try {
    running = new PluginProcess({ command: options.impl.slice('cmd:'.length), cwd: io.cwd, spec: options.impl });
  } catch (error) {
    if (!(error instanceof PluginError)) throw error;
    report({ command: 'hello', outcome: 'error', detail: error.summary });
    throw new ExitError(EXIT.HARNESS_ERROR, error.summary);
  }

  /** One exchange, checked; undefined when the conversation cannot go on. */
  const exchange = async (cmd: string, args: JsonObject): Promise<Exchange | undefined> => {
    try {
      return await running.exchange(cmd, args, timeoutMs);
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      report({ command: cmd, outcome: 'error', detail: error.summary.replaceAll('\n', ' ') });
      return undefined;
    }
  };
  const check = (cmd: string, done: Exchange): Record<string, unknown> | undefined => {
    const violations = [...validator.request(done.request).map((v) => ({ ...v, pointer: `request ${v.pointer}` })), ...validator.response(cmd, done.response)];
    const { response } = done;
    if (violations.length > 0) report({ command: cmd, outcome: 'violation', detail: violations.map(formatViolation).join('; ') });
    else if ('errored' in response) report({ command: cmd, outcome: 'error', detail: `errored: ${response.errored.message}` });
    else if ('unsupported' in response) report({ command: cmd, outcome: 'error', detail: `unsupported: ${response.unsupported.message} (the suite needs this command)` });
    else report({ command: cmd, outcome: 'ok', detail: `${brief(response.result)}${describeEvents((response as { events?: unknown }).events)}` });
    return 'result' in response && typeof response.result === 'object' && response.result !== null ? (response.result as Record<string, unknown>) : undefined;
  };
  /** The parts still to run when the conversation stops, from step `from` of the first. */
  let planned: readonly Part[] = [{ steps: SCRIPT as readonly ScriptStep<never, string>[] }];
  const notRun = (from: number): void => {
    for (const [i, part] of planned.entries()) for (const step of part.steps.slice(i === 0 ? from : 0)) report({ command: step.cmd, outcome: 'not-run', detail: '' });
    report({ command: 'shutdown', outcome: 'not-run', detail: '' });
  };

  try {
    // Handshake: the version first, then the schema.
    const hello = await exchange('hello', helloArguments(harnessIdentity()));
    if (hello === undefined) return finish(checks, running, notRun, 0, context);
    const helloResult = 'result' in hello.response ? hello.response.result : undefined;
    const version = helloVersion(helloResult);
    if (helloResult !== undefined && version !== PROTOCOL_VERSION) {
      report({ command: 'hello', outcome: 'error', detail: `protocol version ${JSON.stringify(version)}; this harness speaks ${PROTOCOL_VERSION}` });
      return finish(checks, running, notRun, 0, context);
    }
    const result = check('hello', hello);
    if (result === undefined) return finish(checks, running, notRun, 0, context);
    const capabilities = (typeof result['capabilities'] === 'object' && result['capabilities'] !== null ? result['capabilities'] : {}) as Record<string, unknown>;
    // Without halves a program is whole; with them, whole only if it says so (docs/halves.md).
    const halves = Array.isArray(result['halves']) ? (['guest', 'host'] as const).filter((h) => (result['halves'] as unknown[]).includes(h)) : undefined;
    const whole = halves === undefined || result['whole'] === true;
    const parts: Part[] = [
      ...(whole ? [{ steps: SCRIPT as readonly ScriptStep<never, string>[] }] : []),
      ...(halves ?? []).map((half): Part => ({ half, steps: (half === 'guest' ? GUEST_SCRIPT : HOST_SCRIPT) as readonly ScriptStep<never, string>[] })),
    ];
    if (!whole) writeLine(io.stdout, `(hello says whole: false: the whole protocol's commands are not sent)`);

    for (const [partIndex, part] of parts.entries()) {
      planned = parts.slice(partIndex);
      if (part.half !== undefined) writeLine(io.stdout, `(the ${part.half} half: the script plays the ${part.half === 'guest' ? 'host' : 'guest'})`);
      const names = part.half === undefined ? newNames() : newHalfNames();
      for (const [index, step] of part.steps.entries()) {
        if (step.capability !== undefined && capabilities[step.capability] !== true) {
          report({ command: step.cmd, outcome: 'skipped', detail: `capability "${step.capability}" not claimed` });
          continue;
        }
        const done = await exchange(step.cmd, (step.args as (n: unknown) => JsonObject)(names));
        if (done === undefined) return finish(checks, running, notRun, index + 1, context);
        const stepResult = check(step.cmd, done);
        const sent = part.half === undefined ? [] : takeEvents(done, names as HalfNames);
        if (stepResult !== undefined) (step.keep as ((r: Record<string, unknown>, n: unknown, m: readonly ChannelMessage[]) => void) | undefined)?.(stepResult, names, sent);
        if (part.half === undefined || sent.length === 0) continue;
        // Play the other half: answer what the half sent, and what it sends back, until the wire is quiet.
        const answer = part.half === 'guest' ? answerAsHost : answerAsGuest;
        const deliver = halfCommand(part.half, 'deliver');
        const queue = sent.flatMap(answer);
        for (let answered = 0; queue.length > 0; answered++) {
          if (answered === MAX_ANSWERS_PER_STEP) {
            report({ command: deliver, outcome: 'error', detail: `the ${part.half} half kept sending: more than ${MAX_ANSWERS_PER_STEP} answers for ${step.cmd}` });
            break;
          }
          const delivered = await exchange(deliver, { message: hex(queue.shift()!) });
          if (delivered === undefined) return finish(checks, running, notRun, index + 1, context);
          check(deliver, delivered);
          queue.push(...takeEvents(delivered, names as HalfNames).flatMap(answer));
        }
      }
    }
    planned = [];

    const shutdown = await exchange('shutdown', {});
    if (shutdown !== undefined) {
      check('shutdown', shutdown);
      // Exiting is the rest of the answer to shutdown, so it gets a command's budget (and never less
      // than the grace a run gives): a program that exits a little late on a loaded machine is
      // killed by a run, not a protocol violation.
      const exitBudget = Math.max(SHUTDOWN_GRACE_MS, timeoutMs);
      if ((await running.waitForExit(exitBudget)) === undefined) {
        report({ command: 'shutdown', outcome: 'violation', detail: `the program did not exit within ${exitBudget} ms of answering shutdown` });
      }
    }
    return finish(checks, running, () => {}, 0, context);
  } finally {
    running.kill();
  }
}

const newNames = (): Names => ({ server: 0, client: 0, buffer: 0, mdl: 0, gpadl: 0, mdlGpadl: 0, mapping: 0, operation: 0, hostChannel: 0, pendingCreate: 0 });

/** The events of a half's response: the results of the calls that returned are kept; the messages it sent are returned, decoded. */
function takeEvents(done: Exchange, names: HalfNames): ChannelMessage[] {
  let events;
  try {
    events = decodeEvents((done.response as { events?: unknown }).events);
  } catch {
    return []; // Reported by the schema check.
  }
  const sent: ChannelMessage[] = [];
  for (const event of events) {
    if ('completed' in event) {
      names.completed.set(event.completed, { ...event.result });
      continue;
    }
    const decoded = decodeMessage(event.send, { checkRangeBufLen: false });
    if (decoded.ok) sent.push(decoded.message);
  }
  return sent;
}

/** A response's events, briefly: the messages by type, the calls that returned by operation. */
function describeEvents(events: unknown): string {
  if (!Array.isArray(events) || events.length === 0) return '';
  const named = events.map((event: unknown) => {
    const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
    if (typeof e['send'] === 'string') {
      const bytes = Buffer.from(e['send'], 'hex');
      const decoded = decodeMessage(new Uint8Array(bytes), { checkRangeBufLen: false });
      return `send ${decoded.ok ? decoded.message.type : `${bytes.length} bytes`}`;
    }
    return `completed ${String(e['completed'])} ${brief(e['result'], 40)}`;
  });
  return `  events: ${named.join(', ')}`;
}

function finish(checks: readonly ProtocolCheck[], running: PluginProcess, notRun: (from: number) => void, from: number, context: CommandContext): readonly ProtocolCheck[] {
  const { io } = context;
  if (checks.every((c) => c.command !== 'shutdown')) notRun(from);
  const bad = checks.filter((c) => c.outcome === 'violation' || c.outcome === 'error').length;
  const tail = running.stderr.text();
  if (bad > 0 && tail !== '') writeLine(io.stderr, escapeTerminalOutput(formatStderr(tail)));
  writeLine(io.stdout, bad === 0 ? `protocol: ok (${checks.filter((c) => c.outcome === 'ok').length} exchanges valid)` : `protocol: ${bad} problem${bad === 1 ? '' : 's'}`);
  if (bad > 0) throw new ExitError(EXIT.HARNESS_ERROR, `${bad} protocol problem(s)`);
  return checks;
}
