/**
 * What can go wrong with an implementation in another process, by protocol phase.
 *
 * 1. **spawn.** The harness runs the `cmd:` command line with `/bin/sh -c`. If the process cannot be
 *    started at all (no shell, a bad working directory), or the shell says the command does not
 *    exist or cannot be executed (exit 127 or 126 before a single line), that is
 *    {@link CannotConnect}.
 * 2. **handshake.** The harness sends `hello`; the implementation answers with its name, version,
 *    language and capabilities. A different protocol version is {@link VersionMismatch}; anything
 *    else that keeps the handshake from completing (no answer in time, the process exits, a line
 *    that is not a valid response, an `errored` or `unsupported` answer) is {@link StartupFailed},
 *    with the underlying error as its `cause`.
 * 3. **commands.** Before every scenario `reset`, then one command per contract call. No answer
 *    within the per-call timeout is {@link Timeout}; the process exiting is {@link ImplementationExited};
 *    a line that is not JSON, not a response, answers another `seq`, or (with schema validation)
 *    breaks a schema is {@link ProtocolError}; an `errored` answer is {@link ImplementationErrored};
 *    an `unsupported` answer is {@link Unsupported}. After any of these but `Unsupported`, the harness
 *    kills the process and starts it again before the next scenario. The scenario is reported as an
 *    *error* (nothing was measured), never as a failure: failures come from assertions only.
 * 4. **shutdown.** The harness sends `shutdown` and gives the process a grace period to exit,
 *    then kills it. Nothing is raised: the measurements are already made.
 *
 * Bowtie's errors of the same names are normally harness bugs; these are normally the
 * implementation's, so every one carries the implementation's last lines of standard error
 * ({@link PluginError.stderrTail}), in its message as well, because that is where the explanation
 * usually is.
 */

export type Phase = 'spawn' | 'handshake' | 'command' | 'shutdown';

/** Lines of standard error the harness keeps and reports. */
export const STDERR_TAIL_LINES = 40;

export interface PluginErrorDetails {
  /** The connectable spec, e.g. `cmd:python3 impl.py`. */
  readonly implementation: string;
  /** The implementation's last lines of standard error, joined with newlines ('' for none). */
  readonly stderrTail: string;
  readonly cause?: unknown;
}

/** Every error of the plug-in protocol. */
export abstract class PluginError extends Error {
  abstract readonly phase: Phase;
  readonly implementation: string;
  #stderrTail: string;
  /** The message without the standard error part. */
  readonly summary: string;

