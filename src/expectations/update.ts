/**
 * `--update-expectations`: rewrites an implementation's expectations file from a run, so that
 * applying the new file to the same run meets every entry.
 *
 * - An entry whose rule or scenario did not run (filtered out) is kept as it is.
 * - An entry whose rule or scenario now passes is removed; so is one that names nothing.
 * - An entry whose verdict changed keeps its reason and issue and takes the new verdict. A rule
 *   entry whose rule now has scenarios with different non-passing verdicts (say one fails and one
 *   errors) becomes one entry per such scenario, each with the rule entry's reason and issue.
 * - Every rule that fails or errors without an entry gets one (one per scenario where its
 *   scenarios disagree, or where the rule already has scenario entries), with the reason
 *   {@link TODO_REASON} and no issue: every run warns about those until someone explains them.
 *
 * Rules of every level get entries: expectations count whatever the profile. Entries are written
 * in catalogue order.
 */
import type { ConformanceReport, ExpectedVerdict, MeasuredVerdict, RuleResult, Verdict } from '../report/types.js';
import { resolveEntries } from './resolve.js';
import { describeTarget, TODO_REASON, type ExpectationEntry, type ExpectationsFile } from './types.js';

export interface ExpectationsUpdate {
  readonly content: ExpectationsFile;
  /** Targets of the entries added with a TODO reason. */
  readonly added: readonly string[];
  /** Targets of the entries removed, and why. */
  readonly removed: readonly { readonly target: string; readonly why: string }[];
  /** Targets whose expected verdict changed. */
  readonly changed: readonly { readonly target: string; readonly from: ExpectedVerdict; readonly to: ExpectedVerdict }[];
}

const FAILING: readonly Verdict[] = ['fail', 'error'];

function measured(verdict: Verdict): MeasuredVerdict {
  if (verdict === 'known-failure' || verdict === 'unexpected-pass') throw new Error('update works on the measured report, before expectations are applied');
  return verdict;
}

/** The non-passing verdicts of a rule's scenarios that an entry would have to expect. */
function failingVerdicts(rule: RuleResult): Set<Verdict> {
  return new Set(rule.scenarios.map((s) => s.verdict).filter((v) => FAILING.includes(v)));
}

interface Sorted {
  readonly rule: number;
  /** -1 for a rule entry. */
  readonly scenario: number;
  readonly entry: ExpectationEntry;
}

function withVerdict(entry: ExpectationEntry, verdict: ExpectedVerdict): ExpectationEntry {
  return { ...entry, verdict };
}

/**
 * The new file for `implementation` from the measured report `raw` (no expectations applied) and
 * the previous file, if any.
 */
export function updateExpectations(raw: ConformanceReport, previous: ExpectationsFile | undefined, implementation: string, fileLabel = 'expectations'): ExpectationsUpdate {
  const rules = raw.rules;
  const { resolved, problems } = resolveEntries(rules, previous?.expectations ?? [], fileLabel);
  const out: Sorted[] = [];
  const added: string[] = [];
  const removed: { target: string; why: string }[] = problems.map((p) => ({ target: p.message, why: 'it names nothing in the suite, or what another entry names' }));
  const changed: { target: string; from: ExpectedVerdict; to: ExpectedVerdict }[] = [];
  const covered = new Set<number>();
  const coveredScenarios = new Set<string>();

  const keep = (rule: number, scenario: number, entry: ExpectationEntry, now: MeasuredVerdict): void => {
    if (now === 'not-run' || now === entry.verdict) {
      out.push({ rule, scenario, entry });
    } else if (now === 'pass') {
      removed.push({ target: describeTarget(entry), why: 'it passes now' });
    } else {
      changed.push({ target: describeTarget(entry), from: entry.verdict, to: now });
      out.push({ rule, scenario, entry: withVerdict(entry, now) });
    }
  };

  for (const r of resolved) {
    const rule = rules[r.rule]!;
    covered.add(r.rule);
    if (r.scenario !== undefined) {
      coveredScenarios.add(`${r.rule}/${r.scenario}`);
      keep(r.rule, r.scenario, r.entry, measured(rule.scenarios[r.scenario]!.verdict));
      continue;
    }
    const failing = failingVerdicts(rule);
    if (failing.size > 1) {
      // One verdict no longer describes the rule: an entry per non-passing scenario.
      removed.push({ target: describeTarget(r.entry), why: 'its scenarios now disagree; split into one entry per scenario' });
      rule.scenarios.forEach((s, i) => {
        if (!FAILING.includes(s.verdict)) return;
        const entry: ExpectationEntry = { ...r.entry, rule: rule.id, scenario: s.name, verdict: s.verdict as ExpectedVerdict };
        out.push({ rule: r.rule, scenario: i, entry });
        coveredScenarios.add(`${r.rule}/${i}`);
      });
      continue;
    }
    keep(r.rule, -1, r.entry, measured(rule.verdict));
  }

  rules.forEach((rule, ri) => {
    const failing = failingVerdicts(rule);
    if (failing.size === 0) return;
    const hasScenarioEntries = [...coveredScenarios].some((k) => k.startsWith(`${ri}/`));
    if (covered.has(ri) && !hasScenarioEntries) return;
    if (!covered.has(ri) && failing.size === 1) {
      const entry: ExpectationEntry = { rule: rule.id, verdict: [...failing][0] as ExpectedVerdict, reason: TODO_REASON };
      out.push({ rule: ri, scenario: -1, entry });
      added.push(describeTarget(entry));
      return;
    }
    rule.scenarios.forEach((s, si) => {
      if (!FAILING.includes(s.verdict) || coveredScenarios.has(`${ri}/${si}`)) return;
      const entry: ExpectationEntry = { rule: rule.id, scenario: s.name, verdict: s.verdict as ExpectedVerdict, reason: TODO_REASON };
      out.push({ rule: ri, scenario: si, entry });
      added.push(describeTarget(entry));
    });
  });

  out.sort((a, b) => a.rule - b.rule || a.scenario - b.scenario);
  const content: ExpectationsFile = {
    ...(previous?.$schema !== undefined ? { $schema: previous.$schema } : {}),
    implementation: previous?.implementation ?? implementation,
    expectations: out.map((o) => normalizeEntry(o.entry)),
  };
  return { content, added, removed, changed };
}

/** Key order as documented: rule, scenario, verdict, reason, issue. */
function normalizeEntry(entry: ExpectationEntry): ExpectationEntry {
  return {
    ...(entry.rule !== undefined ? { rule: entry.rule } : {}),
    ...(entry.scenario !== undefined ? { scenario: entry.scenario } : {}),
    verdict: entry.verdict,
    reason: entry.reason,
    ...(entry.issue !== undefined ? { issue: entry.issue } : {}),
  };
}

export function renderExpectationsFile(content: ExpectationsFile): string {
  return `${JSON.stringify(content, null, 2)}\n`;
}
