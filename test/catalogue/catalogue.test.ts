import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue, parseFeature, type CatalogueProblemKind } from '../../src/catalogue/catalogue.js';

const GOOD = `Feature: Mapping GPADLs

  @MAP-03 @normative @half:guest @spec:KMCL-MAP-6 @spec:KMCL-MAP-8 @choice:G4 @requires:trace
  Rule: Map refuses a GPADL that is already mapped
    Source: https://learn.microsoft.com/vmbchannelmapgpadl
    The server may map a GPADL once;
    a second map fails.

    Scenario: second map fails
      Given a channel
      Then it fails

    @requires:violations
    Scenario Outline: map with flags <flags>
      Given a channel
      Then map with <flags> fails

      Examples:
        | flags |
        | 0     |
        | 1     |
`;

let dirs: string[] = [];
async function tempFeatures(files: Record<string, string>): Promise<{ root: string; featureDir: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'catalogue-'));
  dirs.push(root);
  const featureDir = path.join(root, 'features');
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(featureDir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return { root, featureDir };
}

afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

describe('parseFeature on a well-formed rule', () => {
  const { rules, problems } = parseFeature('features/map.feature', GOOD);

  it('has no problems and one rule', () => {
    expect(problems).toEqual([]);
    expect(rules).toHaveLength(1);
  });

  it('reads the tags, the Source line and the statement', () => {
    const rule = rules[0]!;
    expect(rule).toMatchObject({
      id: 'MAP-03',
      level: 'normative',
      title: 'Map refuses a GPADL that is already mapped',
      statement: 'The server may map a GPADL once;\na second map fails.',
      source: 'https://learn.microsoft.com/vmbchannelmapgpadl',
      feature: 'features/map.feature',
      featureName: 'Mapping GPADLs',
      line: 4,
      spec: ['KMCL-MAP-6', 'KMCL-MAP-8'],
      choices: ['G4'],
      requires: ['trace'],
    });
  });

  it('lists the scenarios with their lines and own capabilities', () => {
    expect(rules[0]!.scenarios).toEqual([
      { name: 'second map fails', line: 9, requires: [] },
      { name: 'map with flags <flags>', line: 14, requires: ['violations'] },
    ]);
  });

  it('gives every Rule the @requires: tags of its Feature, besides its own', () => {
    const text = `@requires:hostControl
Feature: F
  @HC-01 @normative @half:guest @requires:trace
  Rule: R
    Source: vmbuskernelmodeclientlibapi.h
    Scenario: s
      Given x

  @HC-02 @reference @half:guest
  Rule: S
    Source: vmbuskernelmodeclientlibapi.h
    Scenario: t
      Given x
`;
    const result = parseFeature('f.feature', text);
    expect(result.problems).toEqual([]);
    expect(result.rules.map((r) => r.requires)).toEqual([['hostControl', 'trace'], ['hostControl']]);
  });

  it('accepts a header name as the source and a reference level', () => {
    const text = `Feature: F
  @HDR-01 @reference @half:guest
  Rule: R
    Source: vmbuskernelmodeclientlibapi.h
    Scenario: s
      Given x
`;
    const result = parseFeature('f.feature', text);
    expect(result.problems).toEqual([]);
    expect(result.rules[0]).toMatchObject({ id: 'HDR-01', level: 'reference', source: 'vmbuskernelmodeclientlibapi.h', statement: '', spec: [], choices: [], requires: [] });
  });
});

/** One problem of the given kind at the given line, with the message located as file:line. */
function expectProblem(text: string, kind: CatalogueProblemKind, line: number, fragment: RegExp): void {
  const result = parseFeature('features/bad.feature', text);
  const found = result.problems.filter((p) => p.kind === kind);
  expect(found, JSON.stringify(result.problems)).toHaveLength(1);
  expect(found[0]!.line).toBe(line);
  expect(found[0]!.file).toBe('features/bad.feature');
  expect(found[0]!.message.startsWith(`features/bad.feature:${line}: `)).toBe(true);
  expect(found[0]!.message).toMatch(fragment);
}

