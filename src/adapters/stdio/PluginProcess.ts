/**
 * One running implementation process and the framing of the plug-in protocol over its standard
 * input and output: one request line out, one response line back, strictly in turn.
 *
 * This layer checks framing only: a line is JSON, is a response (`seq` and exactly one of
 * `result`, `unsupported`, `errored`) and answers the request that is waiting. Schemas, decoding and
 * what an `errored` answer means are the caller's business. Any failure here (a bad line, a wrong
 * `seq`, no answer in time, the process exiting) kills the process, rejects the waiting request
 * and every queued one with the same typed error, and leaves the process unusable: the owner
 * starts a new one.
 *
 * Processes run in their own process group (the command goes through `/bin/sh -c`, which may
 * leave the shell as the parent of the real program), so that a kill reaches the whole command.
 * They do not keep Node alive: when the event loop has nothing else to do, every live process is
 * sent `shutdown` and killed after a grace period; on exit, whatever is left is killed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  CannotConnect,
  ImplementationExited,
  ProtocolError,
  Timeout,
  type PluginError,
  type PluginErrorDetails,
} from '../../plugin/errors.js';
import { RESPONSE_KINDS, type JsonObject, type Request, type Response, type ResponseKind } from '../../plugin/protocol.js';
import { escapeTerminalOutput } from '../../report/comparison/escape.js';
import { describeByteCap, LineReader, MAX_LINE_BYTES } from './LineReader.js';
import { StderrTail } from './StderrTail.js';

/**
 * `VMBUS_CONFORMANCE_MAX_LINE_BYTES`: overrides the line cap (for tests that need a small one);
 * ignored unless a positive integer.
 */
