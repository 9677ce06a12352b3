/**
 * Exit codes of the `vmbus-conformance` command:
 *
 * - 0 `CONFORMANT`: every counted rule passed, is not applicable, or is a known failure (the
 *   failure its `--expect` file expects) (`list-rules`: the catalogue is clean; help and version
 *   output).
 * - 1 `NON_CONFORMANT`: a counted rule failed (an assertion), or was not run (filtered out by
 *   `--tags`, so conformance is not established), or an expectations entry was not met (an
 *   unexpected pass, or a verdict other than the expected one that is no error), and nothing broke.
 * - 2 `HARNESS_ERROR`: the harness or the implementation broke: catalogue problems, a counted
 *   rule in `error` (an exception, an undefined/ambiguous/pending step, a scenario that did not
 *   finish), an expectations entry whose rule errored instead or that names nothing, a run that
 *   did not finish, Cucumber failing to start, an unexpected exception.
 * - 3 `USAGE`: unknown command or option, a bad option value (e.g. `--profile lax`), a missing
 *   argument, an unknown implementation, an expectations file that cannot be read, breaks its
 *   schema, or names none (or several) of the run's implementations.
 *
 * - 130 `INTERRUPTED` (SIGINT) and 143 `TERMINATED` (SIGTERM), 128 + the signal's number: the run
 *   was stopped by the signal; its implementation processes were ended and every report was
 *   written from what was measured, marked incomplete (`incomplete` in conformance.json).
 *
 * `run` with several `--impl` exits with the worst code of its implementations (2 > 1 > 0).
 *
 * The codes travel as {@link ExitError}; `main.ts` has the one catch that turns them into the
 * process's exit code.
 */
import type { Outcome } from '../report/types.js';

export const EXIT = {
  CONFORMANT: 0,
  NON_CONFORMANT: 1,
  HARNESS_ERROR: 2,
  USAGE: 3,
  INTERRUPTED: 130,
  TERMINATED: 143,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(
    readonly code: ExitCode,
    message = `exit ${code}`,
    /** Already reported to the user: main prints nothing more. */
    readonly reported = true,
  ) {
    super(message);
  }
}

export function exitCodeForOutcome(outcome: Outcome): ExitCode {
  switch (outcome) {
    case 'conformant':
      return EXIT.CONFORMANT;
    case 'non-conformant':
      return EXIT.NON_CONFORMANT;
    case 'harness-error':
      return EXIT.HARNESS_ERROR;
  }
}

/** Throws the ExitError an outcome calls for; returns for a conformant one. */
export function exitForOutcome(outcome: Outcome): void {
  const code = exitCodeForOutcome(outcome);
  if (code !== EXIT.CONFORMANT) throw new ExitError(code, `outcome: ${outcome}`);
}

/** The exit code for anything a command threw: its ExitError's code, else a harness error. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof ExitError ? error.code : EXIT.HARNESS_ERROR;
}
