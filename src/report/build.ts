/**
 * Builds the conformance report from Cucumber's messages and the rule catalogue.
 *
 * Pickles are mapped back to rules through the Gherkin AST: `pickle.astNodeIds[0]` is the id of
 * the scenario, and the run's GherkinDocument says which Rule contains that scenario and what the
 * Rule's id tag is (the pickle's tags, which include the Rule's, are the fallback). The catalogue
 * entry is then found by rule id and the scenario by its line.
 *
 * A scenario whose pickle has no test case was filtered out (`not-run`); a test case that never
 * finished (the run was killed, the file is truncated) is an `error` "did not finish".
 */
import type {
  Envelope,
  GherkinDocument,
  Hook,
  Pickle,
  PickleStep,
  Scenario,
  Step,
  TestCase,
  TestStep,
  TestStepResult,
} from '@cucumber/messages';
import type { Catalogue, RuleEntry, RuleLevel } from '../catalogue/catalogue.js';
import { RULE_LEVELS } from '../catalogue/catalogue.js';
import { CAPABILITIES } from '../contract/Implementation.js';
import type { SpecStatement } from '../catalogue/spec.js';
import type {
  AppliedExpectation,
  CapabilitiesReport,
  ConformanceReport,
  HarnessInfo,
  ImplementationSummary,
  LevelTotals,
  Outcome,
  Profile,
  ReportProblem,
  RuleResult,
  RunInfo,
  RunScope,
  ScenarioResult,
  SpecCitation,
  Verdict,
} from './types.js';
import { combineVerdicts, trimMessage, verdictOfSteps, type StepOutcome, type VerdictWithMessage } from './verdict.js';

export interface BuildReportInput {
  readonly catalogue: Catalogue;
  readonly envelopes: readonly Envelope[];
  readonly harness: HarnessInfo;
  readonly implementation: ImplementationSummary;
  readonly profile: Profile;
  /** ISO time; defaults to now. */
  readonly generatedAt?: string;
  /** Problems found while reading the messages or running Cucumber. */
  readonly problems?: readonly ReportProblem[];
  /**
   * The statements of spec/ by id (see `loadSpec`), so that each rule's result lists the
   * statements it cites (`cites`). Without it, rules carry their `spec` ids only.
   */
  readonly spec?: ReadonlyMap<string, SpecStatement>;
  /**
   * What the run judged: the halves, and how the user narrowed it (`--tags @MAP-04`), which makes
   * the rules it did not select count neither way; `failFast` when it stopped at its first failure.
   */
  readonly scope?: { readonly halves: readonly string[]; readonly narrowedBy?: string; readonly failFast?: boolean };
  /** `--require`: capabilities whose absence fails the run; `all` stands for every capability. */
  readonly required?: readonly string[];
}

/** Every capability the contract knows (`--require all`), in the contract's order. */
export const ALL_CAPABILITIES: readonly string[] = CAPABILITIES;

const ID_TAG = /^@([A-Z]+-\d{2})$/;

interface ScenarioNode {
  readonly uri: string;
  readonly line: number;
  readonly name: string;
  readonly ruleId?: string;
}

interface Attempt {
  readonly testCaseId: string;
  readonly attempt: number;
  readonly results: Map<string, TestStepResult>;
  lastStartedStep?: string;
  finished: boolean;
}

/** Everything the report needs from the messages, indexed by id. */
class MessageIndex {
  readonly scenarios = new Map<string, ScenarioNode>();
  readonly exampleRowLines = new Map<string, number>();
  readonly stepKeywords = new Map<string, string>();
  readonly pickles = new Map<string, Pickle>();
  /** Every pickle's steps by id: a step's label is found without a search. */
  private readonly pickleSteps = new Map<string, PickleStep>();
  readonly testCases = new Map<string, TestCase>();
  readonly testCaseOfPickle = new Map<string, TestCase>();
  private readonly latest = new Map<string, Attempt>();
  readonly hooks = new Map<string, Hook>();
  readonly attempts = new Map<string, Attempt>();
  readonly parseErrors: ReportProblem[] = [];
  cucumberVersion?: string;
  finished?: { success: boolean; exception?: string };

