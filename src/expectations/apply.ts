/**
 * Applies an expectations file to a report, web-platform-tests style. For each entry, the
 * measured verdict of what it names (a rule's combined verdict, or a scenario's) is compared with
 * the expected one:
 *
 * | measured | report verdict | entry status | the run |
 * |---|---|---|---|
 * | the expected `fail` / `error` | `known-failure` | met | not failed by it |
 * | the expected `not-applicable` | `not-applicable` | met | not failed by it |
 * | `pass` | `unexpected-pass` | unexpected-pass | non-conformant (1) |
 * | another `fail` or `not-applicable` | as measured | mismatch | non-conformant (1) |
 * | another `error` | `error` | mismatch | harness error (2) |
 * | `not-run` (filtered out) | `not-run` | not-run | as without the entry |
 *
 * A rule entry expecting `fail` whose rule also has an erroring scenario is a mismatch measured as
 * `error`: a known failure never hides a crash. In a rule whose entry is met, the scenarios with the
 * expected verdict become `known-failure`; in a rule that passed unexpectedly, its passing
 * scenarios become `unexpected-pass`; a rule with scenario entries combines its scenarios again.
 * Entries count whatever the rule's level and the profile. An entry that names nothing (or what
 * another entry names) is a problem of kind `expectation-error`: a harness error (2).
 */
import { computeTotals, decideOutcome, judgeOptionsOf } from '../report/build.js';
import type {
  AppliedExpectation,
  ConformanceReport,
  ExpectationStatus,
  ExpectedVerdict,
  ExpectationsSummary,
  MeasuredVerdict,
  RuleResult,
  ScenarioResult,
  Verdict,
} from '../report/types.js';
import { combineVerdicts } from '../report/verdict.js';
import { resolveEntries } from './resolve.js';
import { describeTarget, isTodoReason, type ExpectationEntry, type ExpectationsFile } from './types.js';

/** The status of an entry and the verdict the report shows, from the expected and measured verdicts. */
export function judge(expected: ExpectedVerdict, measured: MeasuredVerdict): { status: ExpectationStatus; verdict: Verdict } {
  if (measured === 'not-run') return { status: 'not-run', verdict: 'not-run' };
  if (measured === expected) return { status: 'met', verdict: expected === 'not-applicable' ? 'not-applicable' : 'known-failure' };
  if (measured === 'pass') return { status: 'unexpected-pass', verdict: 'unexpected-pass' };
  return { status: 'mismatch', verdict: measured };
}

function applied(entry: ExpectationEntry, index: number, measured: MeasuredVerdict, status: ExpectationStatus): AppliedExpectation {
  return { expected: entry.verdict, measured, status, reason: entry.reason, ...(entry.issue !== undefined ? { issue: entry.issue } : {}), entry: index };
}

/** A measured verdict: what a report holds before expectations are applied. */
function measuredOf(verdict: Verdict): MeasuredVerdict {
  if (verdict === 'known-failure' || verdict === 'unexpected-pass') {
    throw new Error('expectations are applied to a report that already has expectations applied');
  }
  return verdict;
}

function applyToRule(rule: RuleResult, entry: ExpectationEntry, index: number): RuleResult {
  const measuredRule = measuredOf(rule.verdict);
  // A crash next to the expected failure is not the expected failure.
  const stray = rule.scenarios.find((s) => !['pass', 'not-applicable', 'not-run', entry.verdict].includes(s.verdict));
  const measured: MeasuredVerdict = measuredRule === entry.verdict && stray !== undefined ? measuredOf(stray.verdict) : measuredRule;
  const { status, verdict } = measured === measuredRule ? judge(entry.verdict, measured) : { status: 'mismatch' as const, verdict: measuredRule };
  const scenarios = rule.scenarios.map((s): ScenarioResult => {
    if (status === 'met' && s.verdict === entry.verdict && verdict === 'known-failure') return { ...s, verdict: 'known-failure' };
    if (status === 'unexpected-pass' && s.verdict === 'pass') return { ...s, verdict: 'unexpected-pass' };
    return s;
  });
  return { ...rule, verdict, scenarios, expectation: applied(entry, index, measured, status) };
}

function applyToScenario(scenario: ScenarioResult, entry: ExpectationEntry, index: number): ScenarioResult {
  const measured = measuredOf(scenario.verdict);
  const { status, verdict } = judge(entry.verdict, measured);
  return { ...scenario, verdict, expectation: applied(entry, index, measured, status) };
}

/**
 * The report with the file's entries applied: verdicts, totals (with `knownFailure` and
 * `unexpectedPass`), outcome, an `expectations` summary, and a problem per entry that names
 * nothing. `fileLabel` is how the report names the file (the path as given).
 */
export function applyExpectations(report: ConformanceReport, expectations: ExpectationsFile, fileLabel: string): ConformanceReport {
  const { resolved, problems } = resolveEntries(report.rules, expectations.expectations, fileLabel);
  const rules = [...report.rules];
  const byRule = new Map<number, typeof resolved>();
  for (const r of resolved) byRule.set(r.rule, [...(byRule.get(r.rule) ?? []), r]);
  for (const [ruleIndex, list] of byRule) {
    const rule = rules[ruleIndex]!;
    const ruleEntry = list.find((r) => r.scenario === undefined);
    if (ruleEntry) {
      rules[ruleIndex] = applyToRule(rule, ruleEntry.entry, ruleEntry.index);
      continue;
    }
    const scenarios = [...rule.scenarios];
    for (const r of list) scenarios[r.scenario!] = applyToScenario(scenarios[r.scenario!]!, r.entry, r.index);
    rules[ruleIndex] = { ...rule, scenarios, verdict: combineVerdicts(scenarios.map((s) => s.verdict)) };
  }

  const statuses = rules.flatMap((r) => [r.expectation, ...r.scenarios.map((s) => s.expectation)]).flatMap((e) => (e ? [e.status] : []));
  const count = (status: ExpectationStatus) => statuses.filter((s) => s === status).length;
  const summary: ExpectationsSummary = {
    file: fileLabel,
    implementation: expectations.implementation,
    entries: expectations.expectations.length,
    met: count('met'),
    unexpectedPasses: count('unexpected-pass'),
    mismatches: count('mismatch'),
    notRun: count('not-run'),
    todo: expectations.expectations.filter((e) => isTodoReason(e.reason)).map(describeTarget),
  };
  const allProblems = [...report.problems, ...problems];
  const outcome = decideOutcome(rules, allProblems, report.profile, judgeOptionsOf(report));
  return {
    ...report,
    totals: computeTotals(rules, true),
    conformant: outcome === 'conformant',
    outcome,
    rules,
    problems: allProblems,
    expectations: summary,
  };
}
