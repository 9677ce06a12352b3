/**
 * The expectations (known-failure) file of one implementation, after web-platform-tests'
 * expectation files: JSON, checked against `schemas/expectations.json`. See
 * `expectations/README.md` for the format and what a run does with it.
 */
import type { ExpectedVerdict } from '../report/types.js';

/** One entry: an expected verdict for a rule, a scenario, or one scenario of a rule. */
export interface ExpectationEntry {
  /** A rule id (`MAP-05`). */
  readonly rule?: string;
  /** A scenario name; with `rule`, a scenario of that rule. */
  readonly scenario?: string;
  readonly verdict: ExpectedVerdict;
  readonly reason: string;
  readonly issue?: string;
}

export interface ExpectationsFile {
  readonly $schema?: string;
  /** The implementation's spec as given to `--impl`, or its handshake name. */
  readonly implementation: string;
  readonly expectations: readonly ExpectationEntry[];
}

/** An expectations file read from disk. */
export interface LoadedExpectations {
  /** The path as given on the command line. */
  readonly file: string;
  /** The absolute path. */
  readonly path: string;
  /** The file's content; `undefined` for a file that does not exist yet (`--update-expectations`). */
  readonly content: ExpectationsFile | undefined;
}

/** What `--update-expectations` writes for a new entry; every run warns about such reasons. */
export const TODO_REASON = 'TODO: explain';

export const isTodoReason = (reason: string): boolean => /^\s*TODO\b/i.test(reason);

/** `rule MAP-05`, `scenario "x"`, `scenario "x" of rule MAP-05`: how messages name an entry's target. */
export function describeTarget(entry: Pick<ExpectationEntry, 'rule' | 'scenario'>): string {
  if (entry.rule !== undefined && entry.scenario !== undefined) return `scenario ${JSON.stringify(entry.scenario)} of rule ${entry.rule}`;
  if (entry.rule !== undefined) return `rule ${entry.rule}`;
  return `scenario ${JSON.stringify(entry.scenario ?? '')}`;
}