  constructor(envelopes: readonly Envelope[]) {
    for (const e of envelopes) this.add(e);
  }

  private add(e: Envelope): void {
    if (e.meta) this.cucumberVersion = e.meta.implementation?.version;
    if (e.gherkinDocument) this.addDocument(e.gherkinDocument);
    if (e.parseError) {
      const uri = e.parseError.source?.uri ?? 'unknown';
      const line = e.parseError.source?.location?.line ?? 0;
      this.parseErrors.push({ kind: 'parse-error', file: uri, line, message: `${uri}:${line}: Gherkin parse error: ${e.parseError.message}` });
    }
    if (e.pickle) {
      this.pickles.set(e.pickle.id, e.pickle);
      for (const step of e.pickle.steps) this.pickleSteps.set(step.id, step);
    }
    if (e.testCase) {
      this.testCases.set(e.testCase.id, e.testCase);
      this.testCaseOfPickle.set(e.testCase.pickleId, e.testCase);
    }
    if (e.hook) this.hooks.set(e.hook.id, e.hook);
    if (e.testCaseStarted) {
      const s = e.testCaseStarted;
      const attempt: Attempt = { testCaseId: s.testCaseId, attempt: s.attempt ?? 0, results: new Map(), finished: false };
      this.attempts.set(s.id, attempt);
      const previous = this.latest.get(s.testCaseId);
      if (previous === undefined || attempt.attempt >= previous.attempt) this.latest.set(s.testCaseId, attempt);
    }
    if (e.testStepStarted) {
      const a = this.attempts.get(e.testStepStarted.testCaseStartedId);
      if (a) a.lastStartedStep = e.testStepStarted.testStepId;
    }
    if (e.testStepFinished) {
      const a = this.attempts.get(e.testStepFinished.testCaseStartedId);
      if (a) a.results.set(e.testStepFinished.testStepId, e.testStepFinished.testStepResult);
    }
    if (e.testCaseFinished) {
      const a = this.attempts.get(e.testCaseFinished.testCaseStartedId);
      if (a) a.finished = true;
    }
    if (e.testRunFinished) {
      const f = e.testRunFinished;
      const exception = f.exception ? `${f.exception.type}: ${f.exception.message ?? ''}`.trim() : f.message;
      this.finished = exception !== undefined && exception !== '' ? { success: f.success, exception } : { success: f.success };
    }
  }

  private addScenario(uri: string, scenario: Scenario, ruleId: string | undefined): void {
    this.scenarios.set(scenario.id, ruleId === undefined ? { uri, line: scenario.location.line, name: scenario.name } : { uri, line: scenario.location.line, name: scenario.name, ruleId });
    this.addSteps(scenario.steps);
    for (const examples of scenario.examples) for (const row of examples.tableBody) this.exampleRowLines.set(row.id, row.location.line);
  }

  private addSteps(steps: readonly Step[]): void {
    for (const step of steps) this.stepKeywords.set(step.id, step.keyword.trim());
  }

  private addDocument(doc: GherkinDocument): void {
    const uri = doc.uri ?? 'unknown';
    for (const child of doc.feature?.children ?? []) {
      if (child.background) this.addSteps(child.background.steps);
      if (child.scenario) this.addScenario(uri, child.scenario, undefined);
      if (child.rule) {
        const ids = child.rule.tags.flatMap((t) => ID_TAG.exec(t.name)?.[1] ?? []);
        const ruleId = ids.length === 1 ? ids[0] : undefined;
        for (const rc of child.rule.children) {
          if (rc.background) this.addSteps(rc.background.steps);
          if (rc.scenario) this.addScenario(uri, rc.scenario, ruleId);
        }
      }
    }
  }

