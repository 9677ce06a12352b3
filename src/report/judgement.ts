/**
 * What a report judged and how each rule came out, in the words every format uses: the
 * denominators with how many rules were checked, the scope (halves, narrowing), the missing and
 * required capabilities, and the rules that did not pass, failures first. `conformance.md`,
 * `summary.md`, `junit.xml` and the terminal all read these, so they say the same thing.
 */
import type { RuleLevel } from '../catalogue/catalogue.js';
import { RULE_LEVELS } from '../catalogue/catalogue.js';
import { CHECKED_VERDICTS, countedLevels, isCounted, judgeOptionsOf } from './build.js';
import type { ConformanceReport, LevelTotals, Outcome, Profile, RuleResult } from './types.js';

export const OUTCOME_LABEL: Record<Outcome, string> = {
  conformant: 'CONFORMANT',
  'non-conformant': 'NOT CONFORMANT',
  'harness-error': 'HARNESS OR IMPLEMENTATION ERROR',
};

/** Rules of a level the run checked (pass, fail, error, known failure, unexpected pass). */
export function checkedOf(totals: LevelTotals): number {
  return totals.checked ?? totals.pass + totals.fail + totals.error + (totals.knownFailure ?? 0) + (totals.unexpectedPass ?? 0);
}

/** A run that judges only the rules it selected: narrowed by `--tags`/`--name`, or a shard. */
export function isNarrowed(report: Pick<ConformanceReport, 'scope' | 'run' | 'capabilities'>): boolean {
  return judgeOptionsOf(report).selectedOnly === true;
}

/**
 * `normative: 41/65 rules pass, 45 checked (3 fail, 1 error, 20 not applicable, 0 not run)`: the
 * denominator is every rule of the level; a not-applicable rule counts neither as a pass nor as a
 * fail. In a narrowed run the denominator is the selected rules and the rest are `not selected`.
 * With an expectations file, `, 1 known failure, 0 unexpected pass` follows.
 */
export function denominatorLine(level: RuleLevel, totals: LevelTotals, narrowed = false): string {
  const expected =
    totals.knownFailure !== undefined || totals.unexpectedPass !== undefined
      ? `, ${totals.knownFailure ?? 0} known failure, ${totals.unexpectedPass ?? 0} unexpected pass`
      : '';
  const checked = checkedOf(totals);
  if (narrowed) {
    return `${level}: ${totals.pass}/${totals.rules - totals.notRun} selected rules pass, ${checked} checked (${totals.fail} fail, ${totals.error} error, ${totals.notApplicable} not applicable${expected}; ${totals.notRun} not selected)`;
  }
  return `${level}: ${totals.pass}/${totals.rules} rules pass, ${checked} checked (${totals.fail} fail, ${totals.error} error, ${totals.notApplicable} not applicable, ${totals.notRun} not run${expected})`;
}

export function denominatorLines(report: ConformanceReport): string[] {
  const narrowed = isNarrowed(report);
  return RULE_LEVELS.map((level) => denominatorLine(level, report.totals[level], narrowed));
}

const HALF_TEXT: Record<string, string> = { guest: 'the guest half', host: 'the host half' };

/**
 * `whole implementation, every rule`, `the guest half (paired with the reference host), narrowed
 * to 3 of 135 rules by --tags @MAP-04`, `shard 2/3: 45 of 135 rules`.
 */
export function scopeText(report: ConformanceReport): string {
  const scope = report.scope;
  if (scope === undefined) return report.run.shard !== undefined ? `shard ${report.run.shard}` : 'every rule';
  const halves = scope.halves.filter((h) => h !== 'whole');
  const what = scope.halves.includes('whole') ? 'the whole implementation' : halves.length === 2 ? 'the guest and host halves (a pairing)' : `${halves.map((h) => HALF_TEXT[h] ?? h).join(' and ')} only (paired with the reference's other half)`;
  const parts = [what];
  if (scope.narrowedBy !== undefined) parts.push(`narrowed to ${scope.selected} of ${scope.rules} rules by ${scope.narrowedBy}`);
  else if (report.run.shard !== undefined) parts.push(`shard ${report.run.shard}: ${scope.selected} of ${scope.rules} rules`);
  else parts.push(`${scope.rules} rules`);
  if (scope.failFast === true) parts.push('stopped at the first failure (--fail-fast)');
  return parts.join(', ');
}

/** `trace (12 rules), violations (8 rules, required)`, or `none`. */
export function missingCapabilitiesText(report: ConformanceReport): string {
  const missing = report.capabilities?.missing ?? [];
  if (missing.length === 0) return 'none';
  return missing.map((m) => `${m.capability} (${m.rules.length} ${m.rules.length === 1 ? 'rule' : 'rules'}${m.required ? ', REQUIRED' : ''})`).join(', ');
}

/**
 * The result line: `result: CONFORMANT (profile normative): checked 24 of 65 normative rules;
 * missing capabilities: trace (12 rules), violations (8 rules)`.
 */
