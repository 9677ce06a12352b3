/**
 * The `cmd:<command line>` connectable: an implementation in another process, in any language,
 * speaking the plug-in protocol (docs/protocol.md) over its standard input and output.
 *
 * Resolving the spec starts the process and shakes hands (`hello`), so the factory's `info` is what
 * the implementation said about itself. Every `start()` sends `reset` to the running process, after
 * restarting it if it died or an earlier error poisoned it, and returns a connection whose every
 * method is one command with a per-call timeout. Any error in a call (no answer in time, the
 * process exiting, a bad line, a wrong `seq`, a schema violation when validating, an `errored`
 * answer) kills the process and rejects the call with the typed error from `plugin/errors.ts`, so
 * the scenario is reported as an error; the next `start()` starts a new process. An `unsupported`
 * answer rejects with `Unsupported` and leaves the process running. Closing a connection leaves the
 * process running for the next scenario.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GuestHalf, HalfEvent, HalfName, HostHalf } from '../../contract/halves.js';
import type { ImplementationFactory, ImplementationInfo, VmbusImplementation } from '../../contract/Implementation.js';
import { decodeEvents, HALF_CODECS, halfCommand } from '../../plugin/halvesCodec.js';
import { packageRoot } from '../../cli/paths.js';
import {
  At,
  decodeHello,
  decodeResult,
  DecodeError,
  encodeArguments,
  helloArguments,
  helloVersion,
  type ContractArguments,
} from '../../plugin/codec.js';
import {
  CannotConnect,
  ImplementationErrored,
  ImplementationExited,
  PluginError,
  ProtocolError,
  StartupFailed,
  Unsupported,
  VersionMismatch,
} from '../../plugin/errors.js';
import type { TraceEvent } from '../../contract/trace.js';
import {
  CONTRACT_COMMANDS,
  isProtocolVersion,
  PROTOCOL_VERSIONS,
  VERSION_FEATURES,
  type CommandName,
  type ContractCommand,
  type HarnessIdentity,
  type JsonObject,
  type VersionFeatures,
} from '../../plugin/protocol.js';
import type { ProtocolValidator } from '../../plugin/validate.js';
import type { ResolveOptions } from '../registry.js';
import { PluginProcess, type Exchange } from './PluginProcess.js';

/** The per-call timeout unless ResolveOptions.timeoutMs says otherwise. */
export const DEFAULT_TIMEOUT_MS = 5000;
/**
 * The handshake's own budget unless ResolveOptions.helloTimeoutMs says otherwise: `hello` is
 * answered by a program that has just started (an interpreter, a JIT), so it gets this long, or
 * the per-call timeout when that is longer.
 */
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
/** @deprecated the handshake's budget is {@link helloBudget}; kept for callers of the old name. */
export const MIN_HANDSHAKE_TIMEOUT_MS = DEFAULT_HELLO_TIMEOUT_MS;

/** How long `hello` may take: the explicit budget, else the default or the per-call timeout, whichever is longer. */
export function helloBudget(options: { readonly timeoutMs?: number; readonly helloTimeoutMs?: number }): number {
  return options.helloTimeoutMs ?? Math.max(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, DEFAULT_HELLO_TIMEOUT_MS);
}
/** Copy implementations' standard error to ours when this environment variable is `1`. */
export const STDERR_ENV = 'VMBUS_CONFORMANCE_STDERR';

export interface StdioOptions {
  /** The command line, run with `/bin/sh -c` in `cwd`. */
  readonly command: string;
  /** The connectable spec, for messages; `cmd:<command>` by default. */
  readonly spec?: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  /** The handshake's budget (see {@link helloBudget}). */
  readonly helloTimeoutMs?: number;
  /** Check every line in both directions against the schemas; a violation is a ProtocolError. */
  readonly validateProtocol?: boolean;
  readonly echoStderr?: boolean;
  /** Sees every protocol line sent and received, in order (for transcripts and tests). */
  readonly transcript?: (direction: 'sent' | 'received', line: string) => void;
}

let lastFailure: PluginError | undefined;

/**
 * The last error a `cmd:` implementation raised in this process, once: the hook that attaches an
 * implementation's standard error to the scenario it broke takes it from here.
 */
export function takeLastFailure(): PluginError | undefined {
  const failure = lastFailure;
  lastFailure = undefined;
  return failure;
}

function noteFailure<E extends PluginError>(error: E): E {
  lastFailure = error;
  return error;
}