  /** The latest attempt of a test case (retries replace earlier attempts). */
  latestAttempt(testCaseId: string): Attempt | undefined {
    return this.latest.get(testCaseId);
  }

  stepLabel(step: TestStep | undefined): { label: string; isGherkinStep: boolean } {
    if (step?.pickleStepId !== undefined) {
      const pickleStep = this.pickleSteps.get(step.pickleStepId);
      if (pickleStep) {
        const keyword = pickleStep.astNodeIds.map((id) => this.stepKeywords.get(id)).find((k) => k !== undefined);
        return { label: keyword !== undefined ? `${keyword} ${pickleStep.text}` : pickleStep.text, isGherkinStep: true };
      }
      return { label: 'a step', isGherkinStep: true };
    }
    if (step?.hookId !== undefined) {
      const hook = this.hooks.get(step.hookId);
      const kind = hook?.type === 'AFTER_TEST_CASE' ? 'After hook' : hook?.type === 'BEFORE_TEST_CASE' ? 'Before hook' : 'hook';
      return { label: hook?.name ? `${kind} "${hook.name}"` : kind, isGherkinStep: false };
    }
    return { label: 'a step', isGherkinStep: false };
  }
}

interface PickleOutcome extends VerdictWithMessage {
  readonly exampleLine?: number;
}

function outcomeOfTestCase(index: MessageIndex, testCase: TestCase): VerdictWithMessage {
  const attempt = index.latestAttempt(testCase.id);
  if (!attempt || !attempt.finished) {
    const last = attempt?.lastStartedStep;
    const step = last !== undefined ? index.stepLabel(testCase.testSteps.find((s) => s.id === last)).label : undefined;
    return step !== undefined
      ? { verdict: 'error', step, message: 'did not finish' }
      : { verdict: 'error', message: 'did not finish' };
  }
  const steps: StepOutcome[] = [];
  for (const testStep of testCase.testSteps) {
    const result = attempt.results.get(testStep.id);
    if (!result) continue;
    steps.push({ ...index.stepLabel(testStep), result });
  }
  return verdictOfSteps(steps);
}

function emptyTotals(): { -readonly [K in keyof LevelTotals]: number } {
  return { rules: 0, checked: 0, pass: 0, fail: 0, error: 0, notApplicable: 0, notRun: 0 };
}

/** Verdicts of a rule that the run checked (as opposed to not applicable or not run). */
export const CHECKED_VERDICTS: readonly Verdict[] = ['pass', 'fail', 'error', 'known-failure', 'unexpected-pass'];

const TOTAL_KEY: Record<Verdict, keyof LevelTotals> = {
  pass: 'pass',
  fail: 'fail',
  error: 'error',
  'not-applicable': 'notApplicable',
  'not-run': 'notRun',
  'known-failure': 'knownFailure',
  'unexpected-pass': 'unexpectedPass',
};

/**
 * Rule counts per level and verdict. `knownFailure` and `unexpectedPass` are present only with
 * `withExpectations` (an expectations file was applied), so reports without one keep their shape.
 */
export function computeTotals(rules: readonly RuleResult[], withExpectations = false): Record<RuleLevel, LevelTotals> {
  const make = () => (withExpectations ? { ...emptyTotals(), knownFailure: 0, unexpectedPass: 0 } : emptyTotals());
  const totals = { normative: make(), reference: make() };
  for (const rule of rules) {
    const t: Record<string, number> = totals[rule.level];
    t['rules'] = (t['rules'] ?? 0) + 1;
    if (CHECKED_VERDICTS.includes(rule.verdict)) t['checked'] = (t['checked'] ?? 0) + 1;
    const key = TOTAL_KEY[rule.verdict];
    t[key] = (t[key] ?? 0) + 1;
  }
  return totals;
}

/** The levels a profile counts toward conformance. */
export function countedLevels(profile: Profile): readonly RuleLevel[] {
  return profile === 'strict' ? RULE_LEVELS : ['normative'];
}

