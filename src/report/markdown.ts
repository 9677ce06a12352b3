/**
 * `conformance.md`: the human summary of a {@link ConformanceReport}.
 *
 * Text from the implementation (its name and version, failure messages) and from the features is
 * escaped: in running text and table cells with {@link escapeMarkdown}, and messages go into
 * fenced code blocks whose fence is longer than any backtick run in the message.
 */
import type { RuleLevel } from '../catalogue/catalogue.js';
import { RULE_LEVELS } from '../catalogue/catalogue.js';
import { countedLevels } from './build.js';
import type { AppliedExpectation, ConformanceReport, LevelTotals, Outcome, Profile, RuleResult, Verdict } from './types.js';

/**
 * Escapes Markdown syntax, pipes included, and folds newlines, for inline text and table cells.
 * Meant for fragments inside a line (never at its start), so list and heading markers (`-`, `#`,
 * `1.`) need no escape; without `[` a parenthesis cannot start a link.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

/** A fenced code block that no content can close early. */
export function codeBlock(text: string, indent = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = text.split(/\r?\n/).map((l) => `${indent}${l}`.trimEnd());
  return [`${indent}${fence}text`, ...body, `${indent}${fence}`].join('\n');
}

/** A URL as an autolink (pipes percent-encoded so a table survives), anything else escaped. */
export function sourceText(source: string): string {
  if (/^https?:\/\/[^\s<>]+$/.test(source)) return `<${source.replace(/\|/g, '%7C')}>`;
  return escapeMarkdown(source);
}

const VERDICT_LABEL: Record<Verdict, string> = {
  pass: 'pass',
  fail: '**FAIL**',
  error: '**ERROR**',
  'not-applicable': 'n/a',
  'not-run': 'not run',
  'known-failure': 'known failure',
  'unexpected-pass': '**UNEXPECTED PASS**',
};

const OUTCOME_LABEL: Record<Outcome, string> = {
  conformant: 'CONFORMANT',
  'non-conformant': 'NOT CONFORMANT',
  'harness-error': 'HARNESS OR IMPLEMENTATION ERROR (nothing conclusive)',
};

/**
 * `normative: 41/41 rules pass (0 fail, 0 error, 0 not applicable, 0 not run)`. The denominator is
 * every rule of the level; not-applicable rules count neither as a pass nor as a fail. When an
 * expectations file was applied, `, 1 known failure, 0 unexpected pass` follows `not run`.
 */
export function denominatorLine(level: RuleLevel, totals: LevelTotals): string {
  const expected =
    totals.knownFailure !== undefined || totals.unexpectedPass !== undefined
      ? `, ${totals.knownFailure ?? 0} known failure, ${totals.unexpectedPass ?? 0} unexpected pass`
      : '';
  return `${level}: ${totals.pass}/${totals.rules} rules pass (${totals.fail} fail, ${totals.error} error, ${totals.notApplicable} not applicable, ${totals.notRun} not run${expected})`;
}

/** `expected fail (reason; issue <url>), measured fail: met`, for a rule or scenario entry. */
export function expectationText(e: AppliedExpectation): string {
  const issue = e.issue !== undefined ? `; issue ${sourceText(e.issue)}` : '';
  const status = { met: 'met', 'unexpected-pass': 'NOT MET: it passed', mismatch: `NOT MET: it was ${e.measured}`, 'not-run': 'not checked: it did not run' }[e.status];
  return `expected ${e.expected} (entry ${e.entry}: ${escapeMarkdown(e.reason)}${issue}): ${status}`;
}

function expectationsSection(report: ConformanceReport): string[] {
  const x = report.expectations;
  if (x === undefined) return [];
  const lines = [
    '## Expectations',
    '',
    `- File: ${escapeMarkdown(x.file)} (implementation ${escapeMarkdown(x.implementation)}), ${x.entries} entries`,
    `- ${x.met} met, ${x.unexpectedPasses} unexpected pass, ${x.mismatches} with another verdict, ${x.notRun} not run`,
    '',
    'A known failure (the failure the file expects) does not fail the run; an unexpected pass or another verdict does.',
    '',
  ];
  if (x.todo.length > 0) {
    lines.push(`**Warning:** ${x.todo.length} entries still have a TODO reason: ${x.todo.map(escapeMarkdown).join(', ')}.`, '');
  }
  return lines;
}

export function denominatorLines(report: ConformanceReport): string[] {
  return RULE_LEVELS.map((level) => denominatorLine(level, report.totals[level]));
}

function profileText(report: ConformanceReport): string {
  const levels = countedLevels(report.profile);
  return `${report.profile} (counts ${levels.join(' and ')} rules)`;
}