export const MAX_LINE_BYTES_ENV = 'VMBUS_CONFORMANCE_MAX_LINE_BYTES';
function maxLineBytesFromEnv(): number | undefined {
  const value = Number(process.env[MAX_LINE_BYTES_ENV]);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** How long a process gets to exit after `shutdown` before it is killed. */
export const SHUTDOWN_GRACE_MS = 2000;

export interface PluginProcessOptions {
  /** The command line, run with `/bin/sh -c`. */
  readonly command: string;
  readonly cwd: string;
  /** The connectable spec, for messages (`cmd:<command>`). */
  readonly spec: string;
  /** Copy the implementation's standard error to ours as it arrives. */
  readonly echoStderr?: boolean;
  /** Sees every line sent and received, for transcripts. */
  readonly onLine?: (direction: 'sent' | 'received', line: string) => void;
  /**
   * The longest line the program may write to standard output, in bytes (default
   * {@link MAX_LINE_BYTES}, 16 MiB); a longer one is a ProtocolError naming the cap.
   */
  readonly maxLineBytes?: number;
}

/** A request and the response line that answered it, framing checked. */
export interface Exchange {
  readonly request: Request;
  readonly response: Response;
  readonly kind: ResponseKind;
  /** The response line as received. */
  readonly line: string;
}

interface Waiting {
  readonly seq: number;
  readonly cmd: string;
  readonly request: Request;
  readonly resolve: (exchange: Exchange) => void;
  readonly reject: (error: PluginError) => void;
  readonly timer: NodeJS.Timeout;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const LIVE = new Set<PluginProcess>();
let hooksInstalled = false;
let stopping: Promise<unknown> | undefined;

/** Stops every live process when Node has nothing left to do, and kills any left at exit. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('beforeExit', () => {
    if (LIVE.size === 0 || stopping !== undefined) return;
    stopping = Promise.allSettled([...LIVE].map((p) => p.stop())).finally(() => {
      stopping = undefined;
    });
  });
  process.on('exit', () => {
    for (const live of LIVE) live.kill();
  });
}

/**
 * Ends every live implementation process of this Node process at once: SIGKILL to each one's
 * process group, so that a program that ignores the end of its input, or left children of its own,
 * goes too. For an interrupted run (SIGINT, SIGTERM); a waiting request fails as if the program
 * had exited. Returns how many were killed.
 */
export function killAllPluginProcesses(): number {
  const live = [...LIVE];
  for (const p of live) p.kill();
  return live.length;
}

/** The process group ids of the live implementation processes (for tests and diagnostics). */
export function livePluginProcessIds(): number[] {
  return [...LIVE].flatMap((p) => (p.pid === undefined ? [] : [p.pid]));
}

export class PluginProcess {
  readonly stderr = new StderrTail();
  private readonly child: ChildProcessWithoutNullStreams;
  private seq = 0;
  private readonly stdoutLines: LineReader;
  private waiting: Waiting | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: PluginError | undefined;
  private exitStatus: ExitStatus | undefined;
  private linesReceived = 0;
  private readonly closed: Promise<ExitStatus>;

  constructor(private readonly options: PluginProcessOptions) {
    if (!existsSync(options.cwd)) {
      throw new CannotConnect(`cannot start ${options.spec}: the working directory ${options.cwd} does not exist`, { implementation: options.spec, stderrTail: '' });
    }
    try {
      this.child = spawn('/bin/sh', ['-c', options.command], { cwd: options.cwd, stdio: 'pipe', detached: true });
    } catch (error) {
      throw new CannotConnect(`cannot start ${options.spec}: ${(error as Error).message}`, { implementation: options.spec, stderrTail: '', cause: error });
    }
    installExitHooks();
    LIVE.add(this);
    const { child } = this;
    // Standard output is read as bytes and split into lines in linear time, each line capped.
    this.stdoutLines = new LineReader(
      (line) => this.onLine(line),
      (bytes, max) => this.onLineTooLong(bytes, max),
      options.maxLineBytes ?? maxLineBytesFromEnv() ?? MAX_LINE_BYTES,
    );
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: Buffer) => this.stdoutLines.push(chunk));
    child.stderr.on('data', (chunk: string) => {
      this.stderr.push(chunk);
      // Echoed escaped: a CR or ESC from the program must not rewrite the harness's lines.
      if (options.echoStderr) process.stderr.write(escapeTerminalOutput(chunk));
    });
    // A write to a process that has gone is reported by 'close'; the EPIPE itself is noise.
    child.stdin.on('error', () => {});
    this.closed = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.exitStatus = { code, signal };
        LIVE.delete(this);
        this.fail(new ImplementationExited(this.waiting?.cmd, code, signal, this.details()));
        resolve(this.exitStatus);
      });
    });
    child.on('error', (error) => {
      this.fail(new CannotConnect(`cannot start ${options.spec}: ${error.message}`, { ...this.details(), cause: error }));
    });
    // Never keep Node alive for an idle implementation; a waiting request's timer does that.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Neither failed nor exited: the next exchange may succeed. */
  get usable(): boolean {
    return this.failure === undefined && this.exitStatus === undefined;
  }

  /** The error that made the process unusable, if one did. */
  get error(): PluginError | undefined {
    return this.failure;
  }

  /** Lines received so far (0: the process never answered anything). */
  get received(): number {
    return this.linesReceived;
  }

  details(): PluginErrorDetails {
    return { implementation: this.options.spec, stderrTail: this.stderr.text() };
  }

  /**
   * Sends one request and waits for its response, after any requests already queued. Rejects with
   * the typed error (and kills the process) if the answer does not come in time or is not a
   * response to it; rejects with the earlier error if the process already failed.
   */
  exchange(cmd: string, args: JsonObject, timeoutMs: number): Promise<Exchange> {
    const run = (): Promise<Exchange> =>
      new Promise<Exchange>((resolve, reject) => {
        if (this.failure !== undefined) return reject(this.failure);
        const seq = ++this.seq;
        const request: Request = { seq, cmd, ...args };
        const line = JSON.stringify(request);
        const timer = setTimeout(() => this.fail(new Timeout(cmd, timeoutMs, this.details())), timeoutMs);
        this.waiting = { seq, cmd, request, resolve, reject, timer };
        this.options.onLine?.('sent', line);
        this.child.stdin.write(`${line}\n`);
      });
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Marks the process failed with `error` (the first error wins), rejects the waiting request with
   * it and kills the process. Returns the error that stands.
   */
  fail(error: PluginError): PluginError {
    if (this.failure !== undefined) return this.failure;
    this.failure = error;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
    this.kill();
    return error;
  }

  /** SIGKILL to the process group. */
  kill(): void {
    if (this.exitStatus !== undefined || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL');
    }
  }

  /** Resolves with the exit status once the process has exited and closed its pipes, or undefined after `ms`. */
  async waitForExit(ms: number): Promise<ExitStatus | undefined> {
    if (this.exitStatus !== undefined) return this.exitStatus;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `shutdown`, a grace period to exit, then SIGKILL. Never rejects. */
  async stop(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    LIVE.delete(this);
    if (this.exitStatus !== undefined) return;
    if (this.usable) {
      await this.exchange('shutdown', {}, graceMs).catch(() => undefined);
      await this.waitForExit(graceMs);
    }
    this.kill();
  }

  /** A line over the cap: a protocol error naming the cap (the process is killed; the run goes on). */
  private onLineTooLong(bytes: number, max: number): void {
    if (this.failure !== undefined) return;
    const waiting = this.waiting;
    this.fail(
      new ProtocolError(
        waiting?.cmd,
        `wrote a line longer than the cap of ${describeByteCap(max)} to standard output (${bytes} bytes without a newline so far); one response is one line of at most ${describeByteCap(max)}`,
        this.details(),
      ),
    );
  }

  private onLine(line: string): void {
    if (this.failure !== undefined || line.trim() === '') return;
    this.linesReceived++;
    this.options.onLine?.('received', line);
    const waiting = this.waiting;
    const protocolError = (problem: string): void => void this.fail(new ProtocolError(waiting?.cmd, problem, { ...this.details(), line }));
    if (waiting === undefined) return protocolError('wrote a line to standard output while no request was waiting for an answer');
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return protocolError('wrote a line that is not JSON to standard output (logs belong on standard error)');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return protocolError('wrote a JSON value that is not an object');
    const response = parsed as Record<string, unknown>;
    if (!Object.hasOwn(response, 'seq')) return protocolError(`the response has no seq (the request was seq ${waiting.seq})`);
    if (response['seq'] !== waiting.seq) return protocolError(`answered seq ${JSON.stringify(response['seq'])}, but the request waiting for an answer is seq ${waiting.seq}`);
    const kinds = RESPONSE_KINDS.filter((kind) => Object.hasOwn(response, kind));
    const kind = kinds[0];
    if (kinds.length !== 1 || kind === undefined) return protocolError(`a response has exactly one of ${RESPONSE_KINDS.join(', ')}; this one has ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`);
    const body = response[kind];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return protocolError(`"${kind}" must be an object`);
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    waiting.resolve({ request: waiting.request, response: parsed as Response, kind, line });
  }
}
