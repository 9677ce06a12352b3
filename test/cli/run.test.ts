/**
 * `run`: its options, several implementations in one invocation (the worst exit code wins),
 * expectations files (known failures, unexpected passes, bad entries, --update-expectations) and the
 * comparison reports. Most tests run a tiny real suite whose steps behave by the implementation
 * spec (`good`, `bad`: fails MAP-04, `crash`: errors); the last runs the real features against the
 * reference model and a faulty module.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/catalogue.js';
import { runCommand, slugify, uniqueSlugs } from '../../src/cli/commands/run.js';
import type { CommandContext } from '../../src/cli/context.js';
import { runSuiteWithCucumber, type CucumberRunner } from '../../src/cli/cucumber.js';
import { EXIT, ExitError } from '../../src/cli/exit.js';
import { exitCode, makeHarness, type Harness } from './_harness.js';
import { describeImplementation } from '../../src/cli/implementation.js';
import { runCli } from '../../src/cli/program.js';
import type { ExpectationsFile } from '../../src/expectations/index.js';
import type { ConformanceReport } from '../../src/report/types.js';
import { Capture, PROJECT_ROOT, makeTinySuite, removeTinySuite } from '../report/tinySuite.js';

const STEPS = `
import { Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
Given('a step that passes', function () {});
Then('the implementation maps once', function () {
  const impl = this.parameters.implementation;
  if (impl.includes('crash')) throw new Error('the implementation crashed');
  assert.ok(!impl.includes('bad'), 'the second map succeeded');
});
Then('the implementation deletes', function () {
  if (this.parameters.implementation.includes('crash')) throw new Error('the implementation crashed');
});
`;

const FEATURE = `Feature: CLI fixture

  @OK-01 @normative @half:guest
  Rule: Always passes
    Source: https://example.com/ok

    Scenario: passes
      Given a step that passes

  @MAP-04 @normative @half:guest
  Rule: A second map fails
    Source: https://example.com/map

    Scenario: second map fails
      Then the implementation maps once

  @REF-01 @reference @half:guest
  Rule: Delete works
    Source: https://example.com/ref

    Scenario: delete works
      Then the implementation deletes
`;

const NAMES: Record<string, string> = { 'inproc:good': 'good impl', 'inproc:bad': 'bad impl', 'inproc:crash': 'crash impl' };
const FILES = ['conformance.json', 'conformance.md', 'cucumber.html', 'messages.ndjson', 'junit.xml'];

const roots: string[] = [];
async function suiteRoot(): Promise<string> {
  const root = await makeTinySuite({
    'package.json': JSON.stringify({ name: 'tiny-suite', version: '9.9.9', type: 'module' }),
    'features/fixture.feature': FEATURE,
    'dist/steps/steps.js': STEPS,
  });
  roots.push(root);
  return root;
}
afterAll(async () => {
  await Promise.all(roots.map(removeTinySuite));
});

function harness(root: string, overrides: Partial<CommandContext> = {}): Harness {
  return makeHarness(root, {
    describeImplementation: async (spec) => {
      const name = NAMES[spec];
      if (name === undefined) throw new ExitError(EXIT.USAGE, `unknown implementation "${spec}"`, false);
      return { name, version: '1.0', language: 'JavaScript' };
    },
    now: () => new Date('2026-03-04T05:06:07.000Z'),
  }, overrides);
}

/** A runner that runs nothing: for tests of what reaches Cucumber. */
const NO_RUN: CucumberRunner = async (request) => ({ success: true, messagesFile: path.join(request.outDir, 'messages.ndjson') });


async function readReport(root: string, dir: string): Promise<ConformanceReport> {
  return JSON.parse(await readFile(path.join(root, dir, 'conformance.json'), 'utf8')) as ConformanceReport;
}
const verdictOf = (report: ConformanceReport, id: string) => report.rules.find((r) => r.id === id)?.verdict;

function expectations(implementation: string, ...entries: object[]): ExpectationsFile {
  return { implementation, expectations: entries as ExpectationsFile['expectations'] };
}

