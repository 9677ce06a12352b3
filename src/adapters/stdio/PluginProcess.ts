/**
 * One running implementation process and the framing of the plug-in protocol over its standard
 * input and output: request lines out, response lines back in the same order. In protocol version 1
 * strictly in turn (a request waits until the one before it is answered); once a version with
 * pipelining is agreed ({@link PluginProcess.pipeline}), requests go out as they are made, the ones
 * made together in one write, and their answers are matched to them in order.
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
import { describeByteCap, LineReader, MAX_LINE_BYTES } from '../../plugin/LineReader.js';
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

/**
 * How long a failed (killed) process's standard error is read for before the error is raised. The
 * whole wait only when something the kill missed still holds the pipe; otherwise the pipe closes as
 * soon as the process is reaped, which a loaded machine can delay by a second or more.
 */
export const STDERR_DRAIN_MS = 3000;

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

/** A request made and not yet answered: not yet sent (no `request`), or sent and waiting. */
interface Waiting {
  readonly cmd: string;
  readonly args: JsonObject;
  readonly timeoutMs: number;
  request?: Request;
  readonly resolve: (exchange: Exchange) => void;
  readonly reject: (error: PluginError) => void;
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
  /** Sent and not yet answered, oldest first: the next response line answers the first. */
  private readonly inFlight: Waiting[] = [];
  /** Made and not yet sent, while {@link inFlightLimit} are in flight. */
  private readonly backlog: Waiting[] = [];
  /** 1 in protocol version 1; unbounded once pipelining is agreed. */
  private inFlightLimit = 1;
  /** Lines to send, written together once the requests made in this turn are all made. */
  private outgoing: string[] = [];
  /** When the oldest request in flight started to wait: when it was sent, or the one before it answered. */
  private waitingSince = 0;
  /** One timer for the process, not one a request: it checks the oldest request's deadline. */
  private timer: NodeJS.Timeout | undefined;
  /** When {@link timer} fires (performance.now() time). */
  private timerDue = 0;
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
        this.fail(new ImplementationExited(this.inFlight[0]?.cmd, code, signal, this.details()));
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
   * Requests may be in flight together from now on (a version with pipelining was agreed in
   * `hello`): requests made together go out in one write, and each waits only for its answer.
   */
  pipeline(): void {
    this.inFlightLimit = Number.POSITIVE_INFINITY;
    this.sendBacklog();
  }

  /**
   * Sends one request (at once, or after the requests before it are answered in version 1) and
   * waits for its response. Rejects with the typed error (and kills the process) if the answer
   * does not come in time or is not a response to it; rejects with the earlier error if the
   * process already failed. `timeoutMs` counts from when the request was sent or the one before it
   * was answered, whichever is later: answers come in order.
   */
  exchange(cmd: string, args: JsonObject, timeoutMs: number): Promise<Exchange> {
    return new Promise<Exchange>((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      const waiting: Waiting = { cmd, args, timeoutMs, resolve, reject };
      if (this.inFlight.length < this.inFlightLimit) this.send(waiting);
      else this.backlog.push(waiting);
    });
  }

  private send(waiting: Waiting): void {
    const request: Request = { seq: ++this.seq, cmd: waiting.cmd, ...waiting.args };
    waiting.request = request;
    const line = JSON.stringify(request);
    this.options.onLine?.('sent', line);
    this.inFlight.push(waiting);
    if (this.inFlight.length === 1) this.startWaiting();
    // After the current turn's promise jobs: requests made together (Promise.all) share one write.
    if (this.outgoing.push(line) === 1) process.nextTick(this.flush);
  }

  private readonly flush = (): void => {
    const lines = this.outgoing;
    this.outgoing = [];
    if (this.failure === undefined) this.child.stdin.write(lines.length === 1 ? `${lines[0]}\n` : `${lines.join('\n')}\n`);
  };

  private sendBacklog(): void {
    while (this.backlog.length > 0 && this.inFlight.length < this.inFlightLimit) this.send(this.backlog.shift()!);
  }

