import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Envelope, TestStepResult } from '@cucumber/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type Catalogue } from '../../src/catalogue/catalogue.js';
import { loadSpec } from '../../src/catalogue/spec.js';
import { runSuiteWithCucumber } from '../../src/cli/cucumber.js';
import { buildReport, decideOutcome } from '../../src/report/build.js';
import { REPORT_FORMATS, writeReports } from '../../src/report/formats.js';
import { readHarnessInfo } from '../../src/report/harness.js';
import { codeBlock, denominatorLine, escapeMarkdown, renderMarkdown } from '../../src/report/markdown.js';
import { parseMessages } from '../../src/report/ndjson.js';
import type { ConformanceReport, Profile, RuleResult, Verdict } from '../../src/report/types.js';
import { combineVerdicts, verdictOfSteps, type StepOutcome } from '../../src/report/verdict.js';
import { Capture, FAILING_EXAMPLE_LINE, PROJECT_ROOT, TINY_FEATURE, TINY_STEPS, makeTinySuite, removeTinySuite } from './tinySuite.js';

const IMPLEMENTATION = { name: 'impl | *bold*', version: '1.0 <beta>', language: 'TypeScript' };

let dir: string;
let ndjson: string;
let envelopes: Envelope[];
let catalogue: Catalogue;
let cucumberSuccess: boolean;

function report(options: { envelopes?: readonly Envelope[]; profile?: Profile } = {}): ConformanceReport {
  return buildReport({
    catalogue,
    envelopes: options.envelopes ?? envelopes,
    harness: { name: 'vmbus-conformance', version: '0.1.0' },
    implementation: IMPLEMENTATION,
    profile: options.profile ?? 'normative',
    generatedAt: '2025-01-01T00:00:00.000Z',
  });
}

