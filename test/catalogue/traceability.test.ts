/**
 * Traceability of the features to their sources (spec/README.md): every rule cites statements of
 * spec/ (`@spec:<id>`) or choices of the README (`@choice:G<n>`), every cited one exists, each
 * rule's Source line names what its tags cite, and every statement of spec/ is cited by a rule or
 * listed in spec/out-of-scope.md with a reason, never both.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/catalogue.js';
import { loadSpec, SPEC_ID } from '../../src/catalogue/spec.js';

const root = path.resolve(import.meta.dirname, '../..');
const readme = await readFile(path.join(root, 'README.md'), 'utf8');
const catalogue = await loadCatalogue(path.join(root, 'features'), { root });
const spec = await loadSpec(path.join(root, 'spec'), { root });

/** The choice ids the README's Choices tables define: rows `| G4 | question | choice |`. */
const choiceRows = new Set([...readme.matchAll(/^\| (G\d+) \|/gm)].map((m) => m[1]));

/** Spec ids and choice ids named in a Source line. */
function citedIn(source: string): { ids: Set<string>; choices: Set<string> } {
  const words = source.split(/[\s,;()]+/).filter((w) => w !== '');
  return {
    ids: new Set(words.filter((w) => SPEC_ID.test(w) && !/^G\d+$/.test(w))),
    choices: new Set(words.filter((w) => /^G\d+$/.test(w))),
  };
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe('traceability', () => {
  it('loads the features and spec/ without problems', () => {
    expect(catalogue.problems).toEqual([]);
    expect(catalogue.rules.length).toBeGreaterThan(70);
    expect(spec.problems).toEqual([]);
    expect(spec.statements.size).toBeGreaterThan(50);
  });

  it('gives every rule at least one spec statement or choice', () => {
    const bare = catalogue.rules.filter((r) => r.spec.length === 0 && r.choices.length === 0).map((r) => r.id);
    expect(bare, 'rules citing nothing').toEqual([]);
  });

  it('cites only statements that spec/ has', () => {
    const unknown = catalogue.rules.flatMap((r) => r.spec.filter((id) => !spec.statements.has(id)).map((id) => `${r.id} → ${id}`));
    expect(unknown).toEqual([]);
  });

  it('cites only choices the README writes down', () => {
    const unknown = catalogue.rules.flatMap((r) => r.choices.filter((c) => !choiceRows.has(c)).map((c) => `${r.id} → ${c}`));
    expect(unknown).toEqual([]);
  });

  it("names in each rule's Source line exactly the statements and choices its tags cite", () => {
    for (const rule of catalogue.rules) {
      const { ids, choices } = citedIn(rule.source);
      expect(sorted(ids), `${rule.id}: spec ids in "Source: ${rule.source}"`).toEqual(sorted(rule.spec));
      expect(sorted(choices), `${rule.id}: choices in "Source: ${rule.source}"`).toEqual(sorted(rule.choices));
    }
  });

  it('rests every normative rule on a documented or protocol statement', () => {
    const unfounded = catalogue.rules
      .filter((r) => r.level === 'normative')
      .filter((r) => !r.spec.some((id) => ['documented', 'protocol'].includes(spec.statements.get(id)?.level ?? '')))
      .map((r) => r.id);
    expect(unfounded).toEqual([]);
  });

  it('gives every reference rule a choice or an inferred statement, which is why it is a reference rule', () => {
    const untraced = catalogue.rules
      .filter((r) => r.level === 'reference')
      .filter((r) => r.choices.length === 0 && !r.spec.some((id) => spec.statements.get(id)?.level === 'inferred'))
      .map((r) => r.id);
    expect(untraced).toEqual([]);
  });

  it('has every statement cited by a rule or listed out of scope with a reason, never both', () => {
    const cited = new Set(catalogue.rules.flatMap((r) => r.spec));
    const both = sorted([...spec.outOfScope.keys()].filter((id) => cited.has(id)));
    expect(both, 'statements both cited and listed out of scope').toEqual([]);
    const neither = sorted([...spec.statements.keys()].filter((id) => !cited.has(id) && !spec.outOfScope.has(id)));
    expect(neither, 'statements neither cited nor out of scope').toEqual([]);
    const unknown = sorted([...spec.outOfScope.keys()].filter((id) => !spec.statements.has(id)));
    expect(unknown, 'out-of-scope entries naming no statement').toEqual([]);
    for (const entry of spec.outOfScope.values()) expect(entry.reason.length, `reason for ${entry.id}`).toBeGreaterThan(20);
  });

  it('says where every statement comes from, in a sentence of its own', () => {
    for (const s of spec.statements.values()) {
      expect(s.text.length, `${s.id} statement`).toBeGreaterThan(30);
      expect(s.where.length, `${s.id} source`).toBeGreaterThan(5);
      if (s.level === 'inferred') expect(s.where, `${s.id} names what it follows from`).toMatch(/^from [A-Z]/);
      else expect(s.where, `${s.id} names no other statement as its source`).not.toMatch(/^from /);
    }
  });
});
