/**
 * `comparison.md`: the matrix for a pull-request comment. Rows are rules grouped by feature (id,
 * level, title), columns are implementations (name and version); each cell is the rule's verdict,
 * known failures marked as such. The rules that do not pass everywhere come first; the whole
 * matrix follows, folded in a `<details>` block. Everything an implementation reports is escaped with
 * {@link markdownText}, so a name cannot add markup, links or table cells.
 */
import { COMPARISON_VERDICT_TEXT, DIFFERS_TEXT, OUTCOME_TEXT, denominators, type Comparison, type ComparedCell, type ComparedImplementation, type ComparedRule } from './model.js';
import { markdownText, safeUrl } from './escape.js';
import { interopMatrix } from './interop.js';

const HEADER_MAX = 60;

function header(impl: ComparedImplementation): string {
  return `${markdownText(impl.name, HEADER_MAX)} ${markdownText(impl.version, HEADER_MAX)}`;
}

function cell(c: ComparedCell): string {
  if (c.differs) return DIFFERS_TEXT;
  const text = COMPARISON_VERDICT_TEXT[c.verdict];
  switch (c.verdict) {
    case 'fail':
    case 'error':
    case 'unexpected-pass':
      return `**${text}**`;
    case 'known-failure':
      return `_${text}_ (${c.expectation?.expected ?? 'fail'})`;
    default:
      return text;
  }
}

export function metadataLines(comparison: Comparison): string[] {
  const m = comparison.meta;
  return [
    `- Harness: ${markdownText(m.harness.name)} ${markdownText(m.harness.version)}`,
    `- Plug-in protocol: version ${m.protocolVersion}`,
    `- Sources: ${markdownText(m.sources)}`,
    `- Generated: ${markdownText(m.generatedAt)}`,
    `- Seed: ${m.seed !== undefined ? markdownText(m.seed) : 'none (the suite is deterministic)'}`,
  ];
}

export function renderComparisonMarkdown(comparison: Comparison): string {
  const impls = comparison.implementations;
  const lines: string[] = ['# VMBus GPADL conformance: comparison', '', ...metadataLines(comparison), ''];

  lines.push('## Implementations', '');
  lines.push('| implementation | language | spec | profile | result | denominators | reports |', '|---|---|---|---|---|---|---|');
  for (const impl of impls) {
    const reports = `${markdownText(impl.dir)}/conformance.md`;
    lines.push(
      `| ${header(impl)} | ${markdownText(impl.language, HEADER_MAX)} | ${markdownText(impl.spec, 200)} | ${impl.profile} | **${OUTCOME_TEXT[impl.outcome]}** (exit ${impl.exitCode}) | ${denominators(impl).join('; ')} | ${reports} |`,
    );
  }
  lines.push('');
  lines.push('Denominators count every rule of the level; a not-applicable rule and a known failure count neither as a pass nor as a fail.', '');

  const interop = interopMatrix(impls);
  if (interop !== undefined) {
    lines.push('## Interop matrix', '', 'Every guest half with every host half, the harness carrying the wire; each cell is that pairing\'s run, judged on the rules of the halves the reference does not play.', '');
    lines.push(`| guest \\ host | ${interop.hosts.map((h) => markdownText(h, HEADER_MAX)).join(' | ')} |`, `|---|${interop.hosts.map(() => '---|').join('')}`);
    for (const [g, guest] of interop.guests.entries()) {
      const cells = interop.cells[g]!.map((index) => {
        const impl = index === undefined ? undefined : impls[index];
        return impl === undefined ? '—' : `**${OUTCOME_TEXT[impl.outcome]}** ${denominators(impl).join('; ')} (${markdownText(impl.dir)}/)`;
      });
      lines.push(`| ${markdownText(guest, HEADER_MAX)} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }

  const tableHead = [`| rule | level | title | ${impls.map(header).join(' | ')} |`, `|---|---|---|${impls.map(() => '---|').join('')}`];
  const row = (rule: ComparedRule) => `| ${markdownText(rule.id)} | ${rule.level} | ${markdownText(rule.title)} | ${rule.cells.map(cell).join(' | ')} |`;

  const differing = comparison.features.flatMap((f) => f.rules.filter((r) => r.cells.some((c) => c.verdict !== 'pass')));
  const ruleCount = comparison.features.reduce((n, f) => n + f.rules.length, 0);
  lines.push('## Rules that do not pass everywhere', '');
  if (differing.length === 0) lines.push(`All ${ruleCount} rules pass for every implementation.`, '');
  else lines.push(...tableHead, ...differing.map(row), '');

  lines.push('## All rules', '', '<details>', `<summary>${ruleCount} rules by feature</summary>`, '');
  for (const feature of comparison.features) {
    lines.push(`### ${markdownText(feature.name)} (${markdownText(feature.feature)})`, '');
    lines.push(...tableHead, ...feature.rules.map(row), '');
  }
  lines.push('</details>', '');

  const expected = comparison.features.flatMap((f) =>
    f.rules.flatMap((rule) =>
      rule.cells.flatMap((c, i) => (c.expectation !== undefined ? [{ rule, impl: impls[i]!, cell: c, expectation: c.expectation }] : [])),
    ),
  );
  if (expected.length > 0) {
    lines.push('## Expectations', '');
    for (const { rule, impl, cell: c, expectation } of expected) {
      const issue = safeUrl(expectation.issue);
      const status = expectation.status === 'met' ? 'met' : `NOT MET (${expectation.status}, measured ${expectation.measured})`;
      lines.push(
        `- ${markdownText(rule.id)}, ${header(impl)}: expected ${expectation.expected}, ${status}, shown as ${COMPARISON_VERDICT_TEXT[c.verdict]}: ${markdownText(expectation.reason, 300)}${issue !== undefined ? ` (<${issue.replace(/[|>]/g, encodeURIComponent)}>)` : ''}`,
      );
    }
    lines.push('');
  }

  const problems = impls.flatMap((impl) => impl.problems.map((p) => ({ impl, p })));
  if (problems.length > 0) {
    lines.push('## Problems', '');
    for (const { impl, p } of problems) lines.push(`- ${header(impl)}: ${markdownText(p, 500)}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
