/**
 * Small synthetic conformance reports, built the way `buildReport` builds them (measured verdicts,
 * totals, outcome), for the expectations, comparison and browser tests.
 */
import type { RuleLevel } from '../../../src/catalogue/catalogue.js';
import { applyExpectations } from '../../../src/expectations/index.js';
import { buildComparison, type Comparison } from '../../../src/report/comparison/index.js';
import { computeTotals, decideOutcome } from '../../../src/report/build.js';
import type { ConformanceReport, ImplementationSummary, MeasuredVerdict, Profile, RuleResult, ScenarioResult } from '../../../src/report/types.js';
import { combineVerdicts } from '../../../src/report/verdict.js';

export interface RuleSpec {
  readonly id: string;
  readonly level?: RuleLevel;
  readonly feature?: string;
  readonly title?: string;
  /** One verdict per scenario (named `<id> scenario <n>` unless `names` says otherwise). */
  readonly scenarios: readonly MeasuredVerdict[];
  readonly names?: readonly string[];
  readonly messages?: readonly (string | undefined)[];
}

export function ruleResult(spec: RuleSpec): RuleResult {
  const scenarios: ScenarioResult[] = spec.scenarios.map((verdict, i) => {
    const message = spec.messages?.[i] ?? (verdict === 'fail' ? `assertion ${spec.id}/${i + 1}` : verdict === 'error' ? `Error: crash ${spec.id}/${i + 1}` : undefined);
    return { name: spec.names?.[i] ?? `${spec.id} scenario ${i + 1}`, line: 10 + i * 5, verdict, ...(message !== undefined ? { message } : {}) };
  });
  const feature = spec.feature ?? `features/${spec.id.split('-')[0]!.toLowerCase()}.feature`;
  return {
    id: spec.id,
    level: spec.level ?? 'normative',
    title: spec.title ?? `title of ${spec.id}`,
    statement: '',
    source: `https://example.com/${spec.id}`,
    feature,
    halves: ['guest'],
    featureName: `Feature ${feature}`,
    line: 5,
    spec: [],
    choices: [],
    requires: [],
    verdict: combineVerdicts(scenarios.map((s) => s.verdict)),
    scenarios,
  };
}

export function makeReport(
  rules: readonly RuleSpec[],
  options: { implementation?: Partial<ImplementationSummary>; profile?: Profile } = {},
): ConformanceReport {
  const results = rules.map(ruleResult);
  const profile = options.profile ?? 'normative';
  const outcome = decideOutcome(results, [], profile);
  return {
    harness: { name: 'vmbus-conformance', version: '0.1.0' },
    implementation: { name: 'impl', version: '1.0', language: 'TypeScript', ...options.implementation },
    profile,
    generatedAt: '2026-01-02T03:04:05.000Z',
    run: { finished: true, success: true, cucumberVersion: '12.9.0' },
    totals: computeTotals(results),
    conformant: outcome === 'conformant',
    outcome,
    rules: results,
    problems: [],
  };
}

/** An implementation name that runs script wherever it is not escaped. */
export const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const RULES: RuleSpec[] = [
  { id: 'MAP-04', feature: 'features/map_gpadl.feature', scenarios: ['pass'] },
  { id: 'MAP-05', level: 'reference', feature: 'features/map_gpadl.feature', scenarios: ['pass'] },
  { id: 'DEL-01', feature: 'features/delete_gpadl.feature', scenarios: ['pass', 'pass'] },
];

/** Two reports: the reference, and a hostile implementation that fails MAP-04 (expected) and MAP-05. */
export function twoReports(): Comparison {
  const good = makeReport(RULES, { implementation: { name: 'reference model', version: '0.1.0' } });
  const badMeasured = makeReport(
    [
      { ...RULES[0]!, scenarios: ['fail'], messages: [`expected STATUS_DEVICE_BUSY | got ${HOSTILE}`] },
      { ...RULES[1]!, scenarios: ['fail'] },
      { ...RULES[2]!, scenarios: ['pass', 'error'], messages: [undefined, `Error: ${HOSTILE}`] },
    ],
    { implementation: { name: HOSTILE, version: `1.0 | *${HOSTILE}*`, language: '`code`' } },
  );
  const bad = applyExpectations(
    badMeasured,
    { implementation: HOSTILE, expectations: [{ rule: 'MAP-04', verdict: 'fail', reason: `double map ${HOSTILE}`, issue: 'https://example.com/issues/4?a=1&b=2' }] },
    'expectations/bad.json',
  );
  return buildComparison(
    [
      { report: good, spec: 'inproc:reference', dir: 'reference-model' },
      { report: bad, spec: `module:${HOSTILE}`, dir: 'img-src-x' },
    ],
    { generatedAt: '2026-02-03T04:05:06.000Z' },
  );
}

