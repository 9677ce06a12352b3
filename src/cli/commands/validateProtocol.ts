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
 * Exit codes: 0 every exchange is valid; 2 a violation, an `errored` or `unsupported` answer, a
 * crash or a timeout; 3 usage (a spec that is not `cmd:`, a bad timeout).
 */
import { DEFAULT_TIMEOUT_MS, harnessIdentity, PluginProcess, SHUTDOWN_GRACE_MS, type Exchange } from '../../adapters/stdio/index.js';
import type { Capability } from '../../contract/Implementation.js';
import { channelId, gpadlHandle } from '../../contract/handles.js';
import { encodeMessage } from '../../protocol/codec.js';
import { helloArguments, helloVersion, toHex } from '../../plugin/codec.js';
import { formatStderr, formatViolation, PluginError } from '../../plugin/errors.js';
import { PROTOCOL_VERSION, type CommandName, type JsonObject } from '../../plugin/protocol.js';
import { protocolValidator } from '../../plugin/validate.js';
import type { CommandContext } from '../context.js';
import { EXIT, ExitError } from '../exit.js';
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
  readonly command: CommandName;
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

interface ScriptStep {
  readonly cmd: CommandName;
  readonly args: (names: Names) => JsonObject;
  readonly capability?: Capability;
  /** Takes what later steps need from the result. */
  readonly keep?: (result: Record<string, unknown>, names: Names) => void;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const DATA = toHex(new Uint8Array([0xa5, 0x5a, 0xa5, 0x5a]));
/** A GPADL_HEADER for GPADL 1 of one page on a channel, as hex. */
const ONE_PAGE_GPADL_HEADER = (channel: number): string =>
  toHex(encodeMessage({ type: 'GPADL_HEADER', childRelid: channelId(channel), gpadl: gpadlHandle(1), rangeBufLen: 16, rangeCount: 1, rangeData: Uint8Array.of(0, 16, 0, 0, 0, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0) }));

/** The conversation: every command once, in an order in which each has something to work on. */
export const SCRIPT: readonly ScriptStep[] = [
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
  const width = Math.max(...SCRIPT.map((s) => s.cmd.length), 'shutdown'.length);
  const report = (check: ProtocolCheck): void => {
    checks.push(check);
    writeLine(io.stdout, `${LABEL[check.outcome].padEnd(9)} ${check.command.padEnd(width)}  ${check.detail}`);
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
  const exchange = async (cmd: CommandName, args: JsonObject): Promise<Exchange | undefined> => {
    try {
      return await running.exchange(cmd, args, timeoutMs);
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      report({ command: cmd, outcome: 'error', detail: error.summary.replaceAll('\n', ' ') });
      return undefined;
    }
  };
  const check = (cmd: CommandName, done: Exchange): Record<string, unknown> | undefined => {
    const violations = [...validator.request(done.request).map((v) => ({ ...v, pointer: `request ${v.pointer}` })), ...validator.response(cmd, done.response)];
    const { response } = done;
    if (violations.length > 0) report({ command: cmd, outcome: 'violation', detail: violations.map(formatViolation).join('; ') });
    else if ('errored' in response) report({ command: cmd, outcome: 'error', detail: `errored: ${response.errored.message}` });
    else if ('unsupported' in response) report({ command: cmd, outcome: 'error', detail: `unsupported: ${response.unsupported.message} (the suite needs this command)` });
    else report({ command: cmd, outcome: 'ok', detail: brief(response.result) });
    return 'result' in response && typeof response.result === 'object' && response.result !== null ? (response.result as Record<string, unknown>) : undefined;
  };
  const notRun = (from: number): void => {
    for (const step of SCRIPT.slice(from)) report({ command: step.cmd, outcome: 'not-run', detail: '' });
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

    const names: Names = { server: 0, client: 0, buffer: 0, mdl: 0, gpadl: 0, mdlGpadl: 0, mapping: 0, operation: 0, hostChannel: 0, pendingCreate: 0 };
    for (const [index, step] of SCRIPT.entries()) {
      if (step.capability !== undefined && capabilities[step.capability] !== true) {
        report({ command: step.cmd, outcome: 'skipped', detail: `capability "${step.capability}" not claimed` });
        continue;
      }
      const done = await exchange(step.cmd, step.args(names));
      if (done === undefined) return finish(checks, running, notRun, index + 1, context);
      const stepResult = check(step.cmd, done);
      if (stepResult !== undefined) step.keep?.(stepResult, names);
    }

    const shutdown = await exchange('shutdown', {});
    if (shutdown !== undefined) {
      check('shutdown', shutdown);
      if ((await running.waitForExit(SHUTDOWN_GRACE_MS)) === undefined) {
        report({ command: 'shutdown', outcome: 'violation', detail: `the program did not exit within ${SHUTDOWN_GRACE_MS} ms of answering shutdown` });
      }
    }
    return finish(checks, running, () => {}, SCRIPT.length, context);
  } finally {
    running.kill();
  }
}

function finish(checks: readonly ProtocolCheck[], running: PluginProcess, notRun: (from: number) => void, from: number, context: CommandContext): readonly ProtocolCheck[] {
  const { io } = context;
  if (from < SCRIPT.length || checks.every((c) => c.command !== 'shutdown')) notRun(from);
  const bad = checks.filter((c) => c.outcome === 'violation' || c.outcome === 'error').length;
  const tail = running.stderr.text();
  if (bad > 0 && tail !== '') writeLine(io.stderr, formatStderr(tail));
  writeLine(io.stdout, bad === 0 ? `protocol: ok (${checks.filter((c) => c.outcome === 'ok').length} exchanges valid)` : `protocol: ${bad} problem${bad === 1 ? '' : 's'}`);
  if (bad > 0) throw new ExitError(EXIT.HARNESS_ERROR, `${bad} protocol problem(s)`);
  return checks;
}
