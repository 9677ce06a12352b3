import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildComparison,
  COMPARISON_CSP,
  COMPARISON_FORMATS,
  denominator,
  htmlText,
  markdownText,
  renderComparisonHtml,
  renderComparisonMarkdown,
  SPEC_VERSION,
  writeComparison,
} from '../../src/report/comparison/index.js';
import { HOSTILE, makeReport, twoReports } from '../expectations/_helpers/reports.js';

describe('the comparison model', () => {
  it('groups rules by feature in report order, one cell per implementation', () => {
    const c = twoReports();
    expect(c.features.map((f) => [f.feature, f.rules.map((r) => r.id)])).toEqual([
      ['features/map_gpadl.feature', ['MAP-04', 'MAP-05']],
      ['features/delete_gpadl.feature', ['DEL-01']],
    ]);
    expect(c.features[0]!.rules[0]!.cells.map((cell) => cell.verdict)).toEqual(['pass', 'known-failure']);
    expect(c.features[0]!.rules[0]!.cells[1]!.expectation).toMatchObject({ expected: 'fail', status: 'met' });
    expect(c.features[1]!.rules[0]!.cells[1]).toMatchObject({ verdict: 'error', message: `Error: ${HOSTILE}` });
    expect(c.implementations.map((i) => [i.outcome, i.exitCode])).toEqual([
      ['conformant', 0],
      ['harness-error', 2],
    ]);
    expect(c.meta).toEqual({ harness: { name: 'vmbus-conformance', version: '0.1.0' }, protocolVersion: 1, sources: SPEC_VERSION, generatedAt: '2026-02-03T04:05:06.000Z' });
  });

  it('states the denominator per level', () => {
    const c = twoReports();
    expect(denominator('normative', c.implementations[0]!.totals.normative)).toBe('normative: 2/2');
    expect(denominator('normative', c.implementations[1]!.totals.normative)).toBe('normative: 0/2 (1 known failure)');
    expect(denominator('reference', c.implementations[1]!.totals.reference)).toBe('reference: 0/1');
  });

  it('shows a failed reference rule as a choice made differently unless the profile counts it', () => {
    const rules = [{ id: 'MAP-05', level: 'reference' as const, scenarios: ['fail' as const] }];
    const normative = buildComparison([{ report: makeReport(rules), spec: 'a', dir: 'a' }]);
    const strict = buildComparison([{ report: makeReport(rules, { profile: 'strict' }), spec: 'b', dir: 'b' }]);
    const cell = (c: typeof normative) => c.features[0]!.rules[0]!.cells[0]!;
    expect(cell(normative).differs).toBe(true);
    expect(renderComparisonMarkdown(normative)).toContain('differs (choice)');
    expect(renderComparisonHtml(normative)).toContain('class="verdict v-differs"');
    expect(cell(strict).differs).toBeUndefined();
    expect(renderComparisonMarkdown(strict)).not.toContain('differs (choice)');
  });

  it('shows a rule that one report lacks as absent', () => {
    const a = makeReport([{ id: 'A-01', scenarios: ['pass'] }, { id: 'B-01', scenarios: ['pass'] }]);
    const b = makeReport([{ id: 'A-01', scenarios: ['pass'] }]);
    const c = buildComparison([{ report: a, spec: 'a', dir: 'a' }, { report: b, spec: 'b', dir: 'b' }]);
    expect(c.features.flatMap((f) => f.rules).find((r) => r.id === 'B-01')?.cells.map((cell) => cell.verdict)).toEqual(['pass', 'absent']);
  });
});