/**
 * A rule's verdict as the report shows it. A failing rule of a level the profile does not count
 * (a reference rule under the normative profile) is the implementation making a choice other than
 * the reference model's: a difference, not a failure.
 */
export function verdictLabel(rule: RuleResult, profile: Profile): string {
  if (rule.verdict === 'fail' && !countedLevels(profile).includes(rule.level)) return 'differs (reference choice)';
  return VERDICT_LABEL[rule.verdict];
}

function featureTables(rules: readonly RuleResult[], profile: Profile): string[] {
  const byFeature = new Map<string, RuleResult[]>();
  for (const rule of rules) {
    const list = byFeature.get(rule.feature) ?? [];
    list.push(rule);
    byFeature.set(rule.feature, list);
  }
  const out: string[] = [];
  for (const [feature, list] of byFeature) {
    out.push(`### ${escapeMarkdown(list[0]?.featureName ?? feature)} (\`${feature.replace(/`/g, '')}\`)`, '');
    out.push('| id | level | verdict | title | source |', '|---|---|---|---|---|');
    for (const r of list) {
      out.push(`| ${r.id} | ${r.level} | ${verdictLabel(r, profile)} | ${escapeMarkdown(r.title)} | ${sourceText(r.source)} |`);
    }
    out.push('');
  }
  return out;
}

function details(rules: readonly RuleResult[], profile: Profile): string[] {
  const counted = countedLevels(profile);
  const differs = (r: RuleResult) => r.verdict === 'fail' && !counted.includes(r.level);
  return [
    ...ruleDetails(rules.filter((r) => r.verdict !== 'pass' && !differs(r)), '## Rules that did not pass', profile),
    ...ruleDetails(
      rules.filter(differs),
      `## Reference choices made differently\n\nThe ${profile} profile does not count these rules: each is a choice where the docs are silent, and this implementation chose otherwise than the reference model.`,
      profile,
    ),
  ];
}

function ruleDetails(failing: readonly RuleResult[], heading: string, profile: Profile): string[] {
  if (failing.length === 0) return [];
  const out: string[] = [heading, ''];
  for (const r of failing) {
    out.push(`### ${r.id}: ${escapeMarkdown(r.title)} (${r.level}, ${verdictLabel(r, profile)})`, '');
    out.push(`${escapeMarkdown(r.feature)}:${r.line}; source: ${sourceText(r.source)}`, '');
    if (r.cites !== undefined && r.cites.length > 0) {
      out.push('Cites:', '');
      for (const c of r.cites) out.push(`- ${c.id} (${c.level}, ${escapeMarkdown(c.file)}): ${escapeMarkdown(c.text)} *${escapeMarkdown(c.where)}*`);
      out.push('');
    }
    if (r.expectation) out.push(`Expectation: ${expectationText(r.expectation)}`, '');
    for (const s of r.scenarios) {
      const step = s.step !== undefined ? `, at: ${escapeMarkdown(s.step)}` : '';
      const expected = s.expectation ? `; ${expectationText(s.expectation)}` : '';
      out.push(`- ${escapeMarkdown(s.name)} (line ${s.line}): ${VERDICT_LABEL[s.verdict]}${step}${expected}`);
      if (s.message !== undefined && s.verdict !== 'pass' && s.verdict !== 'unexpected-pass') out.push('', codeBlock(s.message, '  '), '');
    }
    if (out[out.length - 1] !== '') out.push('');
  }
  return out;
}

export function renderMarkdown(report: ConformanceReport): string {
  const impl = report.implementation;
  const lines: string[] = [
    `# VMBus GPADL conformance: ${escapeMarkdown(impl.name)} ${escapeMarkdown(impl.version)}`,
    '',
    `- Implementation: ${escapeMarkdown(impl.name)} ${escapeMarkdown(impl.version)} (${escapeMarkdown(impl.language)})`,
    `- Profile: ${profileText(report)}`,
    `- Result: **${OUTCOME_LABEL[report.outcome]}**`,
    `- Harness: ${escapeMarkdown(report.harness.name)} ${escapeMarkdown(report.harness.version)}, generated ${escapeMarkdown(report.generatedAt)}`,
    '',
    '## Totals',
    '',
    ...denominatorLines(report).map((l) => `- ${l}`),
    '',
    'A not-applicable rule (the implementation lacks a capability it needs) counts neither as a pass nor as a fail.',
    '',
    ...expectationsSection(report),
  ];
  if (report.problems.length > 0) {
    lines.push('## Problems', '', 'These make the run inconclusive (harness or implementation error):', '');
    for (const p of report.problems) lines.push(`- ${escapeMarkdown(p.message)}`);
    lines.push('');
  }
  lines.push('## Rules', '', ...featureTables(report.rules, report.profile), ...details(report.rules, report.profile));
  return `${lines.join('\n').trimEnd()}\n`;
}
