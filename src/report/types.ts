/**
 * The conformance report: what `conformance.json` holds and `conformance.md` summarises.
 */
import type { CatalogueProblemKind, RuleEntry, RuleLevel } from '../catalogue/catalogue.js';

/**
 * What a run measured for a scenario and for a rule, before any expectations file is applied.
 * - `pass`: every step passed.
 * - `fail`: a step failed with an assertion error: the implementation did something the rule forbids.
 * - `error`: the harness or the implementation broke (a non-assertion exception, an undefined,
 *   ambiguous, pending or unknown step, or a scenario that did not finish): nothing was measured.
 * - `not-applicable`: the scenario was skipped because the implementation lacks a capability.
 * - `not-run`: no test case ran for it (filtered out, e.g. by `--tags`).
 */
export type MeasuredVerdict = 'pass' | 'fail' | 'error' | 'not-applicable' | 'not-run';
export const MEASURED_VERDICTS: readonly MeasuredVerdict[] = ['pass', 'fail', 'error', 'not-applicable', 'not-run'];

/**
 * Verdicts of a scenario and of a rule in a report: the measured ones, and two more that only an
 * expectations file (`--expect`, see `src/expectations/`) produces:
 * - `known-failure`: the measured verdict is the `fail` or `error` the file expects; it does not
 *   fail the run.
 * - `unexpected-pass`: the file expects a failure, error or not-applicable, and it passed; it
 *   fails the run (the file is out of date).
 */
export type Verdict = MeasuredVerdict | 'known-failure' | 'unexpected-pass';
export const VERDICTS: readonly Verdict[] = [...MEASURED_VERDICTS, 'known-failure', 'unexpected-pass'];

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
  /**
   * The capabilities it claims (its `hello`, or the in-process factory's info), when known: a
   * scenario is not applicable only for a capability missing here.
   */
  readonly capabilities?: Readonly<Record<string, boolean>>;
}

export interface LevelTotals {
  readonly rules: number;
  /**
   * Rules the run checked: a measured verdict (pass, fail or error; a known failure or an
   * unexpected pass too), as opposed to not applicable or not run.
   */
  readonly checked: number;
  readonly pass: number;
  readonly fail: number;
  readonly error: number;
  readonly notApplicable: number;
  readonly notRun: number;
  /** Rules whose failure an expectations file expects; present only when one was applied. */
  readonly knownFailure?: number;
  /** Rules that passed although an expectations file expects otherwise; present only when one was applied. */
  readonly unexpectedPass?: number;
}

/** The verdicts an expectations entry may expect. */
export type ExpectedVerdict = 'fail' | 'error' | 'not-applicable';
export const EXPECTED_VERDICTS: readonly ExpectedVerdict[] = ['fail', 'error', 'not-applicable'];

/**
 * How an expectations entry compared with the run:
 * - `met`: the measured verdict is the expected one;
 * - `unexpected-pass`: it passed;
 * - `mismatch`: another verdict (e.g. `error` where `fail` is expected);
 * - `not-run`: it did not run (filtered out), so nothing was compared.
 */
export type ExpectationStatus = 'met' | 'unexpected-pass' | 'mismatch' | 'not-run';

/** An expectations entry as applied to the rule or scenario it names. */
export interface AppliedExpectation {
  readonly expected: ExpectedVerdict;
  /** What the run measured before the expectation was applied. */
  readonly measured: MeasuredVerdict;
  readonly status: ExpectationStatus;
  readonly reason: string;
  readonly issue?: string;
  /** Index of the entry in the file's `expectations` array. */
  readonly entry: number;
}

/** The expectations file applied to a report. */
export interface ExpectationsSummary {
  /** The file as given on the command line. */
  readonly file: string;
  /** Its `implementation` field. */
  readonly implementation: string;
  readonly entries: number;
  readonly met: number;
  readonly unexpectedPasses: number;
  readonly mismatches: number;
  readonly notRun: number;
  /** Entries whose reason still starts with `TODO` (as `--update-expectations` writes them), by target. */
  readonly todo: readonly string[];
}

export interface ScenarioResult {
  readonly name: string;
  readonly line: number;
  readonly verdict: Verdict;
  /** The step the verdict comes from, e.g. `Then map returns STATUS_SUCCESS` or `Before hook`. */
  readonly step?: string;
  /** The first failure or error message, trimmed. */
  readonly message?: string;
  /** The expectations entry that names this scenario, when one does. */
  readonly expectation?: AppliedExpectation;
  /**
   * The failure contradicts the contract of a capability the implementation claims (the step
   * that failed checks the contract, not a choice; see {@link CONTRACT_ASSERTION}): it counts
   * under every profile.
   */
  readonly contract?: true;
  /** For a `not-applicable` scenario: the capabilities it needs that the implementation lacks. */
  readonly missing?: readonly string[];
}