/** Every expectations entry applied to a rule or to one of its scenarios. */
export function appliedExpectations(rules: readonly RuleResult[]): AppliedExpectation[] {
  return rules.flatMap((r) => [...(r.expectation ? [r.expectation] : []), ...r.scenarios.flatMap((s) => (s.expectation ? [s.expectation] : []))]);
}

/** How a report is judged beyond its rules, problems and profile. */
export interface JudgeOptions {
  /**
   * Judge only the rules the run selected: one whose scenarios were all not run counts neither
   * way (a run narrowed by `--tags` or `--name`, a shard).
   */
  readonly selectedOnly?: boolean;
  /** Capabilities given with `--require` that the implementation lacks: the run is not conformant. */
  readonly missingRequired?: readonly string[];
}

/** The judging options a report's own fields call for (its scope, shard and capabilities). */
export function judgeOptionsOf(report: Pick<ConformanceReport, 'scope' | 'run' | 'capabilities'>): JudgeOptions {
  const missingRequired = (report.capabilities?.missing ?? []).filter((m) => m.required).map((m) => m.capability);
  return {
    ...(report.scope?.narrowedBy !== undefined || report.run.shard !== undefined ? { selectedOnly: true } : {}),
    ...(missingRequired.length > 0 ? { missingRequired } : {}),
  };
}

/**
 * Whether a rule counts toward conformance: its level is one the profile counts, or it failed the
 * contract of a capability the implementation claims (never a reference choice made differently).
 */
export function isCounted(rule: RuleResult, profile: Profile): boolean {
  return countedLevels(profile).includes(rule.level) || rule.contract === true;
}

/**
 * The outcome of a report (see {@link Outcome}). Expectations entries count whatever the level
 * of the rule they name: an entry that is not met makes the run non-conformant, or a harness
 * error when what it names errored. An error in any rule, counted or not, is a harness error: a
 * crash or a hang is never part of a clean result.
 */
export function decideOutcome(rules: readonly RuleResult[], problems: readonly ReportProblem[], profile: Profile, options: JudgeOptions = {}): Outcome {
  const judged = options.selectedOnly ? rules.filter((r) => r.verdict !== 'not-run') : rules;
  const counted = judged.filter((r) => isCounted(r, profile));
  const unmet = appliedExpectations(judged).filter((e) => e.status === 'unexpected-pass' || e.status === 'mismatch');
  if (problems.length > 0 || counted.length === 0 || judged.some((r) => r.verdict === 'error')) return 'harness-error';
  if (unmet.some((e) => e.measured === 'error')) return 'harness-error';
  if (unmet.length > 0 || (options.missingRequired ?? []).length > 0) return 'non-conformant';
  if (counted.every((r) => r.verdict === 'pass' || r.verdict === 'not-applicable' || r.verdict === 'known-failure')) return 'conformant';
  return 'non-conformant';
}

function scenarioKey(ruleId: string, line: number): string {
  return `${ruleId}@${line}`;
}

/** The statements a rule cites that spec/ has, in citation order (an unknown id is left out). */
function citations(ids: readonly string[], spec: ReadonlyMap<string, SpecStatement>): SpecCitation[] {
  return ids.flatMap((id) => {
    const s = spec.get(id);
    return s ? [{ id, level: s.level, text: s.text, where: s.where, file: s.file }] : [];
  });
}

