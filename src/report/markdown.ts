/**
 * `conformance.md`: the human report of a {@link ConformanceReport}. The result and what was
 * checked come first, then the rules that did not pass (failures first, with rule ids and first
 * messages), their details, and the full tables of every rule folded in a `<details>` block.
 * `summary.md` (src/report/summary.ts) is the short form for a pull-request comment.
 *
 * Text from the implementation (its name and version, failure messages) and from the features is
 * escaped: in running text and table cells with {@link escapeMarkdown}, and messages go into
 * fenced code blocks whose fence is longer than any backtick run in the message, split at every
 * kind of line end, control characters replaced.
 */
import { countedLevels } from './build.js';
import { cleanText, LINE_END, markdownText } from './comparison/escape.js';
import { denominatorLines, firstLine, missingCapabilitiesText, rulesNotPassed, scopeText, type NotPassed } from './judgement.js';
import type { AppliedExpectation, ConformanceReport, Outcome, Profile, RuleResult, Verdict } from './types.js';

export { denominatorLine, denominatorLines } from './judgement.js';

/**
 * Escapes Markdown syntax, pipes included, and folds line ends (CR alone too), for inline text and
 * table cells; control characters are replaced (see `markdownText` in comparison/escape.ts).
 */
export function escapeMarkdown(text: string): string {
  return markdownText(text, Number.POSITIVE_INFINITY);
}

/**
 * A fenced code block that no content can close early: the fence is longer than any backtick run
 * in the text, every line (split at CRLF, LF and a CR alone, as CommonMark splits) carries the
 * indent, and control characters are replaced (see `cleanText`).
 */
export function codeBlock(text: string, indent = ''): string {
  const clean = cleanText(text, Number.POSITIVE_INFINITY);
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = clean.split(LINE_END).map((l) => `${indent}${l}`.trimEnd());
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

function profileText(report: ConformanceReport): string {
  const levels = countedLevels(report.profile);
  return `${report.profile} (counts ${levels.join(' and ')} rules)`;
}

/**
 * A rule's verdict as the report shows it. A failing rule of a level the profile does not count
 * (a reference rule under the normative profile) is the implementation making a choice other than
 * the reference model's: a difference, not a failure, unless the assertion that failed checks the
 * contract of a capability the implementation claims (README, Verdicts).
 */
export function verdictLabel(rule: RuleResult, profile: Profile): string {
  if (rule.verdict === 'fail' && !countedLevels(profile).includes(rule.level)) {
    return rule.contract === true ? '**FAIL** (contract of a claimed capability)' : 'differs (reference choice)';
  }
  return VERDICT_LABEL[rule.verdict];
}

/** The lines that say what the run judged: scope, capabilities, denominators. */
export function judgedLines(report: ConformanceReport): string[] {
  const impl = report.implementation;
  const claimed = report.capabilities?.claimed;
  const required = report.capabilities?.required ?? [];
  return [
    `- Result: **${OUTCOME_LABEL[report.outcome]}**, profile ${profileText(report)}`,
    ...denominatorLines(report).map((l) => `- ${l}`),
    `- Scope: ${escapeMarkdown(scopeText(report))}`,
    `- Missing capabilities: ${escapeMarkdown(missingCapabilitiesText(report))}${claimed !== undefined ? ` (claims: ${claimed.length > 0 ? claimed.map(escapeMarkdown).join(', ') : 'none'})` : ''}`,
    ...(required.length > 0 ? [`- Required capabilities (--require): ${required.map(escapeMarkdown).join(', ')}`] : []),
    `- Implementation: ${escapeMarkdown(impl.name)} ${escapeMarkdown(impl.version)} (${escapeMarkdown(impl.language)})`,
  ];
}

const STANDING_HEADING = {
  failure: 'fails the run',
  differs: 'a reference choice made differently (not counted by the profile)',
  known: 'a known failure (the expectations file expects it)',
  uncounted: 'not run (not counted by the profile)',
} as const;

/** The table of rules that did not pass, failures first: id, level, verdict, scenario, first message. */
export function notPassedTable(entries: readonly NotPassed[], messageMax = 200): string[] {
  if (entries.length === 0) return [];
  return [
    '| rule | level | verdict | scenario | first message |',
    '|---|---|---|---|---|',
    ...entries.map((e) => notPassedRow(e, messageMax)),
  ];
}

export function notPassedRow(e: NotPassed, messageMax = 200): string {
  const message = e.message !== undefined ? markdownText(firstLine(e.message), messageMax) : '';
  const scenario = e.scenario !== undefined ? markdownText(e.scenario, 120) : '';
  const verdict = e.standing === 'failure' ? `**${escapeMarkdown(e.verdict)}**` : escapeMarkdown(e.verdict);
  return `| ${e.rule.id} | ${e.rule.level} | ${verdict} | ${scenario} | ${message} |`;
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

function ruleDetails(failing: readonly RuleResult[], profile: Profile): string[] {
  const out: string[] = [];
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
      const missing = s.missing !== undefined && s.missing.length > 0 ? ` (lacks ${s.missing.map(escapeMarkdown).join(', ')})` : '';
      out.push(`- ${escapeMarkdown(s.name)} (line ${s.line}): ${VERDICT_LABEL[s.verdict]}${missing}${step}${expected}`);
      if (s.message !== undefined && s.verdict !== 'pass' && s.verdict !== 'unexpected-pass' && s.verdict !== 'not-run') out.push('', codeBlock(s.message, '  '), '');
    }
    if (out[out.length - 1] !== '') out.push('');
  }
  return out;
}