  constructor(summary: string, details: PluginErrorDetails) {
    super(`${summary}\n${formatStderr(details.stderrTail)}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.summary = summary;
    this.implementation = details.implementation;
    this.#stderrTail = details.stderrTail;
  }

  /** The implementation's last lines of standard error ('' for none); in {@link message} as well. */
  get stderrTail(): string {
    return this.#stderrTail;
  }

  /**
   * Puts standard error as it stands once the process has gone into the error. A program's last
   * words on standard error and its answer on standard output travel in two pipes with no order
   * between them, so the line that explains a bad answer may arrive after the answer: the harness
   * reads standard error to its end before the error leaves it (the connector does this).
   */
  completeStderrTail(tail: string): void {
    const before = this.message;
    this.#stderrTail = tail;
    this.message = `${this.summary}\n${formatStderr(tail)}`;
    // The stack's head was written with the message of the time; whoever prints the stack sees the new one.
    if (this.stack?.startsWith(`${this.name}: ${before}`) === true) this.stack = `${this.name}: ${this.message}${this.stack.slice(this.name.length + 2 + before.length)}`;
  }
}

export function formatStderr(tail: string): string {
  if (tail === '') return '(the implementation wrote nothing to standard error)';
  const lines = tail.split('\n').length;
  return `--- the implementation's standard error, last ${lines} line${lines === 1 ? '' : 's'} ---\n${tail}`;
}

/** A line as a message may quote it: at most `max` characters, on one line. */
export function excerpt(line: string, max = 200): string {
  return JSON.stringify(line.length > max ? `${line.slice(0, max)}…` : line);
}

// ------------------------------------------------------------------------------------ spawn

export class CannotConnect extends PluginError {
  override readonly name = 'CannotConnect';
  readonly phase = 'spawn';
}

// ------------------------------------------------------------------------------------ handshake

export class StartupFailed extends PluginError {
  override readonly name = 'StartupFailed';
  readonly phase = 'handshake';
}

export class VersionMismatch extends PluginError {
  override readonly name = 'VersionMismatch';
  readonly phase = 'handshake';
  constructor(
    /** The versions the harness offered. */
    readonly expected: readonly number[],
    readonly got: unknown,
    details: PluginErrorDetails,
  ) {
    const spoken = expected.length === 1 ? `version ${expected[0]}` : `versions ${expected.slice(0, -1).join(', ')} and ${expected.at(-1)}`;
    super(`${details.implementation} speaks protocol version ${JSON.stringify(got)}; this harness speaks ${spoken}`, details);
  }
}

// ------------------------------------------------------------------------------------ commands

/** Where a response broke a schema: a JSON pointer into the line, and what is wrong there. */
export interface SchemaViolation {
  /** JSON pointer into the request or response line, e.g. `/result/status`; '' is the whole line. */
  readonly pointer: string;
  readonly message: string;
}

export function formatViolation(violation: SchemaViolation): string {
  return `${violation.pointer === '' ? '(the whole line)' : violation.pointer}: ${violation.message}`;
}

export class ProtocolError extends PluginError {
  override readonly name = 'ProtocolError';
  readonly phase = 'command';
  /** Schema violations (or the value the codec could not read), each with its JSON pointer. */
  readonly violations: readonly SchemaViolation[];
  /** The offending line, if there was one. */
  readonly line: string | undefined;

  constructor(
    /** The command being answered, if one was. */
    readonly command: string | undefined,
    problem: string,
    details: PluginErrorDetails & {
      /** The offending line, if there was one. */
      readonly line?: string;
      /** Schema violations, each with a JSON pointer. */
      readonly violations?: readonly SchemaViolation[];
    },
  ) {
    const violations = details.violations ?? [];
    const lines = [
      `${details.implementation}: protocol error${command === undefined ? '' : ` in ${command}`}: ${problem}`,
      ...violations.map((v) => `  ${formatViolation(v)}`),
      ...(details.line === undefined ? [] : [`  line: ${excerpt(details.line, 400)}`]),
    ];
    super(lines.join('\n'), details);
    this.violations = violations;
    this.line = details.line;
  }
}

export class Timeout extends PluginError {
  override readonly name = 'Timeout';
  readonly phase = 'command';
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
    details: PluginErrorDetails,
  ) {
    super(`${details.implementation} did not answer ${command} within ${timeoutMs} ms`, details);
  }
}

export class ImplementationExited extends PluginError {
  override readonly name = 'ImplementationExited';
  readonly phase = 'command';
  constructor(
    /** The command being answered, if one was. */
    readonly command: string | undefined,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    details: PluginErrorDetails,
  ) {
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
    super(`${details.implementation} ${how}${command === undefined ? ' between commands' : ` while answering ${command}`}`, details);
  }
}

export class ImplementationErrored extends PluginError {
  override readonly name = 'ImplementationErrored';
  readonly phase = 'command';
  constructor(
    readonly command: string,
    /** The implementation's own message and stack trace. */
    readonly remoteMessage: string,
    readonly traceback: string | undefined,
    details: PluginErrorDetails,
  ) {
    super(`${details.implementation} broke in ${command}: ${remoteMessage}${traceback === undefined || traceback === '' ? '' : `\n${traceback}`}`, details);
  }
}

export class Unsupported extends PluginError {
  override readonly name = 'Unsupported';
  readonly phase = 'command';
  constructor(
    readonly command: string,
    readonly remoteMessage: string,
    details: PluginErrorDetails,
  ) {
    super(`${details.implementation} does not support ${command}: ${remoteMessage}`, details);
  }
}
