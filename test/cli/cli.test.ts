import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { listRulesCommand } from '../../src/cli/commands/listRules.js';
import { runCommand, type RunOptions } from '../../src/cli/commands/run.js';
import { summaryCommand } from '../../src/cli/commands/summary.js';
import type { CommandContext } from '../../src/cli/context.js';
import { EXIT, ExitError, exitCodeForOutcome, exitCodeOf } from '../../src/cli/exit.js';
import { exitCode, makeHarness, type Harness } from './_harness.js';
import { describeImplementation } from '../../src/cli/implementation.js';
import { packageRoot } from '../../src/cli/paths.js';
import { runCli } from '../../src/cli/program.js';
import type { ConformanceReport } from '../../src/report/types.js';
import { PROJECT_ROOT, TINY_FEATURE, TINY_STEPS, makeTinySuite, removeTinySuite } from '../report/tinySuite.js';

const STEPS = `
import { Before, Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
Before({ tags: '@requires:mdl' }, function () { return 'skipped'; });
Given('a step that passes', function () {});
Then('an assertion fails', function () { assert.equal(1, 2, 'wrong | status'); });
`;

function feature(rules: string): string {
  return `Feature: CLI fixture\n${rules}`;
}
function ruleText(tags: string, step: string, name = 'R', scenarioTags = ''): string {
  const id = /@([A-Z]+-\d{2})/.exec(tags)?.[1] ?? 'X';
  return `
  ${tags}
  Rule: ${name} ${id}
    Source: https://example.com/${id}

    ${scenarioTags}
    Scenario: scenario of ${id}
      ${step}
`;
}

const PASSING = ruleText('@OK-01 @normative @half:guest', 'Given a step that passes');
const NOT_APPLICABLE = ruleText('@NA-01 @normative @half:guest @requires:mdl', 'Given a step that passes');
const REFERENCE_FAILS = ruleText('@REF-01 @reference @half:guest @choice:G3', 'Then an assertion fails');
const NORMATIVE_FAILS = ruleText('@BAD-01 @normative @half:guest', 'Then an assertion fails');

const suites: string[] = [];
/** A package root with features, compiled-style steps in dist/steps and a package.json. */
async function suiteRoot(featureText: string, steps = STEPS): Promise<string> {
  const root = await makeTinySuite({
    'package.json': JSON.stringify({ name: 'tiny-suite', version: '9.9.9', type: 'module' }),
    'features/fixture.feature': featureText,
    'dist/steps/steps.js': steps,
  });
  suites.push(root);
  return root;
}

afterAll(async () => {
  await Promise.all(suites.map(removeTinySuite));
});

function harness(root: string, overrides: Partial<CommandContext> = {}): Harness {
  return makeHarness(root, {
    describeImplementation: async () => ({ name: 'tiny impl', version: '0.0.1', language: 'JavaScript' }),
    now: () => new Date('2025-02-03T04:05:06.000Z'),
  }, overrides);
}

const RUN: RunOptions = { impl: 'inproc:tiny', profile: 'normative', out: 'out' };


async function readReport(root: string, out = 'out'): Promise<ConformanceReport> {
  return JSON.parse(await readFile(path.join(root, out, 'conformance.json'), 'utf8')) as ConformanceReport;
}

