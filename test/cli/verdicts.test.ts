/**
 * Verdicts that say what was checked, on real runs of the features: a core-only implementation's
 * result line counts the rules checked and names the missing capabilities; --require makes a
 * missing one a failure; --tags judges only what it selected; a claimed capability contradicted
 * (violations claimed, none recorded) is a failure under the normative profile while another
 * choice of violation kind is a difference; --fail-fast, --dry-run and the progress lines.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { runSuiteWithCucumber } from '../../src/cli/cucumber.js';
import { EXIT } from '../../src/cli/exit.js';
import { describeImplementation } from '../../src/cli/implementation.js';
import { runCli } from '../../src/cli/program.js';
import type { ConformanceReport } from '../../src/report/types.js';
import { Capture, makeTinySuite, PROJECT_ROOT, removeTinySuite } from '../report/tinySuite.js';
import { exitCode } from './_harness.js';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map(removeTinySuite));
});

const fixture = (name: string) => `module:${path.join(PROJECT_ROOT, 'test', 'cli', 'fixtures', `${name}.ts`)}`;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string; out: string; report: () => Promise<ConformanceReport>; file: (name: string) => Promise<string> }> {
  const cwd = await makeTinySuite({});
  roots.push(cwd);
  const stdout = new Capture();
  const stderr = new Capture();
  const context: CommandContext = {
    io: { cwd, stdout, stderr, isTTY: false, ci: true, env: {} },
    root: PROJECT_ROOT,
    describeImplementation,
    runCucumber: runSuiteWithCucumber,
  };
  const code = await exitCode(runCli(['run', ...argv, '--out', 'out'], context));
  const out = path.join(cwd, 'out');
  const file = (name: string) => readFile(path.join(out, name), 'utf8');
  return { code, stdout: stdout.text, stderr: stderr.text, out, file, report: async () => JSON.parse(await file('conformance.json')) as ConformanceReport };
}

function junitCases(xml: string): { name: string; failure?: { type: string }; error?: unknown; skipped?: { message: string } }[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(xml) as {
    testsuites: { testsuite: { testcase?: Record<string, unknown>[] }[] };
  };
  return parsed.testsuites.testsuite.flatMap((s) => (s.testcase ?? []) as never[]);
}

describe('what a run checked', () => {
  it('a core-only implementation: conformant on what was checked, and the result line says how little and what is missing', async () => {
    const r = await run('--impl', fixture('coreOnly'));
    expect(r.code, r.stderr).toBe(EXIT.CONFORMANT);
    const report = await r.report();
    const n = report.totals.normative;
    expect(n.checked).toBeLessThan(n.rules);
    expect(n.checked).toBe(n.pass);
    expect(report.capabilities?.claimed).toEqual([]);
    const missing = report.capabilities!.missing.map((m) => m.capability);
    expect(missing).toEqual(expect.arrayContaining(['trace', 'violations', 'mdl', 'lifecycle']));
    const line = r.stdout.split('\n').find((l) => l.startsWith('result: '))!;
    expect(line).toMatch(new RegExp(`^result: CONFORMANT \\(profile normative\\): checked ${n.checked} of ${n.rules} normative rules; missing capabilities: trace \\(\\d+ rules\\), violations \\(\\d+ rules\\)`));
    const md = await r.file('conformance.md');
    expect(md).toContain(`- normative: ${n.pass}/${n.rules} rules pass, ${n.checked} checked`);
    expect(md).toMatch(/- Missing capabilities: trace \(\d+ rules\), violations/);
    expect(await r.file('summary.md')).toMatch(/- Missing capabilities: trace/);
    // Not applicable is <skipped> in junit.xml, naming what is missing.
    const skipped = junitCases(await r.file('junit.xml')).filter((c) => c.skipped !== undefined);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped[0]!.skipped!.message).toMatch(/^not applicable: the implementation lacks /);
  }, 120_000);

  it('--require violations: the missing capability fails the run (exit 1) and the report says which', async () => {
    const r = await run('--impl', fixture('coreOnly'), '--require', 'violations', '--tags', '@MAP-04 or @DELETE-06');
    expect(r.code, r.stderr).toBe(EXIT.NON_CONFORMANT);
    const report = await r.report();
    expect(report.capabilities?.required).toEqual(['violations']);
    expect(report.capabilities?.missing.find((m) => m.capability === 'violations')).toMatchObject({ required: true, rules: ['DELETE-06'] });
    expect(r.stdout).toMatch(/^result: NOT CONFORMANT .*violations \(1 rule, REQUIRED\).*a required capability is missing \(violations\)/m);
    expect(await r.file('conformance.md')).toContain('- Required capabilities (--require): violations');
    const all = await run('--impl', fixture('coreOnly'), '--require', 'all', '--tags', '@MAP-04');
    expect(all.code).toBe(EXIT.NON_CONFORMANT);
    expect((await all.report()).capabilities?.missing.filter((m) => m.required).map((m) => m.capability)).toEqual(['trace', 'violations', 'mdl', 'lifecycle', 'wireHost', 'migration', 'hostControl']);
    const bad = await run('--impl', fixture('coreOnly'), '--require', 'teleport');
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain('unknown capability "teleport"');
  }, 120_000);

  it('--tags @MAP-04: judges the rule it selected and says so, instead of counting the rest as not run', async () => {
    const r = await run('--tags', '@MAP-04');
    expect(r.code, r.stderr).toBe(EXIT.CONFORMANT);
    const report = await r.report();
    expect(report.scope).toMatchObject({ narrowedBy: '--tags @MAP-04', selected: 1 });
    expect(r.stdout).toContain(`narrowed to 1 of ${report.scope!.rules} rules by --tags @MAP-04`);
    expect(r.stdout).toContain('normative: 1/1 selected rules pass, 1 checked');
    // Only the selected rule's scenarios are in junit.xml, named by rule id.
    const cases = junitCases(await r.file('junit.xml'));
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => c.name.startsWith('MAP-04: '))).toBe(true);
  }, 60_000);
});

describe('a choice made differently, or a claim contradicted', () => {
  const tags = ['--tags', '@UNMAP-02 or @UNMAP-04 or @DELETE-06 or @MAP-04'];

  it('violations claimed and none recorded: the reference rules fail under the normative profile (exit 1), never "differs"', async () => {
    const r = await run('--impl', fixture('recordsNoViolations'), ...tags);
    expect(r.code, r.stdout).toBe(EXIT.NON_CONFORMANT);
    const report = await r.report();
    const unmap = report.rules.find((x) => x.id === 'UNMAP-02')!;
    expect(unmap).toMatchObject({ level: 'reference', verdict: 'fail', contract: true });
    expect(r.stdout).toMatch(/^ {2}UNMAP-02 FAIL \(contract of a claimed capability\) \(reference\): .*no violation was recorded at all/m);
    const md = await r.file('conformance.md');
    expect(md).not.toContain('differs (reference choice)');
    expect(md).toContain('| UNMAP-02 | reference | **FAIL (contract of a claimed capability)** |');
    const cases = junitCases(await r.file('junit.xml')).filter((c) => c.name.startsWith('UNMAP-02'));
    expect(cases.some((c) => c.failure?.type === 'contract')).toBe(true);
  }, 60_000);

  it('violations recorded as another kind: a reference choice made differently, conformant under normative, <skipped> in junit.xml', async () => {
    const r = await run('--impl', fixture('recordsOtherViolationKinds'), ...tags);
    expect(r.code, r.stdout).toBe(EXIT.CONFORMANT);
    const report = await r.report();
    const unmap = report.rules.find((x) => x.id === 'UNMAP-02')!;
    expect(unmap.verdict).toBe('fail');
    expect(unmap.contract).toBeUndefined();
    expect(r.stdout).toMatch(/^ {2}UNMAP-02 differs \(reference choice\) \(reference\) \[not counted\]/m);
    // The plain closing line agrees with the exit code: a difference is no failure.
    expect(r.stdout).toMatch(/^scenarios: \d+ passed, 0 failed, [1-9]\d* skipped$/m);
    const cases = junitCases(await r.file('junit.xml')).filter((c) => c.name.startsWith('UNMAP-02'));
    expect(cases.some((c) => c.failure !== undefined)).toBe(false);
    expect(cases.some((c) => c.skipped?.message.startsWith('differs (reference choice)'))).toBe(true);
    const strict = await run('--impl', fixture('recordsOtherViolationKinds'), ...tags, '--profile', 'strict');
    expect(strict.code).toBe(EXIT.NON_CONFORMANT);
  }, 60_000);
});

describe('the terminal and the CI log', () => {
  it('a progress line while it runs, one line per rule that did not pass at the end, no stack trace', async () => {
    const r = await run('--impl', fixture('allowsDoubleMap'), '--tags', '@MAP-04 or @MAP-05 or @MAP-01');
    expect(r.code).toBe(EXIT.NON_CONFORMANT);
    expect(r.stdout).toMatch(/^progress: scenarios \d+\/\d+/m);
    expect(r.stdout).toMatch(/^progress: scenarios (\d+)\/\1, rules failing so far: MAP-04, MAP-05/m);
    expect(r.stdout).toMatch(/^rules that did not pass: 2 \(1 fail the run\)$/m);
    expect(r.stdout).toMatch(/^ {2}MAP-04 FAIL \(normative\): /m);
    expect(r.stdout).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
    expect(r.stdout).not.toContain('Failures:');
  }, 60_000);

  it('--debug: Cucumber\'s own output with its stack traces instead of the progress line', async () => {
    const r = await run('--impl', fixture('allowsDoubleMap'), '--tags', '@MAP-04', '--debug');
    expect(r.code).toBe(EXIT.NON_CONFORMANT);
    expect(r.stdout).toContain('Failures:');
    expect(r.stdout).not.toContain('progress: ');
  }, 60_000);

  it('--fail-fast: stops at the first failure; what it did not run is not run, not "not applicable"', async () => {
    const r = await run('--impl', fixture('allowsDoubleMap'), '--fail-fast');
    expect(r.code).toBe(EXIT.NON_CONFORMANT);
    const report = await r.report();
    expect(report.scope?.failFast).toBe(true);
    const verdicts = report.rules.map((x) => x.verdict);
    expect(verdicts.filter((v) => v === 'fail')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'not-run').length).toBeGreaterThan(50);
    expect(verdicts).not.toContain('not-applicable');
    expect(r.stdout).toContain('stopped at the first failure (--fail-fast)');
  }, 60_000);

  it('--dry-run: starts nothing, says what would run, writes no conformance report', async () => {
    const r = await run('--impl', 'cmd:this-program-does-not-exist', '--dry-run', '--tags', '@MAP-04');
    expect(r.code, r.stderr).toBe(EXIT.CONFORMANT);
    expect(r.stdout).toMatch(/^dry run: \d+ scenarios of 1 rules would run; no implementation was started/m);
    expect(existsSync(path.join(r.out, 'conformance.json'))).toBe(false);
  }, 60_000);
});
