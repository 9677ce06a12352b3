/**
 * `run --shard i/n` and `merge`: three shards of the real suite against the reference model,
 * merged, give the report of one unsharded run (every rule's and every scenario's verdict, the
 * totals, the outcome; the JUnit test cases), apart from timings. A shard judges only what it ran;
 * a scenario given twice, or a directory of another run, is a usage error.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { runSuiteWithCucumber } from '../../src/cli/cucumber.js';
import { EXIT } from '../../src/cli/exit.js';
import { describeImplementation } from '../../src/cli/implementation.js';
import { runCli } from '../../src/cli/program.js';
import { parseMessages } from '../../src/report/ndjson.js';
import type { ConformanceReport } from '../../src/report/types.js';
import { Capture, PROJECT_ROOT } from '../report/tinySuite.js';
import { exitCode } from './_harness.js';

let cwd: string;
function context(): { context: CommandContext; stdout: Capture; stderr: Capture } {
  const stdout = new Capture();
  const stderr = new Capture();
  return {
    context: { io: { cwd, stdout, stderr, isTTY: false, ci: true, env: {} }, root: PROJECT_ROOT, describeImplementation, runCucumber: runSuiteWithCucumber },
    stdout,
    stderr,
  };
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = context();
  const code = await exitCode(runCli(argv, c.context));
  return { code, stdout: c.stdout.text, stderr: c.stderr.text };
}

const report = async (dir: string) => JSON.parse(await readFile(path.join(cwd, dir, 'conformance.json'), 'utf8')) as ConformanceReport;

/** What must be equal between a merged and an unsharded run: everything but times. */
function verdicts(r: ConformanceReport) {
  return {
    outcome: r.outcome,
    totals: r.totals,
    problems: r.problems,
    rules: r.rules.map((rule) => ({ id: rule.id, verdict: rule.verdict, scenarios: rule.scenarios.map((s) => [s.line, s.name, s.verdict, s.step, s.message]) })),
  };
}

/** The JUnit test cases, name and status, without times. */
function junitCases(xml: string): string[] {
  return [...xml.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => {
    const name = /(?:^|\s)name="([^"]*)"/.exec(m[1] ?? '')?.[1];
    return `${name} ${/<(failure|error|skipped)\b/.exec(m[3] ?? '')?.[1] ?? 'passed'}`;
  });
}

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'vmbus-shard-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('run --shard and merge', () => {
  it('three shards of the reference model, merged, equal the unsharded run apart from timings', async () => {
    const started = Date.now();
    const whole = await cli('run', '--profile', 'strict', '--out', 'whole');
    expect(whole.code, whole.stderr).toBe(EXIT.CONFORMANT);
    for (const i of [1, 2, 3]) {
      const shard = await cli('run', '--profile', 'strict', '--shard', `${i}/3`, '--out', `shard-${i}`);
      // A shard judges what it ran: the rules it left to the others do not make it non-conformant.
      expect(shard.code, shard.stderr).toBe(EXIT.CONFORMANT);
      const r = await report(`shard-${i}`);
      expect(r.run.shard).toBe(`${i}/3`);
      expect(r.rules.some((rule) => rule.verdict === 'not-run')).toBe(true);
      expect(await readFile(path.join(cwd, `shard-${i}`, 'conformance.md'), 'utf8')).toContain(`**Shard ${i}/3:**`);
    }
    const merged = await cli('merge', 'shard-1', 'shard-2', 'shard-3', '--out', 'merged');
    expect(merged.code, merged.stderr).toBe(EXIT.CONFORMANT);
    expect(merged.stdout).toContain('merged 3 shard(s): shard-1, shard-2, shard-3');

    const [w, m] = [await report('whole'), await report('merged')];
    expect(m.profile).toBe('strict');
    expect(m.implementation).toEqual(w.implementation);
    expect(m.run.shard).toBeUndefined();
    expect(verdicts(m)).toEqual(verdicts(w));
    expect(await readFile(path.join(cwd, 'merged', 'conformance.md'), 'utf8')).not.toContain('Shard');

    // Cucumber's own reports, rendered from the merged stream, hold the same test cases.
    const [wj, mj] = [await readFile(path.join(cwd, 'whole', 'junit.xml'), 'utf8'), await readFile(path.join(cwd, 'merged', 'junit.xml'), 'utf8')];
    expect(junitCases(mj)).toEqual(junitCases(wj));
    // One test case per scenario (a Scenario Outline's examples make one), named by rule id.
    expect(junitCases(mj).length).toBeGreaterThan(250);
    expect(junitCases(mj).every((c) => /^[A-Z]+-\d{2}: /.test(c))).toBe(true);
    const messages = async (dir: string) => parseMessages(await readFile(path.join(cwd, dir, 'messages.ndjson'), 'utf8')).envelopes;
    const count = (list: Awaited<ReturnType<typeof messages>>, kind: string) => list.filter((e) => kind in e).length;
    const [wm, mm] = [await messages('whole'), await messages('merged')];
    for (const kind of ['pickle', 'testCase', 'testCaseStarted', 'testStepFinished', 'testCaseFinished', 'testRunFinished']) expect(count(mm, kind), kind).toBe(count(wm, kind));
    // Each test case ran in exactly one shard.
    const shardCases = await Promise.all([1, 2, 3].map(async (i) => count(await messages(`shard-${i}`), 'testCase')));
    expect(shardCases.reduce((a, b) => a + b)).toBe(count(wm, 'testCase'));
    expect(Math.min(...shardCases)).toBeGreaterThan(0);
    expect((await readFile(path.join(cwd, 'merged', 'cucumber.html'), 'utf8')).length).toBeGreaterThan(100_000);
    // eslint-disable-next-line no-console
    console.log(`shard test: 4 runs and a merge in ${Date.now() - started} ms`);
  }, 300_000); // the whole suite, then its three shards: each run 10 to 40 s on a loaded machine

  it('a missing shard: a warning, its scenarios not run, not conformant', async () => {
    const merged = await cli('merge', 'shard-1', 'shard-3', '--out', 'partial');
    expect(merged.stderr).toContain('warning: merge: shard 2/3 is missing');
    expect(merged.code).toBe(EXIT.NON_CONFORMANT);
    expect((await report('partial')).rules.some((r) => r.verdict === 'not-run')).toBe(true);
  });

  it('usage errors (3): a shard given twice, no directory, a bad --shard', async () => {
    await cp(path.join(cwd, 'shard-1'), path.join(cwd, 'shard-1-again'), { recursive: true });
    const twice = await cli('merge', 'shard-1', 'shard-1-again', '--out', 'twice');
    expect(twice.code).toBe(EXIT.USAGE);
    expect(twice.stderr).toMatch(/a scenario ran in both shard-1 and shard-1-again/);
    expect((await cli('merge', 'nowhere', '--out', 'x')).code).toBe(EXIT.USAGE);
    for (const bad of ['0/3', '4/3', 'two', '1/0']) {
      const run = await cli('run', '--shard', bad, '--out', 'bad');
      expect(run.code, bad).toBe(EXIT.USAGE);
      expect(run.stderr).toMatch(/--shard/);
    }
  });
});
