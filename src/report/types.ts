/**
 * The conformance report: what `conformance.json` holds and `conformance.md` summarises.
 */
import type { CatalogueProblemKind, RuleEntry, RuleLevel } from '../catalogue/catalogue.js';

/**
 * Verdicts of a scenario and of a rule.
 * - `pass`: every step passed.
 * - `fail`: a step failed with an assertion error: the implementation did something the rule forbids.
 * - `error`: the harness or the implementation broke (a non-assertion exception, an undefined,
 *   ambiguous, pending or unknown step, or a scenario that did not finish): nothing was measured.
 * - `not-applicable`: the scenario was skipped because the implementation lacks a capability.
 * - `not-run`: no test case ran for it (filtered out, e.g. by `--tags`).
 */
export type Verdict = 'pass' | 'fail' | 'error' | 'not-applicable' | 'not-run';
export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'error', 'not-applicable', 'not-run'];

/**
 * Which rules count toward conformance: `normative` counts the normative rules only; `strict`
 * counts every rule, including the reference model's choices.
 */
export type Profile = 'normative' | 'strict';
export const PROFILES: readonly Profile[] = ['normative', 'strict'];
export const isProfile = (text: string): text is Profile => (PROFILES as readonly string[]).includes(text);

export interface HarnessInfo {
  readonly name: string;
  readonly version: string;
}

export interface ImplementationSummary {
  readonly name: string;
  readonly version: string;
  readonly language: string;
}

export interface LevelTotals {
  readonly rules: number;
  readonly pass: number;
  readonly fail: number;
  readonly error: number;
  readonly notApplicable: number;
  readonly notRun: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly line: number;
  readonly verdict: Verdict;
  /** The step the verdict comes from, e.g. `Then map returns STATUS_SUCCESS` or `Before hook`. */
  readonly step?: string;
  /** The first failure or error message, trimmed. */
  readonly message?: string;
}

/** A catalogue rule with its verdict, and its scenarios' results in place of their references. */
export interface RuleResult extends Omit<RuleEntry, 'scenarios'> {
  readonly verdict: Verdict;
  readonly scenarios: readonly ScenarioResult[];
}

export type RunProblemKind =
  | 'bad-message'
  | 'no-messages'
  | 'run-incomplete'
  | 'run-failed'
  | 'unmapped-test-case'
  | 'no-rules'
  | 'cucumber-error'
  | 'implementation-error';
export type ReportProblemKind = CatalogueProblemKind | RunProblemKind;

export interface ReportProblem {
  readonly kind: ReportProblemKind;
  /** Ready to print; located (`file:line: ...`) where there is a location. */
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

export interface RunInfo {
  /** The messages ended with `testRunFinished`. */
  readonly finished: boolean;
  /** Cucumber's own verdict, when it finished. */
  readonly success?: boolean;
  readonly cucumberVersion?: string;
}

export interface ConformanceReport {
  readonly harness: HarnessInfo;
  readonly implementation: ImplementationSummary;
  readonly profile: Profile;
  readonly generatedAt: string;
  readonly run: RunInfo;
  readonly totals: Readonly<Record<RuleLevel, LevelTotals>>;
  /** Every counted rule passed or is not applicable, and there were no problems. */
  readonly conformant: boolean;
  readonly outcome: Outcome;
  readonly rules: readonly RuleResult[];
  readonly problems: readonly ReportProblem[];
}

/**
 * - `conformant`: every counted rule is pass or not-applicable, no problems.
 * - `non-conformant`: a counted rule failed or was not run, and nothing broke.
 * - `harness-error`: catalogue or run problems, or a counted rule in `error`.
 */
export type Outcome = 'conformant' | 'non-conformant' | 'harness-error';