/** A `<details>` block: Markdown inside it renders (blank lines around), folded until opened. */
export function folded(summary: string, body: readonly string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

export function renderMarkdown(report: ConformanceReport): string {
  const impl = report.implementation;
  const notPassed = rulesNotPassed(report);
  const failures = notPassed.filter((e) => e.standing === 'failure');
  const others = notPassed.filter((e) => e.standing !== 'failure');
  const lines: string[] = [
    `# VMBus GPADL conformance: ${escapeMarkdown(impl.name)} ${escapeMarkdown(impl.version)}`,
    '',
    ...judgedLines(report),
    `- Profile: ${profileText(report)}`,
    `- Harness: ${escapeMarkdown(report.harness.name)} ${escapeMarkdown(report.harness.version)}, generated ${escapeMarkdown(report.generatedAt)}`,
    '',
    'A rule is *checked* when it passed, failed or errored; a not-applicable rule (the implementation lacks a capability it needs) counts neither as a pass nor as a fail.',
    '',
  ];
  if (report.problems.length > 0) {
    lines.push('## Problems', '', 'These make the run inconclusive (harness or implementation error):', '');
    for (const p of report.problems) lines.push(`- ${escapeMarkdown(p.message)}`);
    lines.push('');
  }
  if (failures.length > 0) {
    lines.push(`## Rules that did not pass: ${failures.length}`, '', ...notPassedTable(failures), '');
  }
  if (others.length > 0) {
    const kinds = [...new Set(others.map((e) => e.standing))].map((k) => STANDING_HEADING[k]).join('; ');
    lines.push(`## Other rules that did not pass: ${others.length}`, '', `Each is ${kinds}: none of them fails the run.`, '', ...notPassedTable(others), '');
  }
  lines.push(...expectationsSection(report));
  const detailed = (standing: NotPassed['standing']) => notPassed.filter((e) => e.standing === standing).map((e) => e.rule);
  if (failures.length > 0) lines.push('## Details of the rules that did not pass', '', ...ruleDetails(detailed('failure'), report.profile));
  const differs = detailed('differs');
  if (differs.length > 0) {
    lines.push(
      '## Reference choices made differently',
      '',
      `The ${report.profile} profile does not count these rules: each is a choice where the docs are silent, and this implementation chose otherwise than the reference model.`,
      '',
      ...folded(`${differs.length} rules: scenarios and messages`, ruleDetails(differs, report.profile)),
    );
  }
  const rest = [...detailed('known'), ...detailed('uncounted')];
  if (rest.length > 0) lines.push('## Known failures and uncounted rules', '', ...folded(`${rest.length} rules: scenarios and messages`, ruleDetails(rest, report.profile)));
  lines.push('## All rules', '', ...folded(`All ${report.rules.length} rules by feature, with verdict and source`, featureTables(report.rules, report.profile)));
  return `${lines.join('\n').trimEnd()}\n`;
}