const rule = (tags: string, description = '    Source: https://example.com/x', scenarios = '    Scenario: s\n      Given x\n'): string =>
  `Feature: F\n\n  ${tags}\n  Rule: R\n${description}\n\n${scenarios}`;

describe('parseFeature problems, each located', () => {
  it('a rule without an id tag', () => {
    expectProblem(rule('@normative'), 'missing-id', 4, /no id tag/);
    expect(parseFeature('f', rule('@normative')).rules).toEqual([]);
  });

  it('a rule with two id tags', () => {
    expectProblem(rule('@MAP-01 @MAP-02 @normative @half:guest'), 'multiple-ids', 4, /@MAP-01, @MAP-02/);
  });

  it('an id tag that does not match the pattern is no id', () => {
    expectProblem(rule('@map-01 @normative'), 'missing-id', 4, /no id tag/);
    expectProblem(rule('@MAP-1 @normative @half:guest'), 'missing-id', 4, /no id tag/);
  });

  it('a rule without a level tag', () => {
    expectProblem(rule('@MAP-01'), 'missing-level', 4, /@normative or @reference/);
  });

  it('a rule with two level tags', () => {
    expectProblem(rule('@MAP-01 @normative @half:guest @reference'), 'multiple-levels', 4, /2 level tags/);
  });

  it('a rule without a Source line', () => {
    expectProblem(rule('@MAP-01 @normative @half:guest', '    Only a statement.'), 'missing-source', 4, /Source/);
  });

  it('a rule whose Source line is empty', () => {
    expectProblem(rule('@MAP-01 @normative @half:guest', '    Source:'), 'missing-source', 4, /Source/);
  });

  it('a rule with two Source lines', () => {
    expectProblem(rule('@MAP-01 @normative @half:guest', '    Source: a.h\n    Source: b.h'), 'multiple-sources', 4, /2 Source lines/);
  });

  it('a scenario outside any rule', () => {
    const text = `Feature: F\n\n  Scenario: loose\n    Given x\n`;
    expectProblem(text, 'scenario-outside-rule', 3, /"loose" is not inside a Rule/);
  });

  it('a rule without scenarios', () => {
    expectProblem(rule('@MAP-01 @normative @half:guest', '    Source: a.h', ''), 'rule-without-scenarios', 4, /no scenarios/);
  });

  it('an unknown @requires capability, on a rule or a scenario', () => {
    expectProblem(rule('@MAP-01 @normative @half:guest @requires:teleport'), 'unknown-capability', 3, /teleport/);
    expectProblem(rule('@MAP-01 @normative @half:guest', undefined, '    @requires:wormhole\n    Scenario: s\n      Given x\n'), 'unknown-capability', 7, /wormhole/);
  });

  it('malformed spec and choice tags, and the retired digest tags', () => {
    expectProblem(rule('@MAP-01 @normative @half:guest @spec:map-3'), 'malformed-tag', 3, /@spec:map-3/);
    expectProblem(rule('@MAP-01 @normative @half:guest @spec:KMCL-MAP'), 'malformed-tag', 3, /@spec:KMCL-MAP/);
    expectProblem(rule('@MAP-01 @normative @half:guest @digest:12'), 'malformed-tag', 3, /retired/);
    expectProblem(rule('@MAP-01 @normative @half:guest @choice:7'), 'malformed-tag', 3, /@choice:7/);
    expectProblem(rule('@MAP-01 @normative @half:guest @half:both'), 'malformed-tag', 3, /@half:both/);
  });

  it('reports a rule that does not say which half it judges, or mixes whole with a half', () => {
    expectProblem(rule('@MAP-01 @normative'), 'missing-half', 4, /which half/);
    expectProblem(rule('@MAP-01 @normative @half:whole @half:host'), 'missing-half', 4, /@half:whole alone/);
    expect(parseFeature('f', rule('@MAP-01 @normative @half:guest @half:host')).rules[0]?.halves).toEqual(['guest', 'host']);
  });

  it('an id tag on a scenario', () => {
    expectProblem(rule('@MAP-01 @normative @half:guest', undefined, '    @MAP-02\n    Scenario: s\n      Given x\n'), 'misplaced-tag', 7, /belong on the Rule/);
  });

  it('reports every problem of a rule, not just the first', () => {
    const kinds = parseFeature('f', rule('', '    Nothing here.', '')).problems.map((p) => p.kind).sort();
    expect(kinds).toEqual(['missing-half', 'missing-id', 'missing-level', 'missing-source', 'rule-without-scenarios']);
  });
});