describe('escaping', () => {
  it('markdownText leaves nothing that starts markup and keeps one line', () => {
    expect(markdownText(HOSTILE)).toBe('\\<img src=x onerror="window.\\_\\_pwned=1"\\>\\<script\\>window.\\_\\_pwned=1\\</script\\>');
    expect(markdownText('a | b\n* c [d](e) `f` ~g~ $h$ &amp; #i !j')).toBe('a \\| b \\* c \\[d\\](e) \\`f\\` \\~g\\~ \\$h\\$ \\&amp; \\#i \\!j');
    expect(markdownText('bell\u0007 and \u202e', 100)).toBe('bell\uFFFD and \uFFFD');
    expect(markdownText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('htmlText turns the five significant characters into entities', () => {
    expect(htmlText(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

describe('comparison.md', () => {
  const md = renderComparisonMarkdown(twoReports());

  it('has the metadata, the implementations with their denominators, and the matrix', () => {
    expect(md).toContain('- Harness: vmbus-conformance 0.1.0');
    expect(md).toContain('- Plug-in protocol: version 1');
    expect(md).toContain(`- Sources: ${SPEC_VERSION}`);
    expect(md).toContain('- Generated: 2026-02-03T04:05:06.000Z');
    expect(md).toContain('- Seed: none');
    expect(md).toContain('| reference model 0.1.0 | TypeScript | inproc:reference | normative | **CONFORMANT** (exit 0) | normative: 2/2; reference: 1/1 |');
    expect(md).toContain('| MAP-04 | normative | title of MAP-04 | pass | _known failure_ (fail) |');
    expect(md).toContain('| DEL-01 | normative | title of DEL-01 | pass | **ERROR** |');
    expect(md).toContain('## Rules that do not pass everywhere');
    expect(md).toMatch(/<details>\n<summary>3 rules by feature<\/summary>/);
  });

  it('escapes every string an implementation reports: no raw tag, and every table row keeps its columns', () => {
    const withoutEscapes = md.replace(/\\./g, '');
    expect(withoutEscapes).not.toMatch(/<(img|script)/i);
    expect(md).not.toContain('window.__pwned');
    for (const line of md.split('\n').filter((l) => l.startsWith('| rule |') || l.startsWith('| MAP-') || l.startsWith('| DEL-'))) {
      // 3 rule columns + 2 implementations: 6 unescaped pipes.
      expect(line.replace(/\\\|/g, '').split('|').length - 1, line).toBe(6);
    }
    expect(md).toContain('expected fail, met, shown as known failure: double map \\<img');
    expect(md).toContain('(<https://example.com/issues/4?a=1&b=2>)');
  });
});

describe('comparison.html', () => {
  const html = renderComparisonHtml(twoReports());

  it('is one self-contained page with a strict Content-Security-Policy and no script', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${COMPARISON_CSP}">`);
    expect(COMPARISON_CSP).toMatch(/^default-src 'none'; style-src 'unsafe-inline'/);
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<body>'));
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed)/i);
    // No tag has an event handler or a source attribute (attribute values are quoted and hold no quote).
    const attributes = [...html.matchAll(/<[a-z]+((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/gi)].flatMap((m) => [...(m[1] ?? '').matchAll(/\s([a-z-]+)(?:="[^"]*")?/gi)].map((a) => a[1]!.toLowerCase()));
    expect(attributes.length).toBeGreaterThan(20);
    expect(new Set(attributes)).toEqual(new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'scope', 'href', 'colspan', 'id', 'title', 'rel']));
    expect(html).not.toMatch(/url\(|@import/i);
  });

  it('escapes names, versions, specs, messages and reasons, in text and in attributes', () => {
    expect(html).toContain('&#60;img src=x onerror=&#34;window.__pwned=1&#34;&#62;&#60;script&#62;window.__pwned=1&#60;/script&#62;');
    expect(html).toContain('1.0 | *&#60;img');
    expect(html).toContain('<code>module:&#60;img');
    expect(html).toContain('<pre>Error: &#60;img');
    expect(html).toMatch(/title="expected fail \(met\): double map &#60;img[^"]*"/);
    expect(html).toContain('<a href="https://example.com/issues/4?a=1&#38;b=2" rel="noreferrer">');
  });

  it('has the matrix: a header row with one column per implementation, one row per rule', () => {
    expect(html.match(/<tr class="rule"/g)).toHaveLength(3);
    const head = /<table id="matrix">[\s\S]*?<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? '';
    expect(head.match(/<th /g)).toHaveLength(5);
    expect(html).toContain('<td class="verdict v-known-failure" title="expected fail (met): double map');
  });

  it('a hostile name cannot leave its attribute or element (no raw quote or angle bracket from it)', () => {
    const fromImpl = html.split(/&#60;img/).slice(1);
    expect(fromImpl.length).toBeGreaterThan(3);
    for (const tail of fromImpl) expect(tail.slice(0, 90)).not.toMatch(/[<>"]/);
  });
});

describe('writing the comparison', () => {
  it('writes comparison.md and comparison.html', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vmbus-comparison-'));
    const written = await writeComparison(twoReports(), dir);
    expect(written.map((f) => path.basename(f))).toEqual(['comparison.md', 'comparison.html']);
    expect(Object.values(COMPARISON_FORMATS).map((f) => f.file)).toEqual(['comparison.md', 'comparison.html']);
    expect(await readFile(path.join(dir, 'comparison.html'), 'utf8')).toContain('id="matrix"');
  });
});
