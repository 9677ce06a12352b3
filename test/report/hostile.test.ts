/**
 * Hostile strings: a fake implementation (test/report/_hostile.ts) puts CR alone, NUL, ESC, C1
 * controls, bidi overrides, `]]>` three times, pipes, backticks, HTML and Markdown line starters
 * in its name, version, language, error messages and standard error. Every report and the terminal
 * must keep them as text: conformance.md, summary.md and comparison.md rendered with markdown-it
 * (raw HTML on, as GitHub passes some through) hold no element and no table row that came from
 * them; junit.xml parses and validates with fast-xml-parser; no control character reaches a file
 * or the terminal.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { runSuiteWithCucumber } from '../../src/cli/cucumber.js';
import { describeImplementation } from '../../src/cli/implementation.js';
import { runCli } from '../../src/cli/program.js';
import { escapeTerminalOutput } from '../../src/cli/terminalStream.js';
import { renderJunit, xmlAttribute, xmlText } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSummary, SUMMARY_MAX_CHARS } from '../../src/report/summary.js';
import type { ConformanceReport, RuleResult } from '../../src/report/types.js';
import { exitCode } from '../cli/_harness.js';
import { HOSTILE, HOSTILE_NAME, hostileImplementation } from './_hostile.js';
import { Capture, makeTinySuite, PROJECT_ROOT } from './tinySuite.js';

const md = new MarkdownIt({ html: true });

/** C0 controls but tab and LF (CR included), DEL, C1 controls. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Element names markdown-it makes from the report's own Markdown. */
const OWN_ELEMENTS = new Set(['h1', 'h2', 'h3', 'p', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 'code', 'pre', 'details', 'summary', 'a', 'blockquote', 'br']);

/** Checks one Markdown file: no control character, no foreign element, every table row intact. */
function checkMarkdown(name: string, source: string, blockquotes = false): void {
  expect(CONTROL.test(source), `${name}: a control character`).toBe(false);
  const html = md.render(source);
  const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)((?:\s[^>]*)?)>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attributes: (m[2] ?? '').trim() }));
  for (const tag of tags) {
    expect(OWN_ELEMENTS.has(tag.name), `${name}: <${tag.name} ${tag.attributes}> comes from a string`).toBe(true);
    if (tag.name === 'blockquote') expect(blockquotes, `${name}: a blockquote`).toBe(true);
    if (tag.attributes !== '') {
      const ok =
        (tag.name === 'a' && /^href="https?:\/\/[^"]*"$/.test(tag.attributes)) ||
        (tag.name === 'code' && tag.attributes === 'class="language-text"') ||
        ((tag.name === 'th' || tag.name === 'td') && /^style="text-align:(left|right|center)"$/.test(tag.attributes));
      expect(ok, `${name}: <${tag.name} ${tag.attributes}>`).toBe(true);
    }
  }
  expect(html).not.toMatch(/<script|<img/i);
  // At most one title; nothing of the payload's own Markdown (a heading, list items, a quote) became structure.
  expect(tags.filter((t) => t.name === 'h1').length, `${name}: h1`).toBeLessThanOrEqual(1);
  expect(html).not.toMatch(/<h\d>heading<\/h\d>|<li>item<\/li>|<li>one<\/li>|<blockquote>\s*<p>quote/);
  // Every table row of the source is one row of the rendered tables, with the header's cells.
  const lines = source.split(/\r\n|\r|\n/);
  const rows = lines.filter((l) => l.startsWith('|') && !/^\|(-|\s|\|)*\|$/.test(l));
  expect(tags.filter((t) => t.name === 'tr'), `${name}: table rows`).toHaveLength(rows.length);
  const cells = (l: string) => l.split(/(?<!\\)\|/).length;
  let width = 0;
  for (const [i, line] of lines.entries()) {
    if (!line.startsWith('|')) {
      width = 0;
      continue;
    }
    if (width === 0) width = cells(line);
    expect(cells(line), `${name}:${i + 1}: ${line.slice(0, 120)}`).toBe(width);
  }
}