/** A catalogue rule with its verdict, and its scenarios' results in place of their references. */
/** A spec statement a rule cites, as the report shows it (spec/*.md). */
export interface SpecCitation {
  readonly id: string;
  readonly level: string;
  /** The statement, in the project's words. */
  readonly text: string;
  /** Where it comes from: the page and section, or the file and function. */
  readonly where: string;
  /** The spec file that holds it, e.g. `spec/kmcl.md`. */
  readonly file: string;
}

export interface RuleResult extends Omit<RuleEntry, 'scenarios'> {
  /**
   * The statements of {@link RuleEntry.spec} that the report could look up in spec/, in the same
   * order; absent when the report was built without the spec folder.
   */
  readonly cites?: readonly SpecCitation[];
  readonly verdict: Verdict;
  readonly scenarios: readonly ScenarioResult[];
  /** The expectations entry that names this rule, when one does. */
  readonly expectation?: AppliedExpectation;
  /** A scenario of it failed the contract of a claimed capability (see {@link ScenarioResult.contract}). */
  readonly contract?: true;
}

export type RunProblemKind =
  | 'bad-message'
  | 'no-messages'
  | 'run-incomplete'
  | 'run-failed'
  | 'unmapped-test-case'
  | 'no-rules'
  | 'cucumber-error'
  | 'implementation-error'
  | 'expectation-error'
  | 'run-interrupted';
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
  /** The shard of the scenarios this run ran (`run --shard`, `<index>/<total>`); `merge` combines the shards. */
  readonly shard?: string;
}

/**
 * A run that was stopped before it finished (SIGINT or SIGTERM): the report holds what was
 * measured until then; the scenarios it did not run, or cut short, are `not-run`.
 */
export interface IncompleteRun {
  readonly reason: 'interrupted';
  /** The signal that stopped it. */
  readonly signal: string;
  readonly message: string;
}

/**
 * What a run judged: which halves, whether the user narrowed it (`--tags`, `--name`), and how many
 * rules that left.
 */
export interface RunScope {
  /** The halves judged (docs/halves.md): `guest`, `host` and `whole` for a whole implementation. */
  readonly halves: readonly string[];
  /** How the user narrowed the run, e.g. `--tags @MAP-04`; absent: every rule of the halves. */
  readonly narrowedBy?: string;
  /** Rules of the run's catalogue (the judged halves' rules). */
  readonly rules: number;
  /** Rules the run selected: at least one scenario ran (or was not applicable). */
  readonly selected: number;
  /** The run stopped at its first failure (`--fail-fast`): the rules after it are not run. */
  readonly failFast?: true;
}

/** A capability the implementation lacks that rules of the run need. */
export interface MissingCapability {
  readonly capability: string;
  /** The rules with a scenario not applicable for want of it. */
  readonly rules: readonly string[];
  /** Required with `--require`: its absence fails the run. */
  readonly required: boolean;
}

export interface CapabilitiesReport {
  /** The capabilities the implementation claims, when known. */
  readonly claimed?: readonly string[];
  /** Those it lacks that some rule of the run needed, with the rules each left unchecked. */
  readonly missing: readonly MissingCapability[];
  /** `--require`: capabilities whose absence fails the run (`all`: every one). */
  readonly required: readonly string[];
}

/**
 * The exception type (the constructor name Cucumber records) of an assertion that checks the
 * contract of a capability the implementation claims rather than a choice of the reference model,
 * e.g. that misuse of a void function records a violation at all, with `violations` claimed.
 * A failure of it is never shown as a reference choice made differently (README, Verdicts).
 */
export const CONTRACT_ASSERTION = 'ContractAssertionError';

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
  /** The expectations file that was applied (`--expect`), when one was. */
  readonly expectations?: ExpectationsSummary;
  /** Present when the run did not finish: the report is incomplete (see {@link IncompleteRun}). */
  readonly incomplete?: IncompleteRun;
  /** What the run judged (halves, narrowing); absent in reports of older versions. */
  readonly scope?: RunScope;
  /** The capabilities claimed, missing and required. */
  readonly capabilities?: CapabilitiesReport;
}

/**
 * - `conformant`: every counted rule is pass, not-applicable or a known failure, no problems, no
 *   required capability missing, and every expectations entry that ran was met.
 * - `non-conformant`: a counted rule failed (a rule of any level that failed the contract of a
 *   claimed capability counts) or was not run (unless the run was narrowed, a shard, or the rule
 *   was not selected), a capability given with `--require` is missing, or an expectations entry
 *   was not met (an unexpected pass, or a different verdict that is no error), and nothing broke.
 * - `harness-error`: catalogue, run or expectations-file problems, a rule of any level in `error`
 *   (a crash, a hang, a protocol error is never a clean result, whatever the profile counts), or
 *   an expectations entry whose scenario or rule errored instead.
 */
export type Outcome = 'conformant' | 'non-conformant' | 'harness-error';
