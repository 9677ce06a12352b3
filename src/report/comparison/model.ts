/**
 * The comparison of several implementations' conformance reports: one matrix of rules (grouped by
 * feature) against implementations, with each implementation's denominators and the run's
 * metadata. Built from the reports alone; rendered by `markdown.ts` and `html.ts`.
 */
import { RULE_LEVELS, type RuleLevel } from '../../catalogue/catalogue.js';
import { countedLevels } from '../build.js';
import type { AppliedExpectation, ConformanceReport, HarnessInfo, LevelTotals, Outcome, Profile, Verdict } from '../types.js';
import { PLUGIN_PROTOCOL_VERSION, SPEC_VERSION } from './meta.js';

/** One implementation's run, as the CLI hands it over. */
export interface ComparedRun {
  readonly report: ConformanceReport;
  /** The spec given to `--impl`. */
  readonly spec: string;
  /** Its reports' directory, relative to the comparison's. */
  readonly dir: string;
}

export interface ComparedImplementation {
  readonly name: string;
  readonly version: string;
  readonly language: string;
  readonly spec: string;
  readonly dir: string;
  readonly profile: Profile;
  readonly outcome: Outcome;
  readonly exitCode: number;
  readonly totals: Readonly<Record<RuleLevel, LevelTotals>>;
  /** The expectations file applied to it, when one was. */
  readonly expectations?: string;
  readonly problems: readonly string[];
}

/** A cell: a rule's verdict for one implementation; `absent` when its report has no such rule. */
export interface ComparedCell {
  readonly verdict: Verdict | 'absent';
  /** The expectations entry that applies to the rule or to one of its scenarios. */
  readonly expectation?: AppliedExpectation;
  /** The first message of a scenario that did not pass. */
  readonly message?: string;
  /** A failure of a rule the run's profile does not count: a reference choice made differently. */
  readonly differs?: true;
}

export interface ComparedRule {
  readonly id: string;
  readonly level: RuleLevel;
  readonly title: string;
  readonly source: string;
  readonly cells: readonly ComparedCell[];
}

export interface ComparedFeature {
  /** The feature file, e.g. `features/map_gpadl.feature`. */
  readonly feature: string;
  readonly name: string;
  readonly rules: readonly ComparedRule[];
}

export interface ComparisonMeta {
  readonly harness: HarnessInfo;
  readonly protocolVersion: number;
  readonly sources: string;
  readonly generatedAt: string;
  /** A random seed of the run, when there was one (the suite is deterministic today). */
  readonly seed?: string;
}

export interface Comparison {
  readonly meta: ComparisonMeta;
  readonly implementations: readonly ComparedImplementation[];
  readonly features: readonly ComparedFeature[];
}

export interface ComparisonOptions {
  readonly generatedAt?: string;
  readonly seed?: string;
}

/** The `run` command's exit code for an outcome (as in `src/cli/exit.ts`). */
const EXIT_CODE_OF_OUTCOME: Record<Outcome, number> = { conformant: 0, 'non-conformant': 1, 'harness-error': 2 };

export function buildComparison(runs: readonly ComparedRun[], options: ComparisonOptions = {}): Comparison {
  const first = runs[0]?.report;
  const meta: ComparisonMeta = {
    harness: first?.harness ?? { name: 'vmbus-conformance', version: 'unknown' },
    protocolVersion: PLUGIN_PROTOCOL_VERSION,
    sources: SPEC_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  const implementations = runs.map(({ report, spec, dir }): ComparedImplementation => ({
    name: report.implementation.name,
    version: report.implementation.version,
    language: report.implementation.language,
    spec,
    dir,
    profile: report.profile,
    outcome: report.outcome,
    exitCode: EXIT_CODE_OF_OUTCOME[report.outcome],
    totals: report.totals,
    ...(report.expectations !== undefined ? { expectations: report.expectations.file } : {}),
    problems: report.problems.map((p) => p.message),
  }));

  // Rules in the order of the first report that has them, grouped by feature in first-seen order.
  const features = new Map<string, { name: string; ids: string[] }>();
  const seen = new Map<string, { level: RuleLevel; title: string; source: string }>();
  for (const { report } of runs) {
    for (const rule of report.rules) {
      if (seen.has(rule.id)) continue;
      seen.set(rule.id, { level: rule.level, title: rule.title, source: rule.source });
      const group = features.get(rule.feature) ?? { name: rule.featureName, ids: [] };
      group.ids.push(rule.id);
      features.set(rule.feature, group);
    }
  }
  const byId = runs.map(({ report }) => new Map(report.rules.map((r) => [r.id, r])));
  const counted = runs.map(({ report }) => countedLevels(report.profile));
  return {
    meta,
    implementations,
    features: [...features].map(([feature, group]) => ({
      feature,
      name: group.name,
      rules: group.ids.map((id) => {
        const info = seen.get(id)!;
        return {
          id,
          ...info,
          cells: byId.map((rules, run) => {
            const rule = rules.get(id);
            if (rule === undefined) return { verdict: 'absent' as const };
            const expectation = rule.expectation ?? rule.scenarios.find((s) => s.expectation !== undefined)?.expectation;
            const message = rule.scenarios.find((s) => s.message !== undefined && s.verdict !== 'pass')?.message;
            const differs = rule.verdict === 'fail' && !counted[run]!.includes(rule.level);
            return { verdict: rule.verdict, ...(differs ? { differs: true as const } : {}), ...(expectation ? { expectation } : {}), ...(message !== undefined ? { message } : {}) };
          }),
        };
      }),
    })),
  };
}

/** `normative: 38/39` with `(1 known failure, 1 not applicable)` when there are any. */
export function denominator(level: RuleLevel, totals: LevelTotals): string {
  const extra: string[] = [];
  if ((totals.knownFailure ?? 0) > 0) extra.push(`${totals.knownFailure} known failure`);
  if ((totals.unexpectedPass ?? 0) > 0) extra.push(`${totals.unexpectedPass} unexpected pass`);
  if (totals.notApplicable > 0) extra.push(`${totals.notApplicable} not applicable`);
  return `${level}: ${totals.pass}/${totals.rules}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

export function denominators(implementation: ComparedImplementation): string[] {
  return RULE_LEVELS.map((level) => denominator(level, implementation.totals[level]));
}

/** The cell of a reference rule that the run's profile does not count and that failed. */
export const DIFFERS_TEXT = 'differs (choice)';

export const COMPARISON_VERDICT_TEXT: Record<Verdict | 'absent', string> = {
  pass: 'pass',
  fail: 'FAIL',
  error: 'ERROR',
  'not-applicable': 'n/a',
  'not-run': 'not run',
  'known-failure': 'known failure',
  'unexpected-pass': 'UNEXPECTED PASS',
  absent: '—',
};

export const OUTCOME_TEXT: Record<Outcome, string> = {
  conformant: 'CONFORMANT',
  'non-conformant': 'NOT CONFORMANT',
  'harness-error': 'HARNESS OR IMPLEMENTATION ERROR',
};