const rule = (r: ConformanceReport, id: string): RuleResult => {
  const found = r.rules.find((x) => x.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

beforeAll(async () => {
  dir = await makeTinySuite({ 'features/tiny.feature': TINY_FEATURE, 'steps/steps.mjs': TINY_STEPS });
  const out = new Capture();
  const result = await runSuiteWithCucumber({
    cwd: dir,
    paths: ['features/**/*.feature'],
    importPaths: ['steps/**/*.mjs'],
    outDir: path.join(dir, 'out'),
    tags: 'not @filtered',
    worldParameters: { implementation: 'tiny' },
    stdout: out,
    stderr: out,
    env: {},
    interactive: false,
  });
  expect(result.error).toBeUndefined();
  cucumberSuccess = result.success;
  ndjson = await readFile(result.messagesFile, 'utf8');
  const parsed = parseMessages(ndjson);
  expect(parsed.problems).toEqual([]);
  envelopes = parsed.envelopes;
  catalogue = await loadCatalogue(path.join(dir, 'features'), { root: dir });
  expect(catalogue.problems).toEqual([]);
});

afterAll(async () => {
  await removeTinySuite(dir);
});

describe('what Cucumber 12 emits', () => {
  const failedResults = (): TestStepResult[] =>
    envelopes.flatMap((e) => (e.testStepFinished?.testStepResult.status === 'FAILED' ? [e.testStepFinished.testStepResult] : []));

  it('exception.type is the constructor name: AssertionError for node:assert, Error and TypeError otherwise', () => {
    const types = failedResults().map((r) => r.exception?.type);
    expect(types).toContain('AssertionError');
    expect(types).toContain('Error');
    expect(types).toContain('TypeError');
  });

  it('a Before hook returning "skipped" makes every step of the test case SKIPPED', () => {
    expect(envelopes.some((e) => e.testStepFinished?.testStepResult.status === 'SKIPPED')).toBe(true);
  });

  it('reports the run as failed, which the report does not rely on', () => {
    expect(cucumberSuccess).toBe(false);
  });
});

describe('verdicts from a real run', () => {
  const cases: [string, Verdict][] = [
    ['PASS-01', 'pass'],
    ['FAIL-01', 'fail'],
    ['ERR-01', 'error'],
    ['TYPE-01', 'error'],
    ['UND-01', 'error'],
    ['PEN-01', 'error'],
    ['AMB-01', 'error'],
    ['NA-01', 'not-applicable'],
    ['MIX-01', 'pass'],
    ['OUT-01', 'fail'],
    ['FLT-01', 'not-run'],
  ];
  it.each(cases)('%s is %s', (id, verdict) => {
    expect(rule(report(), id).verdict).toBe(verdict);
  });

  it('has every catalogue rule, in catalogue order, with its metadata', () => {
    const r = report();
    expect(r.rules.map((x) => x.id)).toEqual(catalogue.rules.map((x) => x.id));
    expect(rule(r, 'PASS-01')).toMatchObject({ level: 'normative', source: 'https://example.com/pass', feature: 'features/tiny.feature', spec: ['KMCL-MAP-1'], choices: [] });
    expect(rule(r, 'FAIL-01').choices).toEqual(['G4']);
    expect(r.problems).toEqual([]);
  });

  it('keeps the assertion message and the step of a failed scenario', () => {
    const scenarios = rule(report(), 'FAIL-01').scenarios;
    expect(scenarios.map((s) => s.verdict)).toEqual(['pass', 'fail']);
    expect(scenarios[0]!.message).toBeUndefined();
    expect(scenarios[1]).toMatchObject({
      name: 'assertion fails',
      message: 'expected STATUS_SUCCESS | got *STATUS_BUSY*',
      step: 'Then an assertion fails with "expected STATUS_SUCCESS | got *STATUS_BUSY*"',
    });
  });

  it('an exception that is no assertion is an error, with its type', () => {
    const r = report();
    expect(rule(r, 'ERR-01').scenarios.map((s) => [s.verdict, s.message])).toEqual([
      ['error', 'Error: the implementation crashed'],
      ['pass', undefined],
    ]);
    expect(rule(r, 'TYPE-01').scenarios[0]!.message).toMatch(/^TypeError: /);
  });

  it('undefined, pending and ambiguous steps are errors that name the step', () => {
    const r = report();
    expect(rule(r, 'UND-01').scenarios[0]).toMatchObject({ verdict: 'error', step: 'Given a step nobody defined', message: expect.stringMatching(/undefined step/) });
    expect(rule(r, 'PEN-01').scenarios[0]).toMatchObject({ verdict: 'error', message: expect.stringMatching(/pending/) });
    expect(rule(r, 'AMB-01').scenarios[0]).toMatchObject({ verdict: 'error', message: expect.stringMatching(/Multiple step definitions/) });
  });

  it('a scenario skipped by a Before hook is not applicable, and says which hook', () => {
    expect(rule(report(), 'NA-01').scenarios[0]).toMatchObject({ verdict: 'not-applicable', step: 'Before hook' });
    expect(rule(report(), 'MIX-01').scenarios.map((s) => s.verdict)).toEqual(['not-applicable', 'pass']);
  });

  it('a failing example of an outline fails its scenario and names the example row', () => {
    const s = rule(report(), 'OUT-01').scenarios[0]!;
    expect(s.verdict).toBe('fail');
    expect(s.message).toMatch(new RegExp(`^example at line ${FAILING_EXAMPLE_LINE}: Expected values to be strictly equal`));
  });

  it('counts totals per level', () => {
    expect(report().totals).toEqual({
      normative: { rules: 5, checked: 4, pass: 2, fail: 1, error: 1, notApplicable: 1, notRun: 0 },
      reference: { rules: 6, checked: 5, pass: 0, fail: 1, error: 4, notApplicable: 0, notRun: 1 },
    });
  });

  it('an error in a counted rule makes the run a harness error, not conformant', () => {
    const r = report();
    expect(r.outcome).toBe('harness-error');
    expect(r.conformant).toBe(false);
    expect(r.run).toEqual({ finished: true, success: false, cucumberVersion: '12.9.0' });
  });

  it('catalogue problems make the run a harness error and are reported', () => {
    const withProblem = buildReport({
      catalogue: { rules: catalogue.rules, problems: [{ kind: 'missing-source', file: 'f', line: 3, message: 'f:3: no Source' }] },
      envelopes,
      harness: { name: 'h', version: '1' },
      implementation: IMPLEMENTATION,
      profile: 'normative',
    });
    expect(withProblem.problems.map((p) => p.message)).toContain('f:3: no Source');
    expect(withProblem.outcome).toBe('harness-error');
  });
});

describe('truncated or damaged messages', () => {
  /** The NDJSON cut in the middle of the line that finishes the first assertion failure. */
  function truncatedAtAssertion(): string {
    const lines = ndjson.split('\n');
    const i = lines.findIndex((l) => l.includes('"testStepFinished"') && l.includes('"AssertionError"'));
    expect(i).toBeGreaterThan(0);
    const cut = lines[i]!.slice(0, Math.floor(lines[i]!.length / 2));
    return [...lines.slice(0, i), cut].join('\n');
  }

  it('still yields a report: what finished keeps its verdict, the rest did not finish', () => {
    const parsed = parseMessages(truncatedAtAssertion());
    expect(parsed.truncated).toBe(true);
    expect(parsed.problems).toEqual([]);
    const r = report({ envelopes: parsed.envelopes });
    expect(rule(r, 'PASS-01').verdict).toBe('pass');
    const cutShort = rule(r, 'FAIL-01').scenarios[1]!;
    expect(cutShort).toMatchObject({ verdict: 'error', message: 'did not finish' });
    expect(cutShort.step).toMatch(/^Then an assertion fails/);
    expect(rule(r, 'NA-01').scenarios[0]).toMatchObject({ verdict: 'error', message: 'did not finish' });
    expect(rule(r, 'FLT-01').verdict).toBe('not-run');
    expect(r.problems.map((p) => p.kind)).toEqual(['run-incomplete']);
    expect(r.outcome).toBe('harness-error');
  });

  it('a report of a truncated run can be written', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'report-out-'));
    try {
      const written = await writeReports(report({ envelopes: parseMessages(truncatedAtAssertion()).envelopes }), out);
      expect(written.map((f) => path.basename(f))).toEqual(['conformance.json', 'conformance.md', 'summary.md', 'junit.xml']);
      const json = JSON.parse(await readFile(path.join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
      expect(json.outcome).toBe('harness-error');
      expect(await readFile(path.join(out, 'conformance.md'), 'utf8')).toMatch(/the run did not finish/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('cut before any test case: every rule not run, and the run is incomplete', () => {
    const lines = ndjson.split('\n');
    const firstTestCase = lines.findIndex((l) => l.startsWith('{"testCase"'));
    const r = report({ envelopes: parseMessages(lines.slice(0, firstTestCase).join('\n')).envelopes });
    expect(r.rules.every((x) => x.verdict === 'not-run')).toBe(true);
    expect(r.outcome).toBe('harness-error');
    expect(r.problems.map((p) => p.kind)).toEqual(['run-incomplete']);
  });

  it('a bad line in the middle is a located problem; the rest is still read', () => {
    const lines = ndjson.split('\n');
    lines.splice(3, 0, '{not json');
    const parsed = parseMessages(lines.join('\n'), 'messages.ndjson');
    expect(parsed.problems).toEqual([{ kind: 'bad-message', file: 'messages.ndjson', line: 4, message: 'messages.ndjson:4: not a JSON message line' }]);
    expect(parsed.envelopes).toHaveLength(envelopes.length);
  });

  it('no messages at all is a problem, never a pass', () => {
    const r = report({ envelopes: [] });
    expect(r.problems.map((p) => p.kind)).toEqual(['no-messages']);
    expect(r.outcome).toBe('harness-error');
  });

  it('an empty catalogue is a problem, never a vacuous pass', () => {
    const r = buildReport({ catalogue: { rules: [], problems: [] }, envelopes: [], harness: { name: 'h', version: '1' }, implementation: IMPLEMENTATION, profile: 'strict' });
    expect(r.problems.map((p) => p.kind)).toContain('no-rules');
    expect(r.conformant).toBe(false);
  });
});

describe('the conformance markdown', () => {
  it('states the denominator per level', () => {
    const md = renderMarkdown(report());
    expect(md).toContain('- normative: 2/5 rules pass, 4 checked (1 fail, 1 error, 1 not applicable, 0 not run)');
    expect(md).toContain('- reference: 0/6 rules pass, 5 checked (1 fail, 4 error, 0 not applicable, 1 not run)');
    expect(denominatorLine('normative', { rules: 41, checked: 41, pass: 41, fail: 0, error: 0, notApplicable: 0, notRun: 0 })).toBe(
      'normative: 41/41 rules pass, 41 checked (0 fail, 0 error, 0 not applicable, 0 not run)',
    );
    expect(denominatorLine('normative', { rules: 65, checked: 1, pass: 1, fail: 0, error: 0, notApplicable: 0, notRun: 64 }, true)).toBe(
      'normative: 1/1 selected rules pass, 1 checked (0 fail, 0 error, 0 not applicable; 64 not selected)',
    );
  });

  it('shows a failed reference rule as a choice made differently when the profile does not count it', () => {
    // The rows of the full tables, in the folded "All rules" section.
    const referenceRows = (md: string) => md.slice(md.indexOf('## All rules')).split('\n').filter((l) => /^\| [A-Z]+-\d{2} \| reference \|/.test(l));
    const normative = renderMarkdown(report({ profile: 'normative' }));
    expect(referenceRows(normative).filter((l) => l.includes('| differs (reference choice) |'))).toHaveLength(1);
    expect(referenceRows(normative).some((l) => l.includes('**FAIL**'))).toBe(false);
    expect(normative).toContain('## Reference choices made differently');
    const strict = renderMarkdown(report({ profile: 'strict' }));
    expect(referenceRows(strict).filter((l) => l.includes('| **FAIL** |'))).toHaveLength(1);
    expect(strict).not.toContain('differs (reference choice)');
    expect(strict).not.toContain('## Reference choices made differently');
  });

  it('names the implementation and the profile, with the implementation text escaped', () => {
    const md = renderMarkdown(report({ profile: 'strict' }));
    expect(md).toContain('impl \\| \\*bold\\* 1.0 \\<beta\\>');
    expect(md).not.toContain('impl | *bold*');
    expect(md).toContain('Profile: strict (counts normative and reference rules)');
    expect(md).toMatch(/Result: \*\*HARNESS OR IMPLEMENTATION ERROR/);
  });

  it('has a table per feature whose rows keep five cells, pipes in titles escaped', () => {
    const md = renderMarkdown(report()).split('## All rules')[1]!;
    const row = md.split('\n').find((l) => l.startsWith('| PASS-01 '));
    expect(row).toBe('| PASS-01 | normative | pass | Everything passes \\| with a pipe | <https://example.com/pass> |');
    const rows = md.split('\n').filter((l) => /^\| [A-Z]+-\d{2} /.test(l));
    expect(rows).toHaveLength(11);
    for (const r of rows) expect(r.split(/(?<!\\)\|/)).toHaveLength(7);
  });

  it('details every rule that did not pass, with messages in fenced blocks', () => {
    const md = renderMarkdown(report());
    expect(md).toContain('### FAIL-01: An assertion fails (normative, **FAIL**)');
    expect(md).not.toContain('### PASS-01');
    const lines = md.split('\n');
    const at = lines.findIndex((l) => l.includes('expected STATUS_SUCCESS | got *STATUS_BUSY*') && !l.startsWith('- '));
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]!.trim()).toBe('```text');
    expect(lines[at + 1]!.trim()).toBe('```');
  });

  it('lists, under a rule that did not pass, the spec statements it cites (an unknown id left out)', async () => {
    const spec = (await loadSpec(path.join(PROJECT_ROOT, 'spec'), { root: PROJECT_ROOT })).statements;
    const r = buildReport({
      catalogue,
      spec,
      envelopes,
      harness: { name: 'vmbus-conformance', version: '0.1.0' },
      implementation: IMPLEMENTATION,
      profile: 'normative',
    });
    const failing = rule(r, 'FAIL-01');
    expect(failing.spec).toEqual(['KMCL-MAP-6', 'NO-SUCH-1']);
    expect(failing.cites).toEqual([{ id: 'KMCL-MAP-6', level: 'documented', text: spec.get('KMCL-MAP-6')!.text, where: spec.get('KMCL-MAP-6')!.where, file: 'spec/kmcl.md' }]);
    expect(rule(r, 'ERR-01').cites).toEqual([]);
    const md = renderMarkdown(r);
    const section = md.slice(md.indexOf('### FAIL-01'));
    expect(section).toContain('Cites:');
    expect(section).toContain(`- KMCL-MAP-6 (documented, spec/kmcl.md): ${escapeMarkdown(spec.get('KMCL-MAP-6')!.text)}`);
    expect(rule(report(), 'FAIL-01').cites).toBeUndefined();
  });

  it('escapes markdown and cannot be closed early by backticks', () => {
    expect(escapeMarkdown('a|b *c* _d_ [e](f) <g>\nh `i` ~~j~~ \\k')).toBe('a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> h \\`i\\` \\~\\~j\\~\\~ \\\\k');
    expect(codeBlock('x ``` y')).toBe('````text\nx ``` y\n````');
  });
});

describe('report files', () => {
  it('has one writer per file, each described', () => {
    expect(Object.entries(REPORT_FORMATS).map(([name, f]) => [name, f.file])).toEqual([
      ['json', 'conformance.json'],
      ['markdown', 'conformance.md'],
      ['summary', 'summary.md'],
      ['junit', 'junit.xml'],
    ]);
    for (const f of Object.values(REPORT_FORMATS)) expect(f.description.length).toBeGreaterThan(10);
  });

  it('conformance.json carries the documented fields', async () => {
    const harness = await readHarnessInfo(PROJECT_ROOT);
    expect(harness).toEqual({ name: 'vmbus-conformance', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const json = JSON.parse(REPORT_FORMATS.json.render(report())) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['harness', 'implementation', 'profile', 'generatedAt', 'totals', 'conformant', 'rules', 'problems']),
    );
    const rules = json['rules'] as Record<string, unknown>[];
    expect(Object.keys(rules[0]!)).toEqual(
      expect.arrayContaining(['id', 'level', 'title', 'source', 'feature', 'spec', 'choices', 'verdict', 'scenarios']),
    );
  });
});

describe('verdict rules', () => {
  const step = (status: `${TestStepResult['status']}`, extra: Partial<TestStepResult> = {}, isGherkinStep = true): StepOutcome => ({
    label: 'Then x',
    isGherkinStep,
    result: { status: status as TestStepResult['status'], duration: { seconds: 0, nanos: 0 }, ...extra },
  });

  it('an assertion failure known only from the message is still a fail', () => {
    expect(verdictOfSteps([step('FAILED', { message: 'AssertionError [ERR_ASSERTION]: nope' })]).verdict).toBe('fail');
    expect(verdictOfSteps([step('FAILED', { message: 'Error: nope' })]).verdict).toBe('error');
  });

  it('the first failure decides: a failing After hook after an assertion keeps the fail', () => {
    const v = verdictOfSteps([
      step('FAILED', { exception: { type: 'AssertionError', message: 'wrong status' } }),
      step('FAILED', { exception: { type: 'Error', message: 'close failed' } }, false),
    ]);
    expect(v).toMatchObject({ verdict: 'fail', message: 'wrong status' });
    expect(verdictOfSteps([step('PASSED'), step('FAILED', { exception: { type: 'Error', message: 'close failed' } }, false)]).verdict).toBe('error');
  });

  it('UNKNOWN is an error; hooks alone or nothing at all are errors, never a pass', () => {
    expect(verdictOfSteps([step('UNKNOWN')]).verdict).toBe('error');
    expect(verdictOfSteps([step('PASSED', {}, false)]).verdict).toBe('error');
    expect(verdictOfSteps([]).verdict).toBe('error');
    expect(verdictOfSteps([step('PASSED', {}, false), step('PASSED')]).verdict).toBe('pass');
  });

  it('combines fail > error > pass > not-applicable > not-run', () => {
    expect(combineVerdicts(['pass', 'error', 'fail'])).toBe('fail');
    expect(combineVerdicts(['pass', 'error', 'not-applicable'])).toBe('error');
    expect(combineVerdicts(['not-applicable', 'pass', 'not-run'])).toBe('pass');
    expect(combineVerdicts(['not-applicable', 'not-run'])).toBe('not-applicable');
    expect(combineVerdicts(['not-run'])).toBe('not-run');
    expect(combineVerdicts([])).toBe('not-run');
  });
});

describe('conformance by profile', () => {
  const r = (level: 'normative' | 'reference', verdict: Verdict): RuleResult => ({
    id: 'X-01', level, title: 't', statement: '', source: 's', feature: 'f', featureName: 'F', line: 1, spec: [], choices: [], requires: [], halves: ['guest'], verdict, scenarios: [],
  });

  it('normative counts only normative rules; n/a counts neither way', () => {
    const rules = [r('normative', 'pass'), r('normative', 'not-applicable'), r('reference', 'fail')];
    expect(decideOutcome(rules, [], 'normative')).toBe('conformant');
    expect(decideOutcome(rules, [], 'strict')).toBe('non-conformant');
    expect(decideOutcome([r('normative', 'pass'), r('reference', 'fail')], [], 'strict')).toBe('non-conformant');
  });

  it('an error in any rule, counted or not, is a harness error: a crash is never a clean result', () => {
    expect(decideOutcome([r('normative', 'pass'), r('reference', 'error')], [], 'normative')).toBe('harness-error');
    expect(decideOutcome([r('normative', 'pass'), r('reference', 'error')], [], 'strict')).toBe('harness-error');
  });

  it('a reference rule that failed the contract of a claimed capability counts under the normative profile', () => {
    const contract = { ...r('reference', 'fail'), contract: true as const };
    expect(decideOutcome([r('normative', 'pass'), contract], [], 'normative')).toBe('non-conformant');
    expect(decideOutcome([r('normative', 'pass'), r('reference', 'fail')], [], 'normative')).toBe('conformant');
  });

  it('a narrowed run judges the rules it selected; a missing required capability fails the run', () => {
    const rules = [r('normative', 'pass'), r('normative', 'not-run')];
    expect(decideOutcome(rules, [], 'normative')).toBe('non-conformant');
    expect(decideOutcome(rules, [], 'normative', { selectedOnly: true })).toBe('conformant');
    expect(decideOutcome([r('normative', 'not-run')], [], 'normative', { selectedOnly: true })).toBe('harness-error');
    expect(decideOutcome([r('normative', 'pass')], [], 'normative', { missingRequired: ['trace'] })).toBe('non-conformant');
  });

  it('a counted failure is non-conformant, a counted error or a problem is a harness error', () => {
    expect(decideOutcome([r('normative', 'fail')], [], 'normative')).toBe('non-conformant');
    expect(decideOutcome([r('normative', 'fail'), r('normative', 'error')], [], 'normative')).toBe('harness-error');
    expect(decideOutcome([r('normative', 'pass')], [{ kind: 'run-incomplete', message: 'x' }], 'normative')).toBe('harness-error');
  });

  it('a counted rule not run does not establish conformance', () => {
    expect(decideOutcome([r('normative', 'pass'), r('normative', 'not-run')], [], 'normative')).toBe('non-conformant');
    expect(decideOutcome([r('normative', 'pass'), r('reference', 'not-run')], [], 'normative')).toBe('conformant');
  });

  it('no counted rules at all is a harness error, not a vacuous pass', () => {
    expect(decideOutcome([r('reference', 'pass')], [], 'normative')).toBe('harness-error');
  });
});