export function harnessIdentity(): HarnessIdentity {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version?: unknown };
    return { name: 'vmbus-conformance', version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
  } catch {
    return { name: 'vmbus-conformance', version: 'unknown' };
  }
}

/** The connector for `cmd:<command line>` (see registry.ts). */
export async function connectCommand(command: string, options: ResolveOptions, spec: string): Promise<StdioFactory> {
  return StdioFactory.connect({ command, spec, ...options });
}

export class StdioFactory implements ImplementationFactory {
  private process: PluginProcess;
  private restarting: Promise<void> | undefined;
  private restartCount = 0;
  /** What the protocol version agreed with the running process allows. */
  private features: VersionFeatures;

  private constructor(
    private readonly options: Required<Omit<StdioOptions, 'validateProtocol' | 'transcript'>> & Pick<StdioOptions, 'transcript'> & { readonly validateProtocol: boolean },
    first: Launched,
    private readonly validator: ProtocolValidator | undefined,
  ) {
    this.process = first.process;
    this.features = first.features;
    this.info = first.info;
  }

  /** What the implementation said about itself in its first `hello`. */
  readonly info: ImplementationInfo;

  /** Starts the process and shakes hands; rejects with CannotConnect, StartupFailed or VersionMismatch. */
  static async connect(options: StdioOptions): Promise<StdioFactory> {
    const resolved = {
      command: options.command,
      spec: options.spec ?? `cmd:${options.command}`,
      cwd: options.cwd ?? process.cwd(),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      helloTimeoutMs: helloBudget(options),
      validateProtocol: options.validateProtocol === true,
      echoStderr: options.echoStderr ?? process.env[STDERR_ENV] === '1',
      transcript: options.transcript,
    };
    // Ajv and the schemas are loaded only for a run that validates the protocol (--validate): a
    // plain run does not pay their start-up.
    const validator = resolved.validateProtocol ? (await import('../../plugin/validate.js')).protocolValidator() : undefined;
    const first = await launch(resolved, validator);
    return new StdioFactory(resolved, first, validator);
  }

  /** The running process's last lines of standard error. */
  get stderrTail(): string {
    return this.process.stderr.text();
  }

  /** How many times the process was started again after an error. */
  get restarts(): number {
    return this.restartCount;
  }

  /** The running process's id (for tests). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  async start(): Promise<VmbusImplementation> {
    if (!this.process.usable) await this.restart();
    try {
      await this.call('reset', {});
    } catch (error) {
      // The process failed on a request queued before this reset (one the previous scenario left
      // behind when it was cut short): that failure is the previous scenario's, not this one's.
      // A new process, once.
      const command = (error as { command?: unknown }).command;
      if (!(error instanceof PluginError) || command === 'reset' || this.process.usable) throw error;
      takeLastFailure();
      await this.restart();
      await this.call('reset', {});
    }
    return this.connection();
  }

  /** Ends the process: `shutdown`, a grace period, then SIGKILL. A later `start()` starts a new one. */
  async stop(): Promise<void> {
    await this.process.stop();
  }