function checkJunit(name: string, xml: string): Record<string, unknown> {
  expect(CONTROL.test(xml.replace(/\n/g, '')), `${name}: a control character`).toBe(false);
  expect(XMLValidator.validate(xml), name).toBe(true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true, htmlEntities: true }).parse(xml) as Record<string, unknown>;
}

describe('a hostile implementation, through the CLI', () => {
  let out: string;
  let terminal: string;
  beforeAll(async () => {
    const cwd = await makeTinySuite({});
    const stdout = new Capture();
    const stderr = new Capture();
    const context: CommandContext = { io: { cwd, stdout, stderr, isTTY: false, ci: true, env: {} }, root: PROJECT_ROOT, describeImplementation, runCucumber: runSuiteWithCucumber };
    const spec = await hostileImplementation();
    const code = await exitCode(runCli(['run', '--impl', spec, '--impl', 'inproc:reference', '--tags', '@MAP-01 or @MAP-04 or @CREATE-01', '--out', 'out'], context));
    // mapGpadl answers errored: the MAP rules error (exit 2).
    expect(code, stderr.text).toBe(2);
    out = path.join(cwd, 'out');
    terminal = stdout.text + stderr.text;
  }, 120_000);

  async function hostileDir(): Promise<string> {
    const dirs = (await readdir(out, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    const dir = dirs.find((d) => d !== 'vmbus-conformance-reference-model' && !d.startsWith('reference'));
    return path.join(out, dir!);
  }

  it('the strings reached the reports (the test tests something)', async () => {
    const report = JSON.parse(await readFile(path.join(await hostileDir(), 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.implementation.name).toBe(HOSTILE_NAME);
    const messages = report.rules.flatMap((r) => r.scenarios.flatMap((s) => s.message ?? []));
    expect(messages.some((m) => m.includes(']]>b]]>]]>c\r<script>'))).toBe(true);
  });

  it('conformance.md, summary.md and comparison.md: no element and no table row from the strings, no control character', async () => {
    const dir = await hostileDir();
    checkMarkdown('conformance.md', await readFile(path.join(dir, 'conformance.md'), 'utf8'));
    checkMarkdown('summary.md', await readFile(path.join(dir, 'summary.md'), 'utf8'));
    checkMarkdown('comparison.md', await readFile(path.join(out, 'comparison.md'), 'utf8'));
  });

  it('junit.xml parses and validates; the message survives as text', async () => {
    const xml = await readFile(path.join(await hostileDir(), 'junit.xml'), 'utf8');
    const parsed = checkJunit('junit.xml', xml);
    expect(JSON.stringify(parsed)).toContain(']]>b]]>]]>c');
    expect(xml).toContain('<error ');
  });

  it('the terminal gets no control character, no CR alone', () => {
    expect(terminal).toContain('ImplementationErrored');
    expect(CONTROL.test(terminal.replace(/\n/g, ''))).toBe(false);
  });
});

describe('--debug: Cucumber\'s own output, escaped', () => {
  it('shows the hostile messages with their control characters as escapes', async () => {
    expect(escapeTerminalOutput('a\rb\u001b]0;t\u0007c\u001b[31mred\u009b\n')).toBe('a\\rb\\x1b]0;t\\x07c\\x1b[31mred\\x9b\n');
    const cwd = await makeTinySuite({});
    const stdout = new Capture();
    const stderr = new Capture();
    const context: CommandContext = { io: { cwd, stdout, stderr, isTTY: false, ci: true, env: {} }, root: PROJECT_ROOT, describeImplementation, runCucumber: runSuiteWithCucumber };
    const code = await exitCode(runCli(['run', '--impl', await hostileImplementation(), '--tags', '@MAP-04', '--debug', '--out', 'out'], context));
    expect(code).toBe(2);
    expect(stdout.text).toContain('Failures:');
    expect(stdout.text).toContain('\\r<script>');
    expect(CONTROL.test((stdout.text + stderr.text).replace(/\n/g, ''))).toBe(false);
  }, 60_000);
});

const rule = (over: Partial<RuleResult>): RuleResult => ({
  id: 'MAP-04',
  level: 'normative',
  title: 'A title',
  statement: '',
  source: 'spec KMCL-MAP-6',
  feature: 'features/map_gpadl.feature',
  featureName: 'Map',
  line: 3,
  spec: [],
  choices: [],
  requires: [],
  halves: ['guest'],
  verdict: 'fail',
  scenarios: [{ name: 'a scenario', line: 5, verdict: 'fail', step: 'Then it fails', message: HOSTILE }],
  ...over,
});

function report(rules: RuleResult[], over: Partial<ConformanceReport> = {}): ConformanceReport {
  return {
    harness: { name: 'vmbus-conformance', version: '0.1.0' },
    implementation: { name: HOSTILE_NAME, version: HOSTILE, language: HOSTILE },
    profile: 'normative',
    generatedAt: '2026-01-02T03:04:05.000Z',
    run: { finished: true, success: false },
    totals: { normative: { rules: 1, checked: 1, pass: 0, fail: 1, error: 0, notApplicable: 0, notRun: 0 }, reference: { rules: 0, checked: 0, pass: 0, fail: 0, error: 0, notApplicable: 0, notRun: 0 } },
    conformant: false,
    outcome: 'non-conformant',
    rules,
    problems: [{ kind: 'implementation-error', message: HOSTILE }],
    ...over,
  };
}

describe('the renderers, on hostile reports', () => {
  it('junit.xml: ]]> any number of times, every control character, lone surrogates: well-formed, the text kept', () => {
    const everything = `${']]>'.repeat(50)}${Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('')}\ud800x\udc00<&>"'`;
    const r = report([rule({ scenarios: [{ name: everything, line: 5, verdict: 'error', message: everything }] }), rule({ id: 'REF-01', level: 'reference', scenarios: [{ name: 'x', line: 9, verdict: 'fail', message: everything }] })]);
    const xml = renderJunit(r);
    const parsed = checkJunit('junit', xml);
    expect(JSON.stringify(parsed)).toContain(']]>'.repeat(50));
    expect(xml).toMatch(/<error message="[^"]*" type="error">/);
    // A reference failure under the normative profile is not a failure.
    expect(xml).toMatch(/<testcase name="REF-01: x"[^>]*>\s*<skipped message="differs \(reference choice\)/);
    expect(xmlText('a]]>b\r')).toBe('a]]&gt;b&#13;');
    expect(xmlAttribute('a\nb\t"')).toBe('a&#10;b&#9;&quot;');
  });

  it('conformance.md and summary.md of a hostile report render safely', () => {
    const r = report([rule({}), rule({ id: 'REF-01', level: 'reference', title: HOSTILE })]);
    checkMarkdown('conformance.md', renderMarkdown(r));
    checkMarkdown('summary.md', renderSummary(r, ['> **INCOMPLETE:** x']), true);
  });

  it('summary.md stays under its cap, failures first, with a note when rows are left out', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      rule({ id: `MAP-${String(i % 100).padStart(2, '0')}`, level: i % 2 === 0 ? 'normative' : 'reference', scenarios: [{ name: 'x'.repeat(100), line: i, verdict: 'fail', message: 'y'.repeat(4000) }] }),
    );
    const text = renderSummary(report(many));
    expect(text.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(text).toMatch(/\*\*\d+ more rules that did not pass are left out to keep this summary under 50000 characters: see conformance\.md\.\*\*/);
    expect(text.indexOf('### Rules that did not pass')).toBeLessThan(text.indexOf('more rules that did not pass'));
    checkMarkdown('summary.md', text);
    const problems = report([rule({})], { problems: Array.from({ length: 1000 }, () => ({ kind: 'bad-message' as const, message: 'z'.repeat(5000) })) });
    expect(renderSummary(problems).length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
  });
});
