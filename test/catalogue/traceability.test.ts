/**
 * Traceability of the features to their sources: every candidate rule of the digest's groups A–D
 * (1–85) is covered by a Rule's `@digest:<n>` tag or listed in the README as out of scope, never
 * both; every `@choice:G<n>` names a row of the README's choices.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/catalogue.js';

const root = path.resolve(import.meta.dirname, '../..');
const readme = await readFile(path.join(root, 'README.md'), 'utf8');
const catalogue = await loadCatalogue(path.join(root, 'features'), { root });

function readmeSection(heading: string): string {
  const start = readme.indexOf(`## ${heading}`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 3);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** Rows of the out-of-scope table: `| 57–61 | reason |` or `| 42, 45 | reason |`. */
function outOfScope(): Map<number, string> {
  const rows = new Map<number, string>();
  for (const line of readmeSection('Out of scope').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !/^\d/.test(cells[1]!)) continue;
    for (const part of cells[1]!.split(',')) {
      const [from, to] = part.split(/[–-]/).map((n) => Number(n.trim()));
      for (let n = from!; n <= (to ?? from!); n++) rows.set(n, cells[2]!);
    }
  }
  return rows;
}

describe('traceability', () => {
  it('loads the features without catalogue problems', () => {
    expect(catalogue.problems).toEqual([]);
    expect(catalogue.rules.length).toBeGreaterThan(70);
  });

  it('covers every digest rule 1–85 by a Rule or lists it as out of scope with a reason, never both', () => {
    const covered = new Set(catalogue.rules.flatMap((rule) => rule.digest));
    const excluded = outOfScope();
    const missing: number[] = [];
    for (let n = 1; n <= 85; n++) {
      if (covered.has(n) && excluded.has(n)) expect.fail(`digest rule ${n} is both covered and listed out of scope`);
      if (!covered.has(n) && !excluded.has(n)) missing.push(n);
      if (excluded.has(n)) expect(excluded.get(n)!.length, `reason for digest rule ${n}`).toBeGreaterThan(10);
    }
    expect(missing, 'digest rules neither covered nor out of scope').toEqual([]);
  });

  it('cites only choices the README writes down', () => {
    const rows = new Set([...readme.matchAll(/^\| (G\d+) \|/gm)].map((m) => m[1]));
    const cited = new Set(catalogue.rules.flatMap((rule) => rule.choices));
    expect([...cited].filter((choice) => !rows.has(choice))).toEqual([]);
  });

  it('gives every reference rule a source that says where its choice or inference comes from', () => {
    for (const rule of catalogue.rules.filter((r) => r.level === 'reference')) {
      const traced = rule.choices.length > 0 || /digest|README/.test(rule.source);
      expect(traced, `${rule.id} cites a choice or the digest`).toBe(true);
    }
  });
});