async function writeJson(root: string, name: string, value: unknown): Promise<void> {
  await writeFile(path.join(root, name), JSON.stringify(value));
}

describe('run options reach Cucumber', () => {
  it('--timeout, --validate, --parallel, --tags, --profile, --out', async () => {
    const root = await suiteRoot();
    const h = harness(root, { runCucumber: NO_RUN });
    const argv = ['run', '--impl', 'inproc:good', '--timeout', '1500', '--validate', '--parallel', '2', '--tags', 'not @slow', '--profile', 'strict', '--out', 'o'];
    // The runner writes no messages: nothing was measured, a harness error.
    expect(await exitCode(runCli(argv, h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.requests).toHaveLength(1);
    expect(h.requests[0]).toMatchObject({
      outDir: path.join(root, 'o'),
      tags: 'not @slow',
      parallel: 2,
      worldParameters: { implementation: 'inproc:good', timeoutMs: 1500, validateProtocol: true },
      interactive: false,
    });
    expect((await readReport(root, 'o')).profile).toBe('strict');
  });

  it('without them: only the implementation, in this process; progress output on a terminal outside CI', async () => {
    const root = await suiteRoot();
    const h = harness(root, { runCucumber: NO_RUN });
    await exitCode(runCli(['run', '--impl', 'inproc:good'], { ...h.context, io: { ...h.context.io, isTTY: true, ci: false } }));
    expect(h.requests[0]?.worldParameters).toEqual({ implementation: 'inproc:good', implementationCwd: h.context.io.cwd });
    expect(h.requests[0]?.parallel).toBeUndefined();
    expect(h.requests[0]?.interactive).toBe(true);
  });

  it('a relative module: path becomes absolute against the user\'s directory', async () => {
    const root = await suiteRoot();
    const seen: string[] = [];
    const h = harness(root, {
      runCucumber: NO_RUN,
      describeImplementation: async (spec) => {
        seen.push(spec);
        return { name: 'm', version: '1', language: 'JavaScript' };
      },
    });
    await exitCode(runCli(['run', '--impl', 'module:impl/fake.mjs', '--impl', 'module:/abs/fake.mjs'], h.context));
    expect(seen).toEqual([`module:${path.join(root, 'impl', 'fake.mjs')}`, 'module:/abs/fake.mjs']);
    expect(h.requests.map((r) => r.worldParameters['implementation'])).toEqual(seen);
  });

  const usage: [string, string[], RegExp][] = [
    ['a zero timeout', ['run', '--timeout', '0'], /--timeout <ms>' argument '0' is invalid/],
    ['a timeout that is no number', ['run', '--timeout', 'soon'], /expected a positive integer/],
    ['a negative parallel', ['run', '--parallel', '-1'], /--parallel/],
    ['--update-expectations without --expect', ['run', '--update-expectations'], /--update-expectations needs --expect <file>/],
    ['an expectations file that does not exist', ['run', '--expect', 'missing.json'], /cannot read expectations file missing\.json/],
    ['an unknown implementation among several', ['run', '--impl', 'inproc:good', '--impl', 'inproc:nope'], /unknown implementation "inproc:nope"/],
  ];
  it.each(usage)('3 for %s, before anything runs', async (_, argv, message) => {
    const root = await suiteRoot();
    const h = harness(root);
    expect(await exitCode(runCli(argv, h.context))).toBe(EXIT.USAGE);
    expect(h.stderr.text).toMatch(message);
    expect(h.requests).toEqual([]);
    expect(existsSync(path.join(root, 'reports'))).toBe(false);
  });

  it('slugs are lowercase letters, digits and dashes, unique within a run', () => {
    expect(slugify('vmbus-conformance reference model')).toBe('vmbus-conformance-reference-model');
    expect(slugify('<img src=x onerror="window.__pwned=1">')).toBe('img-src-x-onerror-window-pwned-1');
    expect(slugify('../../etc')).toBe('etc');
    expect(slugify('日本')).toBe('implementation');
    expect(slugify('x'.repeat(100))).toHaveLength(48);
    expect(uniqueSlugs(['A b', 'a-b', 'a b', 'c'])).toEqual(['a-b', 'a-b-2', 'a-b-3', 'c']);
  });
});

describe('several implementations in one run', () => {
  it('runs each into its own directory with all five reports, writes the comparison, and exits with the worst code (1)', async () => {
    const root = await suiteRoot();
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:good', '--impl', 'inproc:bad', '--out', 'out'], h.context))).toBe(EXIT.NON_CONFORMANT);
    for (const dir of ['good-impl', 'bad-impl']) for (const file of FILES) expect(existsSync(path.join(root, 'out', dir, file)), `${dir}/${file}`).toBe(true);
    expect(existsSync(path.join(root, 'out', 'conformance.json'))).toBe(false);
    expect((await readReport(root, 'out/good-impl')).outcome).toBe('conformant');
    expect((await readReport(root, 'out/bad-impl')).outcome).toBe('non-conformant');
    expect(h.requests.map((r) => [r.worldParameters['implementation'], r.outDir])).toEqual([
      ['inproc:good', path.join(root, 'out', 'good-impl')],
      ['inproc:bad', path.join(root, 'out', 'bad-impl')],
    ]);
    const md = await readFile(path.join(root, 'out', 'comparison.md'), 'utf8');
    expect(md).toContain('| MAP-04 | normative | A second map fails | pass | **FAIL** |');
    expect(md).toContain('| good impl 1.0 | JavaScript | inproc:good | normative | **CONFORMANT** (exit 0) | normative: 2/2; reference: 1/1 | good-impl/conformance.md |');
    const html = await readFile(path.join(root, 'out', 'comparison.html'), 'utf8');
    expect(html.match(/<tr class="rule"/g)).toHaveLength(3);
    expect(h.stdout.text).toContain('== 1/2: good impl 1.0 (inproc:good) -> out/good-impl');
    expect(h.stdout.text).toContain('bad impl 1.0: NOT CONFORMANT (exit 1) in bad-impl/');
    expect(h.stdout.text).toContain('comparison: out/comparison.md, out/comparison.html');
    // The last line is the closing line over every implementation.
    expect(h.stdout.text.trimEnd().split('\n').at(-1)).toBe('scenarios: 5 passed, 1 failed, 0 skipped');
  });

  it('2 when any implementation errors, whatever the others did', async () => {
    const root = await suiteRoot();
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:good', '--impl', 'inproc:crash', '--impl', 'inproc:bad'], h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.requests).toHaveLength(3);
    expect(h.stdout.text).toContain('crash impl 1.0: HARNESS OR IMPLEMENTATION ERROR (exit 2) in crash-impl/');
  });

  it('0 when all are conformant; the same name twice gets two directories', async () => {
    const root = await suiteRoot();
    const h = harness(root);
    const runs = await runCommand({ impl: ['inproc:good', 'inproc:good'], profile: 'strict', out: 'out' }, h.context);
    expect(runs.map((r) => [r.dir, r.exitCode])).toEqual([
      ['good-impl', 0],
      ['good-impl-2', 0],
    ]);
    expect(existsSync(path.join(root, 'out', 'good-impl-2', 'conformance.md'))).toBe(true);
  });

  it('an implementation that cannot be started is a harness error for it alone; the others still run', async () => {
    const root = await suiteRoot();
    const h = harness(root, {
      describeImplementation: async (spec) => {
        if (spec === 'inproc:bad') throw new Error('binary missing');
        return { name: NAMES[spec] ?? spec, version: '1.0', language: 'JavaScript' };
      },
    });
    expect(await exitCode(runCli(['run', '--impl', 'inproc:good', '--impl', 'inproc:bad'], h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.requests).toHaveLength(1);
    const broken = await readReport(root, 'reports/inproc-bad');
    expect(broken.problems[0]?.message).toMatch(/cannot resolve implementation "inproc:bad": binary missing/);
  });
});

describe('expectations files', () => {

  it('an expected failure does not fail the run: exit 0, verdict known-failure in both reports', async () => {
    const root = await suiteRoot();
    await writeJson(root, 'bad.json', expectations('bad impl', { rule: 'MAP-04', verdict: 'fail', reason: 'maps twice', issue: 'https://example.com/issues/1' }));
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:bad', '--expect', 'bad.json', '--out', 'out'], h.context))).toBe(EXIT.CONFORMANT);
    const report = await readReport(root, 'out');
    expect(report.rules.find((r) => r.id === 'MAP-04')).toMatchObject({ verdict: 'known-failure', expectation: { status: 'met', reason: 'maps twice' } });
    expect(report.expectations).toMatchObject({ file: 'bad.json', implementation: 'bad impl', met: 1 });
    const md = await readFile(path.join(root, 'out', 'conformance.md'), 'utf8');
    expect(md).toContain('| MAP-04 | normative | known failure |');
    expect(md).toContain('## Expectations');
    expect(h.stdout.text).toContain('normative: 1/2 rules pass, 2 checked (0 fail, 0 error, 0 not applicable, 0 not run, 1 known failure, 0 unexpected pass)');
    expect(h.stdout.text).toContain('skipped: 0 not applicable, 1 known failures');
    expect(h.stdout.text).toContain('scenarios: 2 passed, 0 failed, 1 skipped');
    expect(h.stderr.text).toBe('');
  });

  it('an unexpected pass fails the run: exit 1, verdict unexpected-pass', async () => {
    const root = await suiteRoot();
    await writeJson(root, 'good.json', expectations('inproc:good', { rule: 'MAP-04', verdict: 'fail', reason: 'was broken' }));
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:good', '--expect', 'good.json', '--out', 'out'], h.context))).toBe(EXIT.NON_CONFORMANT);
    expect(verdictOf(await readReport(root, 'out'), 'MAP-04')).toBe('unexpected-pass');
    expect(h.stderr.text).toContain('expectation not met: good.json: expectations[0] (rule MAP-04) expects fail, but it passed');
  });

  it('an entry naming an unknown rule is a harness error (2) that names the entry', async () => {
    const root = await suiteRoot();
    await writeJson(root, 'bad.json', expectations('bad impl', { rule: 'MAP-04', verdict: 'fail', reason: 'r' }, { rule: 'MAP-99', verdict: 'fail', reason: 'r' }));
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:bad', '--expect', 'bad.json'], h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.stderr.text).toContain('problem: bad.json: expectations[1] (rule MAP-99): there is no rule MAP-99 in the catalogue');
    expect((await readReport(root, 'reports')).problems.map((p) => p.kind)).toEqual(['expectation-error']);
  });

  it('another verdict fails the run: 1 when it failed instead of erroring, 2 when it errored instead of failing', async () => {
    const root = await suiteRoot();
    await writeJson(root, 'bad.json', expectations('bad impl', { rule: 'MAP-04', verdict: 'error', reason: 'r' }));
    await writeJson(root, 'crash.json', expectations('crash impl', { rule: 'MAP-04', verdict: 'fail', reason: 'r' }, { rule: 'REF-01', verdict: 'error', reason: 'r' }));
    const failed = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:bad', '--expect', 'bad.json', '--out', 'a'], failed.context))).toBe(EXIT.NON_CONFORMANT);
    expect(failed.stderr.text).toContain('expects error, but it was fail');
    const errored = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:crash', '--expect', 'crash.json', '--out', 'b'], errored.context))).toBe(EXIT.HARNESS_ERROR);
    expect(errored.stderr.text).toContain('expects fail, but it was error');
    expect(verdictOf(await readReport(root, 'b'), 'REF-01')).toBe('known-failure');
  });

  it('with several implementations each file goes with the one it names; the comparison marks known failures', async () => {
    const root = await suiteRoot();
    await writeJson(root, 'bad.json', expectations('inproc:bad', { rule: 'MAP-04', verdict: 'fail', reason: 'maps twice' }));
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:good', '--impl', 'inproc:bad', '--expect', 'bad.json', '--out', 'out'], h.context))).toBe(EXIT.CONFORMANT);
    expect((await readReport(root, 'out/good-impl')).expectations).toBeUndefined();
    expect(verdictOf(await readReport(root, 'out/bad-impl'), 'MAP-04')).toBe('known-failure');
    const md = await readFile(path.join(root, 'out', 'comparison.md'), 'utf8');
    expect(md).toContain('| MAP-04 | normative | A second map fails | pass | _known failure_ (fail) |');
    expect(md).toContain('normative: 1/2 (1 known failure)');
  });

  const badFiles: [string, object | string, string[], RegExp][] = [
    ['not JSON', '{ nope', ['inproc:good'], /x\.json is not JSON/],
    ['against the schema', { implementation: 'good impl', expectations: [{ rule: 'MAP-04', verdict: 'pass', reason: 'r' }] }, ['inproc:good'], /\/expectations\/0\/verdict: must be one of "fail", "error", "not-applicable"/],
    ['for no implementation of the run', { implementation: 'other impl', expectations: [] }, ['inproc:good', 'inproc:bad'], /is for implementation "other impl", which is none of this run's: "inproc:good" \("good impl"\), "inproc:bad" \("bad impl"\)/],
  ];
  it.each(badFiles)('3 for a file %s, before anything runs', async (_, content, impls, message) => {
    const root = await suiteRoot();
    await writeFile(path.join(root, 'x.json'), typeof content === 'string' ? content : JSON.stringify(content));
    const h = harness(root);
    expect(await exitCode(runCli(['run', ...impls.flatMap((i) => ['--impl', i]), '--expect', 'x.json'], h.context))).toBe(EXIT.USAGE);
    expect(h.stderr.text).toMatch(message);
    expect(h.requests).toEqual([]);
  });

  it('3 for two files for one implementation', async () => {
    const root = await suiteRoot();
    await writeJson(root, 'a.json', expectations('good impl'));
    await writeJson(root, 'b.json', expectations('inproc:good'));
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:good', '--expect', 'a.json', '--expect', 'b.json'], h.context))).toBe(EXIT.USAGE);
    expect(h.stderr.text).toMatch(/a\.json and b\.json are both for implementation "inproc:good"/);
  });
});

describe('--update-expectations', () => {
  it('creates the file from the run with TODO reasons, applies it, and warns about the TODOs', async () => {
    const root = await suiteRoot();
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:crash', '--expect', 'new.json', '--update-expectations', '--profile', 'strict'], h.context))).toBe(EXIT.CONFORMANT);
    expect(JSON.parse(await readFile(path.join(root, 'new.json'), 'utf8'))).toEqual({
      implementation: 'inproc:crash',
      expectations: [
        { rule: 'MAP-04', verdict: 'error', reason: 'TODO: explain' },
        { rule: 'REF-01', verdict: 'error', reason: 'TODO: explain' },
      ],
    });
    expect(h.stdout.text).toContain('expectations: rewrote new.json: 2 entries (2 added, 0 removed, 0 changed)');
    expect(h.stdout.text).toContain('  added rule MAP-04: TODO: explain');
    expect(h.stderr.text).toContain('warning: new.json: 2 expectation(s) still have a TODO reason (rule MAP-04, rule REF-01)');
    expect((await readReport(root, 'reports')).expectations?.todo).toEqual(['rule MAP-04', 'rule REF-01']);
    // The next run without --update-expectations still warns.
    const again = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:crash', '--expect', 'new.json', '--profile', 'strict'], again.context))).toBe(EXIT.CONFORMANT);
    expect(again.stderr.text).toContain('still have a TODO reason');
  });

  it('keeps reasons and issues of entries that still apply, changes verdicts, removes entries that pass now', async () => {
    const root = await suiteRoot();
    const previous = {
      $schema: '../schemas/expectations.json',
      implementation: 'bad impl',
      expectations: [
        { rule: 'OK-01', verdict: 'fail', reason: 'fixed since' },
        { rule: 'MAP-04', verdict: 'error', reason: 'maps twice', issue: 'https://example.com/issues/7' },
      ],
    };
    await writeJson(root, 'bad.json', previous);
    const h = harness(root);
    expect(await exitCode(runCli(['run', '--impl', 'inproc:bad', '--expect', 'bad.json', '--update-expectations'], h.context))).toBe(EXIT.CONFORMANT);
    expect(await readFile(path.join(root, 'bad.json'), 'utf8')).toBe(
      `${JSON.stringify(
        {
          $schema: '../schemas/expectations.json',
          implementation: 'bad impl',
          expectations: [{ rule: 'MAP-04', verdict: 'fail', reason: 'maps twice', issue: 'https://example.com/issues/7' }],
        },
        null,
        2,
      )}\n`,
    );
    expect(h.stdout.text).toContain('  removed rule OK-01: it passes now');
    expect(h.stdout.text).toContain('  changed rule MAP-04: error -> fail');
    expect(h.stderr.text).toBe('');
  });

  it('does not rewrite the file from a run that broke', async () => {
    const root = await suiteRoot();
    await writeJson(root, 'bad.json', expectations('bad impl', { rule: 'MAP-04', verdict: 'fail', reason: 'keep' }));
    const before = await readFile(path.join(root, 'bad.json'), 'utf8');
    const h = harness(root, { runCucumber: NO_RUN });
    expect(await exitCode(runCli(['run', '--impl', 'inproc:bad', '--expect', 'bad.json', '--update-expectations'], h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(await readFile(path.join(root, 'bad.json'), 'utf8')).toBe(before);
    expect(h.stderr.text).toContain('warning: not rewriting bad.json: the run had problems');
  });
});

describe('the real suite: the reference model against a faulty module', () => {
  it('MAP-04 catches the double map; with its expectation the run is conformant and the comparison says so', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    const out = await makeTinySuite({
      'faulty.json': JSON.stringify(expectations('allows double map', { rule: 'MAP-04', verdict: 'fail', reason: 'a second map replaces the first' })),
    });
    roots.push(out);
    const context: CommandContext = {
      io: { cwd: out, stdout, stderr, isTTY: false, ci: true, env: {} },
      root: PROJECT_ROOT,
      describeImplementation,
      runCucumber: runSuiteWithCucumber,
    };
    const fixture = path.join(PROJECT_ROOT, 'test', 'cli', 'fixtures', 'allowsDoubleMap.ts');
    const code = await exitCode(runCli(['run', '--impl', 'inproc:reference', '--impl', `module:${fixture}`, '--expect', 'faulty.json', '--out', 'out'], context));
    expect(code, stderr.text).toBe(EXIT.CONFORMANT);
    const faulty = await readReport(out, 'out/allows-double-map');
    expect(faulty.rules.filter((r) => r.verdict !== 'pass').map((r) => [r.id, r.verdict])).toEqual([
      ['MAP-04', 'known-failure'],
      ['MAP-05', 'fail'],
      ['MAP-06', 'fail'],
    ]);
    expect(faulty.totals.normative).toMatchObject({ pass: faulty.totals.normative.rules - 1, knownFailure: 1 });
    const md = await readFile(path.join(out, 'out', 'comparison.md'), 'utf8');
    // The denominators come from the catalogue, so new rules do not break this test.
    const { rules } = await loadCatalogue(path.join(PROJECT_ROOT, 'features'), { root: PROJECT_ROOT });
    const normative = rules.filter((r) => r.level === 'normative').length;
    const reference = rules.length - normative;
    expect(md).toContain(`normative: ${normative}/${normative}; reference: ${reference}/${reference}`);
    // MAP-04 is a known failure; MAP-05 and MAP-06 (reference) fail for the same lie.
    expect(md).toContain(`normative: ${normative - 1}/${normative} (1 known failure); reference: ${reference - 2}/${reference}`);
    expect(md).toMatch(/\| MAP-04 \| normative \| [^|]+ \| pass \| _known failure_ \(fail\) \|/);
    // The normative profile does not count reference rules: MAP-05's failure is a choice made differently.
    expect(md).toMatch(/\| MAP-05 \| reference \| [^|]+ \| pass \| differs \(choice\) \|/);
  }, 180_000); // the whole suite twice: up to a minute or more on a loaded machine
});