export function resultLine(report: ConformanceReport): string {
  const levels = countedLevels(report.profile);
  const narrowed = isNarrowed(report);
  const checked = levels
    .map((level) => {
      const t = report.totals[level];
      return `${checkedOf(t)} of ${narrowed ? t.rules - t.notRun : t.rules} ${level}${narrowed ? ' selected' : ''} rules`;
    })
    .join(' and ');
  const missing = report.capabilities?.missing ?? [];
  const required = missing.filter((m) => m.required).map((m) => m.capability);
  const tail = [
    `checked ${checked}`,
    ...(missing.length > 0 ? [`missing capabilities: ${missingCapabilitiesText(report)}`] : []),
    ...(required.length > 0 ? [`a required capability is missing (${required.join(', ')}): not conformant`] : []),
    ...(report.scope?.narrowedBy !== undefined ? [`narrowed to ${report.scope.selected} of ${report.scope.rules} rules by ${report.scope.narrowedBy}`] : []),
    ...(report.scope?.failFast === true ? ['stopped at the first failure (--fail-fast): the rules after it are not run'] : []),
  ];
  return `result: ${OUTCOME_LABEL[report.outcome]} (profile ${report.profile}): ${tail.join('; ')}`;
}

/**
 * How a rule that did not pass is shown, and whether it fails the run:
 * - `failure`: it counts and failed, errored or passed unexpectedly, or counts and was not run in a
 *   run that was not narrowed; an error of any level is one too;
 * - `differs`: a failure of a rule the profile does not count (a reference rule under the
 *   normative profile), which is a choice where the docs are silent made otherwise; never a
 *   failure of the contract of a claimed capability ({@link RuleResult.contract}), which counts;
 * - `known`: the known failure an expectations file expects;
 * - `uncounted`: not run, in a rule the profile does not count.
 */
export type Standing = 'failure' | 'differs' | 'known' | 'uncounted';

export function standingOf(rule: RuleResult, profile: Profile, narrowed: boolean): Standing | undefined {
  const counted = isCounted(rule, profile);
  switch (rule.verdict) {
    case 'pass':
    case 'not-applicable':
      return undefined;
    case 'error':
    case 'unexpected-pass':
      return 'failure';
    case 'fail':
      return counted ? 'failure' : 'differs';
    case 'known-failure':
      return 'known';
    case 'not-run':
      if (narrowed) return undefined;
      return counted ? 'failure' : 'uncounted';
  }
}

/** A rule's verdict in words: `FAIL`, `ERROR`, `differs (reference choice)`, `FAIL (contract of a claimed capability)`. */
export function verdictText(rule: RuleResult, profile: Profile): string {
  if (rule.verdict === 'fail') {
    if (!countedLevels(profile).includes(rule.level)) return rule.contract === true ? 'FAIL (contract of a claimed capability)' : 'differs (reference choice)';
    return 'FAIL';
  }
  return { pass: 'pass', error: 'ERROR', 'not-applicable': 'n/a', 'not-run': 'not run', 'known-failure': 'known failure', 'unexpected-pass': 'UNEXPECTED PASS' }[rule.verdict];
}

export interface NotPassed {
  readonly rule: RuleResult;
  readonly standing: Standing;
  readonly verdict: string;
  /** The scenario the message comes from, and its first failure or error message. */
  readonly scenario?: string;
  readonly message?: string;
}

const STANDING_ORDER: readonly Standing[] = ['failure', 'differs', 'known', 'uncounted'];

/** The rules that did not pass, failures first (then differences, known failures, uncounted not-run), catalogue order within. */
export function rulesNotPassed(report: ConformanceReport): NotPassed[] {
  const narrowed = isNarrowed(report);
  const out: NotPassed[] = [];
  for (const rule of report.rules) {
    const standing = standingOf(rule, report.profile, narrowed);
    if (standing === undefined) continue;
    const decisive = rule.scenarios.find((s) => s.verdict === rule.verdict && s.message !== undefined) ?? rule.scenarios.find((s) => s.message !== undefined && s.verdict !== 'pass');
    out.push({
      rule,
      standing,
      verdict: verdictText(rule, report.profile),
      ...(decisive !== undefined ? { scenario: decisive.name } : {}),
      ...(decisive?.message !== undefined ? { message: decisive.message } : {}),
    });
  }
  return out.sort((a, b) => STANDING_ORDER.indexOf(a.standing) - STANDING_ORDER.indexOf(b.standing));
}

/** The first line of a message (the rest is in the reports). */
export function firstLine(message: string): string {
  const line = message.split(/\r\n?|\n/).find((l) => l.trim() !== '') ?? '';
  return line.trim();
}

/** Whether a rule's verdict counts as checked (see {@link CHECKED_VERDICTS}). */
export function isChecked(rule: RuleResult): boolean {
  return CHECKED_VERDICTS.includes(rule.verdict);
}