export function buildReport(input: BuildReportInput): ConformanceReport {
  const { catalogue, profile } = input;
  const index = new MessageIndex(input.envelopes);
  const problems: ReportProblem[] = [
    ...catalogue.problems.map((p) => ({ kind: p.kind, file: p.file, line: p.line, message: p.message })),
    ...index.parseErrors,
    ...(input.problems ?? []),
  ];

  const ruleById = new Map<string, RuleEntry>(catalogue.rules.map((r) => [r.id, r]));
  const caps = input.implementation.capabilities;
  const claimed = caps !== undefined ? new Set(Object.keys(caps).filter((c) => caps[c] === true)) : undefined;
  const outcomes = new Map<string, PickleOutcome[]>();

  for (const pickle of index.pickles.values()) {
    const scenarioId = pickle.astNodeIds[0];
    const node = scenarioId !== undefined ? index.scenarios.get(scenarioId) : undefined;
    const ruleId = node?.ruleId ?? pickle.tags.flatMap((t) => ID_TAG.exec(t.name)?.[1] ?? [])[0];
    const line = node?.line ?? pickle.location?.line;
    const rule = ruleId !== undefined ? ruleById.get(ruleId) : undefined;
    const testCase = index.testCaseOfPickle.get(pickle.id);
    const inCatalogue = rule !== undefined && line !== undefined && rule.scenarios.some((s) => s.line === line);
    if (!inCatalogue || rule === undefined || line === undefined) {
      if (testCase) {
        const where = `${pickle.uri}:${line ?? pickle.location?.line ?? 0}`;
        problems.push({
          kind: 'unmapped-test-case',
          file: pickle.uri,
          line: line ?? 0,
          message: `${where}: scenario "${pickle.name}" ran but belongs to no rule of the catalogue${ruleId !== undefined ? ` (rule @${ruleId})` : ''}`,
        });
      }
      continue;
    }
    const rowId = pickle.astNodeIds[1];
    const exampleLine = rowId !== undefined ? index.exampleRowLines.get(rowId) : undefined;
    let outcome: VerdictWithMessage = testCase ? outcomeOfTestCase(index, testCase) : { verdict: 'not-run' };
    if (outcome.verdict === 'not-applicable' && claimed !== undefined) {
      // Not applicable only for a capability the implementation lacks; a scenario skipped although
      // it claims all it needs was skipped by the run stopping (--fail-fast): not run.
      const needs = [...new Set([...rule.requires, ...(rule.scenarios.find((sc) => sc.line === line)?.requires ?? [])])];
      if (needs.every((c) => claimed.has(c))) outcome = { verdict: 'not-run', message: 'skipped: the run stopped before it (--fail-fast)' };
    }
    const list = outcomes.get(scenarioKey(rule.id, line)) ?? [];
    list.push(exampleLine === undefined ? outcome : { ...outcome, exampleLine });
    outcomes.set(scenarioKey(rule.id, line), list);
  }

  const rules: RuleResult[] = catalogue.rules.map((rule) => {
    const scenarios: ScenarioResult[] = rule.scenarios.map((s) => {
      const list = outcomes.get(scenarioKey(rule.id, s.line)) ?? [];
      const verdict = combineVerdicts(list.map((o) => o.verdict));
      const decisive = list.find((o) => o.verdict === verdict && (o.message !== undefined || o.step !== undefined));
      const result: { -readonly [K in keyof ScenarioResult]: ScenarioResult[K] } = { name: s.name, line: s.line, verdict };
      if (decisive?.step !== undefined) result.step = decisive.step;
      if (decisive?.message !== undefined) {
        result.message = decisive.exampleLine !== undefined ? trimMessage(`example at line ${decisive.exampleLine}: ${decisive.message}`) : decisive.message;
      }
      if (verdict === 'fail' && list.some((o) => o.verdict === 'fail' && o.contract === true)) result.contract = true;
      if (verdict === 'not-applicable') {
        const needs = [...new Set([...rule.requires, ...s.requires])];
        const missing = claimed !== undefined ? needs.filter((c) => !claimed.has(c)) : needs;
        if (missing.length > 0) result.missing = missing;
      }
      return result;
    });
    return {
      id: rule.id,
      level: rule.level,
      title: rule.title,
      statement: rule.statement,
      source: rule.source,
      feature: rule.feature,
      featureName: rule.featureName,
      line: rule.line,
      spec: rule.spec,
      ...(input.spec !== undefined ? { cites: citations(rule.spec, input.spec) } : {}),
      choices: rule.choices,
      requires: rule.requires,
      halves: rule.halves,
      verdict: combineVerdicts(scenarios.map((s) => s.verdict)),
      scenarios,
      ...(scenarios.some((s) => s.contract === true) ? { contract: true as const } : {}),
    };
  });

  if (catalogue.rules.length === 0) {
    problems.push({ kind: 'no-rules', message: 'the catalogue has no rules: nothing was measured' });
  }
  if (input.envelopes.length === 0) {
    problems.push({ kind: 'no-messages', message: 'there are no Cucumber messages: the run produced nothing' });
  } else if (index.finished === undefined) {
    problems.push({ kind: 'run-incomplete', message: 'the run did not finish: the messages end before testRunFinished' });
  } else if (index.finished?.exception !== undefined) {
    problems.push({ kind: 'run-failed', message: `Cucumber reported an error for the run: ${trimMessage(index.finished.exception)}` });
  }

  const run: { -readonly [K in keyof RunInfo]: RunInfo[K] } = { finished: index.finished !== undefined };
  if (index.finished !== undefined) run.success = index.finished.success;
  if (index.cucumberVersion !== undefined) run.cucumberVersion = index.cucumberVersion;

  // The catalogue and Cucumber's parseError messages report the same syntax error in the same words.
  const unique = problems.filter((p, i) => problems.findIndex((q) => q.message === p.message) === i);
  const capabilities = capabilitiesReport(rules, claimed, input.required ?? []);
  const scope: RunScope = {
    halves: input.scope?.halves ?? ['guest', 'host', 'whole'],
    ...(input.scope?.narrowedBy !== undefined ? { narrowedBy: input.scope.narrowedBy } : {}),
    rules: rules.length,
    selected: rules.filter((r) => r.verdict !== 'not-run').length,
    ...(input.scope?.failFast === true ? { failFast: true as const } : {}),
  };
  const outcome = decideOutcome(rules, unique, profile, judgeOptionsOf({ scope, run, capabilities }));
  return {
    harness: input.harness,
    implementation: input.implementation,
    profile,
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    run,
    totals: computeTotals(rules),
    conformant: outcome === 'conformant',
    outcome,
    rules,
    problems: unique,
    scope,
    capabilities,
  };
}

