/**
 * The self-test's judgement of a part of the zoo, each fake in this process through `runCommand`
 * (`runSuiteWithCucumber` reuses the step definitions it loaded for the first run): whole, the
 * rules that fail are exactly the fake's `catches`; as a half paired with the reference's other
 * half (the harness carrying the wire, docs/halves.md), exactly its `catchesAsGuest`/`catchesAsHost`.
 * Declared once here; each `zoo.*.test.ts` file calls it for its part, so vitest runs parts side by side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../src/cli/exit.js';
import { pairSpec } from '../../../src/pairing/pairFactory.js';
import { failingRules, rulesWith, runInProcess, tempDir, type TempDir } from './runs.js';
import { fakeSpec, GUEST_RULES, HOST_RULES, loadFake, RULE_IDS } from './zoo.js';

/**
 * The directory of one describe block's runs, made before them and removed after them: each file that
 * calls a judge has its own. (With isolate: false this module is evaluated once per worker: a
 * directory made here at the top would be shared by the files that worker runs, and removed when the
 * first of them ended.)
 */
function runsDir(): Pick<TempDir, 'path'> {
  let dir: TempDir | undefined;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir?.remove());
  return { path: (...parts) => dir!.path(...parts) };
}

export function judgeWhole(names: readonly string[]): void {
  describe('the suite against the zoo (strict profile)', () => {
    const out = runsDir();
    it.each(names)('catches %s by exactly the rules it declares', async (name) => {
      const { catches } = await loadFake(name);
      const run = await runInProcess(fakeSpec(name), out.path(name));
      expect(run.report.implementation.name, 'dist/ is older than the fake: build first').toBe(`faulty:${name}`);
      expect(run.report.run.finished).toBe(true);
      expect(run.report.problems).toEqual([]);
      expect(rulesWith(run.report, 'error'), 'rules in error').toEqual([]);
      expect(failingRules(run.report), 'failing rules').toEqual([...catches].sort());
      expect(rulesWith(run.report, 'pass'), 'every other rule passes').toEqual([...RULE_IDS].filter((id) => !catches.includes(id)).sort());
      expect(run.code).toBe(catches.length > 0 ? EXIT.NON_CONFORMANT : EXIT.CONFORMANT);
    });
  });
}

export function judgeGuests(names: readonly string[]): void {
  describe('the suite against the zoo\'s guests, the harness carrying the wire (docs/halves.md)', () => {
    const out = runsDir();
    it.each(names)('catches %s as a guest half by exactly the rules it declares for that', async (name) => {
      const catches = (await loadFake(name)).catchesAsGuest!;
      const run = await runInProcess(pairSpec(fakeSpec(name), 'inproc:reference'), out.path('as-guest', name));
      expect(run.report.problems).toEqual([]);
      expect(rulesWith(run.report, 'error'), 'rules in error').toEqual([]);
      expect(failingRules(run.report), 'failing rules').toEqual([...catches].sort());
      expect(rulesWith(run.report, 'pass'), 'every other guest rule passes').toEqual(GUEST_RULES.filter((id) => !catches.includes(id)).sort());
      expect(run.code).toBe(catches.length > 0 ? EXIT.NON_CONFORMANT : EXIT.CONFORMANT);
    });
  });
}

export function judgeHosts(names: readonly string[]): void {
  describe('the suite against the zoo\'s hosts, the harness carrying the wire (docs/halves.md)', () => {
    const out = runsDir();
    it.each(names)('catches %s as a host half by exactly the rules it declares for that', async (name) => {
      const catches = (await loadFake(name)).catchesAsHost!;
      expect(catches.filter((id) => !HOST_RULES.includes(id)), 'a host run judges host rules only').toEqual([]);
      const run = await runInProcess(pairSpec('inproc:reference', fakeSpec(name)), out.path('as-host', name));
      expect(run.report.problems).toEqual([]);
      expect(rulesWith(run.report, 'error'), 'rules in error').toEqual([]);
      expect(failingRules(run.report), 'failing rules').toEqual([...catches].sort());
      expect(rulesWith(run.report, 'pass'), 'every other host rule passes').toEqual(HOST_RULES.filter((id) => !catches.includes(id)).sort());
      expect(run.code).toBe(EXIT.NON_CONFORMANT);
    });
  });
}