  private restart(): Promise<void> {
    this.restarting ??= (async () => {
      this.process.kill();
      const next = await launch(this.options, this.validator);
      this.process = next.process;
      this.features = next.features;
      this.restartCount++;
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** One command and its `result`; every failure kills the process and rejects with a typed error. */
  async call(cmd: CommandName, args: JsonObject): Promise<unknown> {
    return (await this.exchange(cmd, args)).result;
  }

  /** One command, its `result` and, from a half, the envelope's `events`. */
  private async exchange(cmd: string, args: JsonObject): Promise<{ result: unknown; events: unknown }> {
    const running = this.process;
    try {
      return this.answer(cmd, await running.exchange(cmd, args, this.options.timeoutMs), running);
    } catch (error) {
      throw await withWholeStderr(error instanceof PluginError ? noteFailure(error) : error, running);
    }
  }

  /** An exchange's answer, checked: a `result` (and `events`), or the typed error it stands for. */
  private answer(cmd: string, exchange: Exchange, running: PluginProcess): { result: unknown; events: unknown } {
    const fail = (error: PluginError): never => {
      throw noteFailure(running.fail(error));
    };
    if (this.validator !== undefined) checkExchange(this.validator, cmd, exchange, running, fail);
    const { response } = exchange;
    if ('errored' in response) {
      const { message, traceback } = response.errored;
      fail(new ImplementationErrored(cmd, String(message), typeof traceback === 'string' ? traceback : undefined, running.details()));
    }
    if ('unsupported' in response) {
      throw noteFailure(new Unsupported(cmd, String(response.unsupported.message), running.details()));
    }
    return { result: (response as { result: unknown }).result, events: (response as { events?: unknown }).events };
  }

  // ---- Halves (docs/halves.md) -------------------------------------------------------------------

  /** The halves of this process now in a pairing: the first to start resets the process, the last to close lets the next one. */
  private readonly openHalves = new Set<HalfName>();

  get startGuest(): (() => Promise<GuestHalf>) | undefined {
    return this.info.halves?.includes('guest') ? () => this.startHalf('guest') as Promise<GuestHalf> : undefined;
  }

  get startHost(): (() => Promise<HostHalf>) | undefined {
    return this.info.halves?.includes('host') ? () => this.startHalf('host') as Promise<HostHalf> : undefined;
  }

  private async startHalf(half: HalfName): Promise<GuestHalf | HostHalf> {
    if (!this.process.usable) {
      // A new process serves no half yet, whatever the broken one's pairing left open.
      await this.restart();
      this.openHalves.clear();
    }
    if (this.openHalves.has(half)) throw new Error(`${this.options.spec} serves one ${half} half at a time`);
    // One process may serve both halves of one pairing: only the first half to start resets it.
    if (this.openHalves.size === 0) await this.call('reset', {});
    this.openHalves.add(half);
    const running = this.process;
    const events: HalfEvent[] = [];
    const codecs = HALF_CODECS[half] as Record<string, { request: (...a: unknown[]) => JsonObject; decode: (at: At) => unknown }>;
    const forwarded: Record<string, unknown> = {
      info: this.info,
      takeEvents: () => events.splice(0),
      close: async () => {
        this.openHalves.delete(half);
      },
    };
    for (const [method, codec] of Object.entries(codecs)) {
      forwarded[method] = async (...args: unknown[]) => {
        if (!this.openHalves.has(half) || this.process !== running) throw new Error(`${halfCommand(half, method)} on a closed connection to ${this.options.spec}`);
        const cmd = halfCommand(half, method);
        const answer = await this.exchange(cmd, codec.request(...args));
        try {
          events.push(...decodeEvents(answer.events));
          return codec.decode(new At(answer.result, '/result'));
        } catch (error) {
          if (!(error instanceof DecodeError)) throw error;
          return unreadable(running, cmd, 'response', error);
        }
      };
    }
    return forwarded as unknown as GuestHalf | HostHalf;
  }

  private connection(): VmbusImplementation {
    let closed = false;
    const forwarded: Record<string, unknown> = {
      info: this.info,
      close: async () => {
        closed = true;
      },
    };
    for (const method of CONTRACT_COMMANDS) {
      forwarded[method] = async (...args: unknown[]) => {
        if (closed) throw new Error(`${method} on a closed connection to ${this.options.spec}`);
        const result = await this.call(method, encodeArguments(method, args as ContractArguments<ContractCommand>));
        return this.decode(method, result);
      };
    }
    if (this.features.traceFrom) {
      // The trace only grows until the next reset: ask for what is new since the last look.
      const seen: TraceEvent[] = [];
      forwarded['trace'] = async () => {
        if (closed) throw new Error(`trace on a closed connection to ${this.options.spec}`);
        const from = seen.length;
        const fresh = (await this.decode('trace', await this.call('trace', { from }))) as TraceEvent[];
        // Looks in flight together asked from the same index; answers come in order, each as long as the last or longer.
        seen.length = from;
        for (const event of fresh) seen.push(event);
        return seen.slice();
      };
    }
    return forwarded as unknown as VmbusImplementation;
  }

  /**
   * A result decoded, at once: this is every call's path, so no promise of its own. Only an answer
   * the codec cannot read gives a promise, which rejects once standard error is read to its end.
   */
  private decode(method: ContractCommand, result: unknown): unknown {
    try {
      return decodeResult(method, result);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      return unreadable(this.process, method, 'result', error);
    }
  }
}

/**
 * The error as it leaves the connector: for one that ended the process, with the whole of its
 * standard error, read to the end (PluginError.completeStderrTail says why).
 */
async function withWholeStderr(error: unknown, running: PluginProcess): Promise<unknown> {
  if (error instanceof PluginError && !running.usable) error.completeStderrTail(await running.stderrToEnd());
  return error;
}

/** An answer the codec cannot read: a ProtocolError naming the JSON pointer, which ends the process. */
async function unreadable(running: PluginProcess, cmd: string, what: 'response' | 'result', error: DecodeError): Promise<never> {
  const violations = [{ pointer: error.pointer, message: error.problem }];
  throw await withWholeStderr(noteFailure(running.fail(new ProtocolError(cmd, `cannot read the ${what}: ${error.message}`, { ...running.details(), violations }))), running);
}

/** Schema checks of one exchange, both directions; a violation fails the process. */
function checkExchange(validator: ProtocolValidator, cmd: string, exchange: Exchange, running: PluginProcess, fail: (error: PluginError) => never): void {
  const sent = validator.request(exchange.request);
  if (sent.length > 0) fail(new ProtocolError(cmd, 'the harness sent a request that breaks the schema (a harness bug)', { ...running.details(), violations: sent }));
  const received = validator.response(cmd, exchange.response);
  if (received.length > 0) fail(new ProtocolError(cmd, 'the response breaks the schema', { ...running.details(), violations: received, line: exchange.line }));
}

/** A process started, with what it said in `hello` and what the version it chose allows. */
interface Launched {
  readonly process: PluginProcess;
  readonly info: ImplementationInfo;
  readonly features: VersionFeatures;
}

/** Spawn and handshake: the harness offers every version it speaks, the implementation chooses. */
async function launch(
  options: { command: string; spec: string; cwd: string; timeoutMs: number; helloTimeoutMs: number; echoStderr: boolean; transcript?: StdioOptions['transcript'] },
  validator: ProtocolValidator | undefined,
): Promise<Launched> {
  let running: PluginProcess;
  try {
    running = new PluginProcess({ command: options.command, cwd: options.cwd, spec: options.spec, echoStderr: options.echoStderr, ...(options.transcript === undefined ? {} : { onLine: options.transcript }) });
  } catch (error) {
    throw error instanceof PluginError ? noteFailure(error) : error;
  }
  try {
    return await handshake(running, options, validator);
  } catch (error) {
    throw await withWholeStderr(error, running);
  }
}

/** `hello` with a process just started: what it chose and said, or the typed error (the process is then ended). */
async function handshake(running: PluginProcess, options: { spec: string; helloTimeoutMs: number }, validator: ProtocolValidator | undefined): Promise<Launched> {
  const startupFailed = (reason: string, cause?: PluginError): never => {
    const error = new StartupFailed(`${options.spec} did not complete the handshake: ${reason}`, { ...running.details(), ...(cause === undefined ? {} : { cause }) });
    running.fail(error);
    throw noteFailure(error);
  };
  let exchange: Exchange;
  try {
    exchange = await running.exchange('hello', helloArguments(harnessIdentity(), PROTOCOL_VERSIONS), options.helloTimeoutMs);
  } catch (error) {
    if (!(error instanceof PluginError)) throw error;
    if (error instanceof CannotConnect) throw noteFailure(error);
    // The shell's "command not found" (127) or "cannot execute" (126), before a single line.
    if (error instanceof ImplementationExited && running.received === 0 && (error.exitCode === 127 || error.exitCode === 126)) {
      throw noteFailure(new CannotConnect(`cannot start ${options.spec}: the shell exited with ${error.exitCode} (${error.exitCode === 127 ? 'command not found' : 'not executable'})`, { ...running.details(), cause: error }));
    }
    return startupFailed(error.summary, error);
  }
  const { response } = exchange;
  if ('errored' in response) return startupFailed(`hello answered errored: ${String(response.errored.message)}`);
  if ('unsupported' in response) return startupFailed(`hello answered unsupported: ${String(response.unsupported.message)}`);
  const result = (response as { result: unknown }).result;
  const version = helloVersion(result);
  if (!isProtocolVersion(version)) throw noteFailure(running.fail(new VersionMismatch(PROTOCOL_VERSIONS, version, running.details())));
  const features = VERSION_FEATURES[version];
  if (validator !== undefined) {
    const violations = [...validator.request(exchange.request), ...validator.response('hello', response)];
    if (violations.length > 0) {
      const error = new ProtocolError('hello', 'the response breaks the schema', { ...running.details(), violations, line: exchange.line });
      return startupFailed(error.summary, error);
    }
  }
  try {
    const info = decodeHello(result);
    if (features.pipelining) running.pipeline();
    return { process: running, info, features };
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return startupFailed(`cannot read the hello result: ${error.message}`);
  }
}