  /** The oldest request in flight starts its wait. */
  private startWaiting(): void {
    this.waitingSince = performance.now();
    this.armTimer(this.waitingSince + this.inFlight[0]!.timeoutMs);
  }

  /**
   * The timer fires by `deadline`: the one already set is kept if it fires no later (it checks and
   * waits the rest), so a busy process sets a timer about once a timeout, not once a request. While
   * a request waits the timer holds Node alive; idle, it does not.
   */
  private armTimer(deadline: number): void {
    if (this.timer === undefined || this.timerDue > deadline) {
      clearTimeout(this.timer);
      this.timerDue = deadline;
      this.timer = setTimeout(this.checkDeadline, Math.max(0, deadline - performance.now()));
    } else {
      this.timer.ref();
    }
  }

  /** The timer fired: a Timeout if the oldest request has waited its whole budget, else wait the rest. */
  private readonly checkDeadline = (): void => {
    this.timer = undefined;
    const oldest = this.inFlight[0];
    if (oldest === undefined || this.failure !== undefined) return;
    const deadline = this.waitingSince + oldest.timeoutMs;
    if (performance.now() >= deadline) this.fail(new Timeout(oldest.cmd, oldest.timeoutMs, this.details()));
    else this.armTimer(deadline);
  };

  /** The oldest request in flight was answered: the next one's wait starts now, or the process is idle. */
  private answered(): Waiting {
    const waiting = this.inFlight.shift()!;
    if (this.inFlight.length > 0) this.startWaiting();
    else this.timer?.unref(); // idle: an implementation never keeps Node alive
    this.sendBacklog();
    return waiting;
  }

  /**
   * Marks the process failed with `error` (the first error wins), rejects every request made and
   * not answered with it and kills the process. Returns the error that stands.
   */
  fail(error: PluginError): PluginError {
    if (this.failure !== undefined) return this.failure;
    this.failure = error;
    const waiting = [...this.inFlight.splice(0), ...this.backlog.splice(0)];
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const request of waiting) request.reject(error);
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

  /**
   * Standard error to its end: once the process has exited and its pipes are closed, everything
   * it wrote is in {@link stderr}. Waits at most `ms` (a program's own children may hold the pipe).
   */
  async stderrToEnd(ms = STDERR_DRAIN_MS): Promise<string> {
    await this.waitForExit(ms);
    return this.stderr.text();
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
    this.fail(
      new ProtocolError(
        this.inFlight[0]?.cmd,
        `wrote a line longer than the cap of ${describeByteCap(max)} to standard output (${bytes} bytes without a newline so far); one response is one line of at most ${describeByteCap(max)}`,
        this.details(),
      ),
    );
  }

  private onLine(line: string): void {
    if (this.failure !== undefined || line.trim() === '') return;
    this.linesReceived++;
    this.options.onLine?.('received', line);
    const waiting = this.inFlight[0];
    const protocolError = (problem: string): void => void this.fail(new ProtocolError(waiting?.cmd, problem, { ...this.details(), line }));
    if (waiting === undefined) return protocolError('wrote a line to standard output while no request was waiting for an answer');
    const seq = waiting.request!.seq;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return protocolError('wrote a line that is not JSON to standard output (logs belong on standard error)');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return protocolError('wrote a JSON value that is not an object');
    const response = parsed as Record<string, unknown>;
    if (!Object.hasOwn(response, 'seq')) return protocolError(`the response has no seq (the request was seq ${seq})`);
    if (response['seq'] !== seq) return protocolError(`answered seq ${JSON.stringify(response['seq'])}, but the request waiting for an answer is seq ${seq}`);
    const kinds = RESPONSE_KINDS.filter((kind) => Object.hasOwn(response, kind));
    const kind = kinds[0];
    if (kinds.length !== 1 || kind === undefined) return protocolError(`a response has exactly one of ${RESPONSE_KINDS.join(', ')}; this one has ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`);
    const body = response[kind];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return protocolError(`"${kind}" must be an object`);
    this.answered();
    waiting.resolve({ request: waiting.request!, response: parsed as Response, kind, line });
  }
}