/**
 * The capabilities the rules of a run needed and the implementation lacks, each with the rules it
 * left (partly) not applicable, and whether `--require` names it.
 */
export function capabilitiesReport(rules: readonly RuleResult[], claimed: ReadonlySet<string> | undefined, required: readonly string[]): CapabilitiesReport {
  const requiredSet = new Set(required.includes('all') ? ALL_CAPABILITIES : required);
  const byCapability = new Map<string, string[]>();
  for (const rule of rules) {
    for (const capability of new Set(rule.scenarios.flatMap((s) => s.missing ?? []))) {
      byCapability.set(capability, [...(byCapability.get(capability) ?? []), rule.id]);
    }
  }
  // A required capability the implementation does not claim is missing even where no rule of this
  // run needed it.
  if (claimed !== undefined) for (const capability of requiredSet) if (!claimed.has(capability) && !byCapability.has(capability)) byCapability.set(capability, []);
  const order = (c: string) => (ALL_CAPABILITIES.indexOf(c) === -1 ? ALL_CAPABILITIES.length : ALL_CAPABILITIES.indexOf(c));
  const missing = [...byCapability.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([capability, ids]) => ({ capability, rules: ids, required: requiredSet.has(capability) }));
  return {
    ...(claimed !== undefined ? { claimed: ALL_CAPABILITIES.filter((c) => claimed.has(c)).concat([...claimed].filter((c) => !ALL_CAPABILITIES.includes(c))) } : {}),
    missing,
    required: [...requiredSet],
  };
}