describe('run: exit codes from real runs', () => {
  it('0 when every normative rule passes or is not applicable, even with a failing reference rule', async () => {
    const root = await suiteRoot(feature(PASSING + NOT_APPLICABLE + REFERENCE_FAILS));
    const h = harness(root);
    expect(await exitCode(runCommand(RUN, h.context))).toBe(EXIT.CONFORMANT);
    for (const file of ['conformance.json', 'conformance.md', 'messages.ndjson', 'cucumber.html', 'junit.xml']) {
      expect(existsSync(path.join(root, 'out', file)), file).toBe(true);
    }
    const report = await readReport(root);
    expect(report).toMatchObject({
      conformant: true,
      profile: 'normative',
      harness: { name: 'tiny-suite', version: '9.9.9' },
      implementation: { name: 'tiny impl', version: '0.0.1', language: 'JavaScript' },
      generatedAt: '2025-02-03T04:05:06.000Z',
    });
    expect(h.stdout.text).toContain('normative: 1/2 rules pass, 1 checked (0 fail, 0 error, 1 not applicable, 0 not run)');
    expect(h.stdout.text).toContain('reference: 0/1 rules pass, 1 checked (1 fail, 0 error, 0 not applicable, 0 not run)');
    expect(h.stdout.text).toContain('result: CONFORMANT (profile normative): checked 1 of 2 normative rules');
    // One line per rule that did not pass, the difference marked as not counted.
    expect(h.stdout.text).toMatch(/^ {2}REF-01 differs \(reference choice\) \(reference\) \[not counted\]: /m);
    expect(h.requests[0]).toMatchObject({
      cwd: root,
      paths: ['features/**/*.feature'],
      importPaths: ['dist/steps/**/*.js'],
      outDir: path.join(root, 'out'),
      worldParameters: { implementation: 'inproc:tiny' },
      interactive: false,
    });
  });

  it('1 under the strict profile when a reference rule fails, with the reports written', async () => {
    const root = await suiteRoot(feature(PASSING + REFERENCE_FAILS));
    expect(await exitCode(runCommand({ ...RUN, profile: 'strict' }, harness(root).context))).toBe(EXIT.NON_CONFORMANT);
    const report = await readReport(root);
    expect(report.outcome).toBe('non-conformant');
    expect(report.rules.find((r) => r.id === 'REF-01')?.scenarios[0]?.message).toMatch(/^wrong \| status/);
    expect(await readFile(path.join(root, 'out', 'conformance.md'), 'utf8')).toContain('wrong | status');
  });

  it('1 when a normative rule fails', async () => {
    const root = await suiteRoot(feature(PASSING + NORMATIVE_FAILS));
    expect(await exitCode(runCommand(RUN, harness(root).context))).toBe(EXIT.NON_CONFORMANT);
    expect((await readReport(root)).totals.normative).toEqual({ rules: 2, checked: 2, pass: 1, fail: 1, error: 0, notApplicable: 0, notRun: 0 });
  });

  it('0 when --tags narrows the run to rules that pass: it judges what it selected, and says so', async () => {
    const root = await suiteRoot(feature(PASSING + ruleText('@SKIP-01 @normative @half:guest', 'Given a step that passes', 'R', '@slow')));
    const h = harness(root);
    expect(await exitCode(runCommand({ ...RUN, tags: 'not @slow' }, h.context))).toBe(EXIT.CONFORMANT);
    expect(h.requests[0]?.tags).toBe('not @slow');
    const report = await readReport(root);
    expect(report.totals.normative.notRun).toBe(1);
    expect(report.scope).toMatchObject({ narrowedBy: '--tags not @slow', rules: 2, selected: 1 });
    expect(h.stdout.text).toContain('normative: 1/1 selected rules pass, 1 checked (0 fail, 0 error, 0 not applicable; 1 not selected)');
    expect(h.stdout.text).toContain('narrowed to 1 of 2 rules by --tags not @slow');
    expect(await readFile(path.join(root, 'out', 'conformance.md'), 'utf8')).toContain('narrowed to 1 of 2 rules by --tags not @slow');
  });

  it('2 when a counted rule errors (exceptions, undefined steps)', async () => {
    const root = await suiteRoot(TINY_FEATURE, TINY_STEPS);
    expect(await exitCode(runCommand(RUN, harness(root).context))).toBe(EXIT.HARNESS_ERROR);
    expect((await readReport(root)).outcome).toBe('harness-error');
  });

  it('2 when the catalogue has problems, even if every scenario passes', async () => {
    // A scenario after a Rule belongs to it in Gherkin, so the loose one comes first.
    const root = await suiteRoot(feature('\n  Scenario: loose\n    Given a step that passes\n' + PASSING));
    const h = harness(root);
    expect(await exitCode(runCommand(RUN, h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.stderr.text).toMatch(/problem: features\/fixture\.feature:\d+: Scenario "loose" is not inside a Rule/);
    expect((await readReport(root)).problems.map((p) => p.kind)).toContain('scenario-outside-rule');
  });

  it('2 for a feature Gherkin cannot parse: a located problem, no crash', async () => {
    const root = await suiteRoot(feature(PASSING));
    await writeFile(path.join(root, 'features', 'broken.feature'), 'Feature: broken\n  @dangling\n');
    const h = harness(root);
    expect(await exitCode(runCommand(RUN, h.context))).toBe(EXIT.HARNESS_ERROR);
    const report = await readReport(root);
    expect(report.problems.filter((p) => p.kind === 'parse-error').map((p) => p.message)).toEqual([
      expect.stringMatching(/^features\/broken\.feature:3: Gherkin parse error: /),
    ]);
    // Cucumber 12 runs no scenario at all when a feature does not parse.
    expect(report.rules.find((r) => r.id === 'OK-01')?.verdict).toBe('not-run');
  });

  it('2 when Cucumber cannot start (a step file that does not load), and stale messages are not reused', async () => {
    const root = await suiteRoot(feature(PASSING), 'this is not javascript (');
    await mkdir(path.join(root, 'out'), { recursive: true });
    await writeFile(path.join(root, 'out', 'messages.ndjson'), '{"stale":true}\n');
    const h = harness(root);
    expect(await exitCode(runCommand(RUN, h.context))).toBe(EXIT.HARNESS_ERROR);
    const report = await readReport(root);
    expect(report.problems.map((p) => p.kind)).toContain('cucumber-error');
    expect(report.rules.every((r) => r.verdict === 'not-run')).toBe(true);
    expect(existsSync(path.join(root, 'out', 'messages.ndjson'))).toBe(false);
  });
});

describe('run: the implementation spec', () => {
  it('3 for a spec the registry does not know, before anything runs', async () => {
    const root = await suiteRoot(feature(PASSING));
    const h = harness(root, { describeImplementation: describeImplementation });
    expect(await exitCode(runCommand({ ...RUN, impl: 'inproc:nonexistent' }, h.context))).toBe(EXIT.USAGE);
    expect(h.requests).toEqual([]);
    expect(h.stderr.text).toMatch(/inproc:nonexistent/);
    expect(existsSync(path.join(root, 'out'))).toBe(false);
  });

  it('2 when resolving the implementation breaks, with the reports still written', async () => {
    const root = await suiteRoot(feature(PASSING));
    const h = harness(root, {
      describeImplementation: () => {
        throw new Error('adapter binary missing');
      },
    });
    expect(await exitCode(runCommand(RUN, h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.requests).toEqual([]);
    const report = await readReport(root);
    expect(report.problems[0]?.message).toMatch(/adapter binary missing/);
  });

  it('the registry describes the reference model', async () => {
    const info = await describeImplementation('inproc:reference');
    expect(info.name.length).toBeGreaterThan(0);
    expect(Object.keys(info).sort()).toEqual(['capabilities', 'language', 'name', 'version']);
    expect(info.capabilities).toMatchObject({ trace: true, violations: true, mdl: true, lifecycle: true });
  });
});

describe('summary', () => {
  it('re-derives the Markdown from a run directory, with the run profile and exit code', async () => {
    const root = await suiteRoot(feature(PASSING + REFERENCE_FAILS));
    await exitCode(runCommand(RUN, harness(root).context));
    const h = harness(root);
    expect(await exitCode(summaryCommand({ dir: 'out' }, h.context))).toBe(EXIT.CONFORMANT);
    expect(h.stdout.text).toMatch(/^# VMBus GPADL conformance: tiny impl 0\.0\.1/);
    expect(h.stdout.text).toContain('- normative: 1/1 rules pass, 1 checked (0 fail, 0 error, 0 not applicable, 0 not run)');
    expect(h.stdout.text).toContain('Profile: normative');
    const strict = harness(root);
    expect(await exitCode(runCli(['summary', 'out', '--profile', 'strict'], strict.context))).toBe(EXIT.NON_CONFORMANT);
    expect(strict.stdout.text).toContain('Profile: strict');
  });

  it('applies an expectations file as run does, and names a bad one a usage error', async () => {
    const root = await suiteRoot(feature(PASSING + REFERENCE_FAILS));
    await exitCode(runCommand(RUN, harness(root).context));
    const rule = /@([A-Z]+-\d{2}) @reference/.exec(REFERENCE_FAILS)![1]!;
    await writeFile(path.join(root, 'expect.json'), JSON.stringify({ implementation: 'tiny impl', expectations: [{ rule, verdict: 'fail', reason: 'a choice of its own' }] }));
    const h = harness(root);
    expect(await exitCode(runCli(['summary', 'out', '--profile', 'strict', '--expect', 'expect.json'], h.context))).toBe(EXIT.CONFORMANT);
    expect(h.stdout.text).toContain('1 known failure');
    expect(await exitCode(runCli(['summary', 'out', '--expect', 'missing.json'], harness(root).context))).toBe(EXIT.USAGE);
  });

  it('2 for a truncated run, 2 for a directory without messages', async () => {
    const root = await suiteRoot(feature(PASSING + REFERENCE_FAILS));
    await exitCode(runCommand(RUN, harness(root).context));
    const file = path.join(root, 'out', 'messages.ndjson');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, Math.floor(text.length * 0.8)));
    const h = harness(root);
    expect(await exitCode(summaryCommand({ dir: 'out' }, h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.stdout.text).toContain('the run did not finish');
    const empty = harness(root);
    expect(await exitCode(summaryCommand({ dir: 'nowhere' }, empty.context))).toBe(EXIT.HARNESS_ERROR);
    expect(empty.stderr.text).toMatch(/cannot read .*nowhere/);
  });
});

describe('list-rules', () => {
  it('one line per rule: id, level, source, title; and a JSON array', async () => {
    const root = await suiteRoot(feature(PASSING + REFERENCE_FAILS));
    const text = harness(root);
    expect(await exitCode(runCli(['list-rules'], text.context))).toBe(0);
    expect(text.stdout.text.trimEnd().split('\n')).toEqual([
      'OK-01   normative  https://example.com/OK-01  R OK-01',
      'REF-01  reference  https://example.com/REF-01  R REF-01',
    ]);
    const json = harness(root);
    expect(await exitCode(runCli(['list-rules', '--json'], json.context))).toBe(0);
    const rules = JSON.parse(json.stdout.text) as { id: string; choices: string[] }[];
    expect(rules.map((r) => r.id)).toEqual(['OK-01', 'REF-01']);
    expect(rules[1]?.choices).toEqual(['G3']);
  });

  it('2 when the catalogue has problems, printed to stderr', async () => {
    const root = await suiteRoot(feature(PASSING + REFERENCE_FAILS.replace('@reference', '')));
    const h = harness(root);
    expect(await exitCode(listRulesCommand({}, h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.stdout.text).toContain('OK-01');
    expect(h.stderr.text).toMatch(/problem: features\/fixture\.feature:\d+: Rule "R REF-01" has no level tag/);
  });
});

describe('usage errors are exit code 3', () => {
  const usage: [string, string[]][] = [
    ['a bad profile', ['run', '--profile', 'lax']],
    ['an unknown option', ['run', '--frobnicate']],
    ['an unknown command', ['frobnicate']],
    ['no command', []],
    ['a missing argument', ['summary']],
    ['an excess argument', ['list-rules', 'extra']],
    ['an option without its value', ['run', '--impl']],
  ];
  it.each(usage)('%s', async (_, argv) => {
    const h = harness(PROJECT_ROOT);
    expect(await exitCode(runCli(argv, h.context))).toBe(EXIT.USAGE);
    expect(h.requests).toEqual([]);
    expect(h.stderr.text.length).toBeGreaterThan(0);
  });

  it('--help and --version exit 0', async () => {
    const help = harness(PROJECT_ROOT);
    expect(await exitCode(runCli(['--help'], help.context))).toBe(0);
    expect(help.stdout.text).toMatch(/list-rules/);
    const version = harness(PROJECT_ROOT);
    expect(await exitCode(runCli(['--version'], version.context, '1.2.3'))).toBe(0);
    expect(version.stdout.text.trim()).toBe('1.2.3');
  });

  it('run takes its documented defaults', async () => {
    const root = await suiteRoot(feature(PASSING));
    const h = harness(root, { runCucumber: async (request) => ({ success: true, messagesFile: path.join(request.outDir, 'messages.ndjson') }) });
    // The fake runner writes no messages: nothing was measured, so a harness error.
    expect(await exitCode(runCli(['run'], h.context))).toBe(EXIT.HARNESS_ERROR);
    expect(h.requests[0]).toMatchObject({ outDir: path.join(root, 'reports'), worldParameters: { implementation: 'inproc:reference' } });
    expect(h.requests[0]?.tags).toBeUndefined();
    expect((await readReport(root, 'reports')).profile).toBe('normative');
  });
});

describe('exit code mapping', () => {
  it('maps outcomes and thrown values', () => {
    expect(exitCodeForOutcome('conformant')).toBe(0);
    expect(exitCodeForOutcome('non-conformant')).toBe(1);
    expect(exitCodeForOutcome('harness-error')).toBe(2);
    expect(exitCodeOf(new ExitError(EXIT.USAGE))).toBe(3);
    expect(exitCodeOf(new ExitError(EXIT.NON_CONFORMANT))).toBe(1);
    expect(exitCodeOf(new Error('boom'))).toBe(2);
    expect(exitCodeOf('a string')).toBe(2);
  });

  it('finds the package root from the compiled and the source layout', () => {
    expect(packageRoot(pathToFileURL(path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js')).href)).toBe(PROJECT_ROOT);
    expect(packageRoot(pathToFileURL(path.join(PROJECT_ROOT, 'src', 'cli', 'paths.ts')).href)).toBe(PROJECT_ROOT);
  });
});