describe('parse errors never throw', () => {
  it('turns a Gherkin syntax error into a located problem', () => {
    const text = `Feature: F\n  @MAP-01 @normative @half:guest\n  Rule: R\n    Source: a.h\n    Scenario: s\n      Given x\n    | not | a | table | after nothing\n  Examples without outline\n`;
    let result: ReturnType<typeof parseFeature> | undefined;
    expect(() => {
      result = parseFeature('features/broken.feature', text);
    }).not.toThrow();
    expect(result!.rules).toEqual([]);
    expect(result!.problems.length).toBeGreaterThan(0);
    for (const p of result!.problems) {
      expect(p.kind).toBe('parse-error');
      expect(p.message).toMatch(/^features\/broken\.feature:\d+: Gherkin parse error: /);
      expect(p.line).toBeGreaterThan(1);
    }
  });

  it('a text that is not Gherkin at all', () => {
    const result = parseFeature('features/junk.feature', 'this is not gherkin\nScenario: x\n');
    expect(result.problems.map((p) => p.kind)).toContain('parse-error');
    expect(result.problems[0]!.message).toMatch(/^features\/junk\.feature:1: /);
  });

  it('an empty file is no rules and no problems', () => {
    expect(parseFeature('e.feature', '')).toEqual({ rules: [], problems: [] });
  });
});

describe('loadCatalogue', () => {
  it('reads every feature below the directory, sorted, with paths relative to its parent', async () => {
    const { featureDir } = await tempFeatures({
      'b/map.feature': GOOD,
      'a/create.feature': rule('@CRE-01 @reference @half:guest'),
      'notes.txt': 'ignored',
    });
    const catalogue = await loadCatalogue(featureDir);
    expect(catalogue.problems).toEqual([]);
    expect(catalogue.rules.map((r) => [r.id, r.feature])).toEqual([
      ['CRE-01', 'features/a/create.feature'],
      ['MAP-03', 'features/b/map.feature'],
    ]);
  });

  it('reports a rule id used in two files, at the second use, naming the first', async () => {
    const { featureDir } = await tempFeatures({ 'a.feature': rule('@DUP-01 @normative @half:guest'), 'b.feature': rule('@DUP-01 @reference @half:guest') });
    const catalogue = await loadCatalogue(featureDir);
    expect(catalogue.rules.map((r) => r.feature)).toEqual(['features/a.feature']);
    expect(catalogue.problems).toHaveLength(1);
    expect(catalogue.problems[0]).toMatchObject({ kind: 'duplicate-rule-id', file: 'features/b.feature', line: 4 });
    expect(catalogue.problems[0]!.message).toBe('features/b.feature:4: rule id @DUP-01 is already used at features/a.feature:4');
  });

  it('keeps going past a file with a parse error', async () => {
    const { featureDir } = await tempFeatures({ 'a.feature': 'Feature: x\n  @dangling\n', 'b.feature': GOOD });
    const catalogue = await loadCatalogue(featureDir);
    expect(catalogue.rules.map((r) => r.id)).toEqual(['MAP-03']);
    expect(catalogue.problems.map((p) => p.kind)).toEqual(['parse-error']);
    expect(catalogue.problems[0]!.file).toBe('features/a.feature');
  });

  it('a missing directory or one without features is a problem, not a crash', async () => {
    const { root } = await tempFeatures({});
    const missing = await loadCatalogue(path.join(root, 'nope'));
    expect(missing.problems.map((p) => p.kind)).toEqual(['read-error']);
    await mkdir(path.join(root, 'empty'));
    const empty = await loadCatalogue(path.join(root, 'empty'));
    expect(empty.problems.map((p) => p.kind)).toEqual(['no-features']);
  });
});
