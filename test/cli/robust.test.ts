/**
 * Nothing lost, nothing mixed: `run` interrupted by SIGINT or SIGTERM writes every report complete,
 * valid and marked incomplete, and leaves no implementation process behind; two runs cannot share
 * an `--out`; a run removes what an earlier one left there (only this tool's files); `--out`
 * naming a file is a usage error; the per-call `--timeout` governs (a hang is charged to the
 * scenario that hung, a slow answer under the timeout passes even past Cucumber's default 5 s);
 * `hello` has its own budget; a `cmd:` implementation is started once per run; `list-rules | head`
 * ends quietly.
 *
 * The signal and pipe tests run the built CLI (dist/src/cli/main.js) as a child process; the
 * others run it in this process. test/cli/fixtures/proxy.mjs is the slow or hanging implementation.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { CUCUMBER_OUTPUTS, runSuiteWithCucumber } from '../../src/cli/cucumber.js';
import { writeCucumberReports } from '../../src/cli/replay.js';
import { EXIT } from '../../src/cli/exit.js';
import { describeImplementation, releaseImplementation } from '../../src/cli/implementation.js';
import { LOCK_FILE } from '../../src/cli/outDir.js';
import { runCli } from '../../src/cli/program.js';
import { parseMessages } from '../../src/report/ndjson.js';
import type { ConformanceReport } from '../../src/report/types.js';
import { Capture, PROJECT_ROOT } from '../report/tinySuite.js';
import { exitCode } from './_harness.js';

const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
const PROXY = path.join(PROJECT_ROOT, 'test', 'cli', 'fixtures', 'proxy.mjs');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'vmbus-robust-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function dir(name: string): Promise<string> {
  const d = path.join(work, name);
  await mkdir(d, { recursive: true });
  return d;
}

function inProcess(cwd: string): { context: CommandContext; stdout: Capture; stderr: Capture } {
  const stdout = new Capture();
  const stderr = new Capture();
  return {
    context: { io: { cwd, stdout, stderr, isTTY: false, ci: true, env: {} }, root: PROJECT_ROOT, describeImplementation, releaseImplementation, runCucumber: runSuiteWithCucumber },
    stdout,
    stderr,
  };
}

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = inProcess(cwd);
  const code = await exitCode(runCli(argv, c.context));
  return { code, stdout: c.stdout.text, stderr: c.stderr.text };
}

/** The built CLI in a child process, as a user runs it. */
function runMain(cwd: string, ...argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const readJson = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;

/**
 * Process groups and commands of every process now running (ps). A zombie (state Z: dead, not yet
 * reaped by its parent, which in a container may be an init that reaps late) runs nothing: left out.
 */
function processes(): Promise<{ pid: number; pgid: number; args: string }[]> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-eo', 'pid=,pgid=,stat=,args='], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      resolve(
        stdout
          .split('\n')
          .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
          .flatMap((m) => (m && !m[3]!.startsWith('Z') ? [{ pid: Number(m[1]), pgid: Number(m[2]), args: m[4]! }] : [])),
      );
    });
  });
}

/** Python's XML parser reads the file: well-formed (python3 is on every CI machine, see .ci/run). */
function xmlParses(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('python3', ['-c', 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(r.tag, r.get("tests"))', file], (error, stdout, stderr) => {
      if (error) return reject(new Error(`${file} is not well-formed XML: ${stderr}`));
      resolve(stdout.trim());
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Test cases finished so far, from the messages Cucumber is writing (under a temporary name) in `out`. */
async function finishedSoFar(out: string): Promise<number> {
  if (!existsSync(out)) return 0;
  const staged = (await readdir(out)).find((f) => f.startsWith('.messages.ndjson.') && f.endsWith('.tmp'));
  if (staged === undefined) return 0;
  const text = await readFile(path.join(out, staged), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.startsWith('{"testCaseFinished"')).length;
}

interface Interrupted {
  readonly code: number | null;
  readonly stderr: string;
  readonly groups: readonly number[];
  readonly out: string;
}

/**
 * Runs the CLI against the proxy, which hangs on the 6th map of the run (that scenario waits 5 s,
 * the default timeout, then its restarted process answers the rest), and sends `signal` once
 * `after` scenarios have finished; returns when the CLI has exited.
 */
async function interruptedRun(name: string, signal: NodeJS.Signals, extra: readonly string[] = [], after = 3): Promise<Interrupted> {
  const cwd = await dir(name);
  const marker = `vmbus-robust-${name}-${process.pid}`;
  const impl = `cmd:exec bash -c 'exec -a ${marker} "$0" "$@"' node ${PROXY} --state ${path.join(cwd, 'state.log')} --hang mapGpadl:6`;
  // These runs show a run that stops by itself once its implementations are ended (Cucumber's own
  // testRunFinished is in the messages); on a loaded CI machine that can take longer than the
  // default 3 s before a run is abandoned (tested on its own below). Stopping with parallel workers
  // took some 2 s on a lightly loaded two-core machine, several times that on a loaded one: they allow 30 s.
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'run', '--impl', impl, '--out', 'out', '--interrupt-grace', '30000', ...extra], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve((exitCode = code))));
  const out = path.join(cwd, 'out');
  await waitFor('the first scenarios', async () => ((await finishedSoFar(out)) >= after ? true : undefined)).catch(async (error: Error) => {
    throw new Error(`${error.message} (${await finishedSoFar(out)} finished; the CLI ${exitCode === undefined ? 'still runs' : `exited with ${exitCode}`}); it said: ${stderr}`);
  });
  // The implementation processes' groups, whoever started them (the CLI, or its parallel workers).
  // Waited for, not looked up once: the look can fall between the hang's kill and the restart.
  const groups = await waitFor('an implementation process', async () => {
    const found = [...new Set((await processes()).filter((p) => p.args.startsWith(marker)).map((p) => p.pgid))];
    return found.length > 0 ? found : undefined;
  });
  child.kill(signal);
  // A run that ignored the signal would go on to its end and exit with a verdict's code; the callers
  // check the signal's exit code and the report's `incomplete`.
  const code = await exited;
  return { code, stderr, groups, out };
}

async function expectCompleteIncompleteReports(run: Interrupted, signal: string): Promise<ConformanceReport> {
  const report = await readJson<ConformanceReport>(path.join(run.out, 'conformance.json'));
  expect(report.incomplete).toMatchObject({ reason: 'interrupted', signal });
  expect(report.incomplete?.message).toMatch(new RegExp(`interrupted by ${signal} after \\d+ of \\d+ scenarios`));
  expect(report.outcome).toBe('harness-error');
  expect(report.problems.map((p) => p.kind)).toContain('run-interrupted');
  const scenarios = report.rules.flatMap((r) => r.scenarios);
  // What was measured before the signal is there; nothing is charged to the interruption.
  expect(scenarios.filter((s) => s.verdict === 'pass').length).toBeGreaterThanOrEqual(3);
  expect(scenarios.filter((s) => s.verdict === 'not-run').length).toBeGreaterThan(100);
  expect(scenarios.filter((s) => s.verdict === 'fail')).toEqual([]);
  const md = await readFile(path.join(run.out, 'conformance.md'), 'utf8');
  expect(md).toContain('**INCOMPLETE:**');
  expect(await xmlParses(path.join(run.out, 'junit.xml'))).toMatch(/^testsuites? \d+$/);
  const html = await readFile(path.join(run.out, 'cucumber.html'), 'utf8');
  expect(html.trimEnd().endsWith('</html>')).toBe(true);
  const messages = parseMessages(await readFile(path.join(run.out, 'messages.ndjson'), 'utf8'));
  expect(messages.problems).toEqual([]);
  expect(messages.truncated).toBe(false);
  expect(messages.envelopes.at(-1)?.testRunFinished).toBeDefined();
  // No temporary file, no lock left behind.
  expect(readdirSync(run.out).filter((f) => f.startsWith('.'))).toEqual([]);
  // No implementation process left: nothing in their process groups. SIGKILL takes a moment, on a
  // loaded machine more than a second or two; one that was not killed stays, and fails this.
  let left: Awaited<ReturnType<typeof processes>> = [];
  await waitFor('the implementation processes to be gone', async () => {
    left = (await processes()).filter((p) => run.groups.includes(p.pgid));
    return left.length === 0 ? true : undefined;
  }, 30_000).catch(() => undefined);
  expect(left, JSON.stringify(left)).toEqual([]);
  return report;
}

describe('interrupted: SIGINT and SIGTERM', () => {
  it('SIGINT: exit 130, every report complete and valid, marked incomplete, no implementation process left', async () => {
    const run = await interruptedRun('sigint', 'SIGINT');
    expect(run.code, run.stderr).toBe(EXIT.INTERRUPTED);
    expect(run.stderr).toContain('SIGINT: stopping the run');
    await expectCompleteIncompleteReports(run, 'SIGINT');
  }, 90_000);

  it('SIGTERM with parallel workers: exit 143, the workers stop too, the same reports', async () => {
    const run = await interruptedRun('sigterm', 'SIGTERM', ['--parallel', '2'], 4);
    expect(run.code, run.stderr).toBe(EXIT.TERMINATED);
    await expectCompleteIncompleteReports(run, 'SIGTERM');
    // Each worker started its own implementation; the one the CLI started to describe it was ended at once.
  }, 90_000);
});

describe('interrupted in a step that cannot be stopped', () => {
  it('an in-process call that never settles: abandoned 3 s after SIGINT, the reports still complete, the scenario not run', async () => {
    const cwd = await dir('abandon');
    const out = path.join(cwd, 'out');
    const fixture = path.join(PROJECT_ROOT, 'test', 'cli', 'fixtures', 'hangsForever.mjs');
    const child = spawn(process.execPath, [MAIN, 'run', '--impl', `module:${fixture}`, '--out', 'out'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // The first step has started (and will never end).
    await waitFor('the first step', async () => {
      if (!existsSync(out)) return undefined;
      const staged = (await readdir(out)).find((f) => f.startsWith('.messages.ndjson.'));
      const text = staged === undefined ? '' : await readFile(path.join(out, staged), 'utf8').catch(() => '');
      return text.includes('"testStepStarted"') ? true : undefined;
    }, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}; the CLI said: ${stderr}`);
    });
    await sleep(300);
    const sent = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    const took = Date.now() - sent;
    expect(code, stderr).toBe(EXIT.INTERRUPTED);
    // It waited the grace period (a floor, which a loaded machine only lengthens), then gave up on
    // the step that never ends: without abandoning, the run would never exit and this test would time out.
    expect(took).toBeGreaterThanOrEqual(2500);
    const report = await readJson<ConformanceReport>(path.join(out, 'conformance.json'));
    expect(report.incomplete).toMatchObject({ signal: 'SIGINT' });
    const scenarios = report.rules.flatMap((r) => r.scenarios);
    // The one scenario that started was cut short: not run, like all the others; nothing errored.
    expect(scenarios.filter((sc) => sc.verdict !== 'not-run')).toEqual([]);
    expect(await xmlParses(path.join(out, 'junit.xml'))).toMatch(/^testsuites? \d+$/);
    expect((await readFile(path.join(out, 'cucumber.html'), 'utf8')).trimEnd().endsWith('</html>')).toBe(true);
    const messages = parseMessages(await readFile(path.join(out, 'messages.ndjson'), 'utf8'));
    expect(messages.problems).toEqual([]);
    expect(messages.truncated).toBe(false);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 60_000);
});

describe("Cucumber's reports from a stream that stops early", () => {
  it('are complete documents: the JUnit XML parses, the HTML is closed', async () => {
    const cwd = await dir('replay');
    const ran = await cli(cwd, 'run', '--tags', '@MAP-04 or @MAP-05', '--out', 'full');
    expect(ran.code).not.toBe(EXIT.USAGE);
    const envelopes = parseMessages(await readFile(path.join(cwd, 'full', 'messages.ndjson'), 'utf8')).envelopes;
    const cut = envelopes.slice(0, envelopes.findIndex((e) => e.testCaseFinished !== undefined) + 1);
    expect(cut.some((e) => e.testRunFinished)).toBe(false);
    const out = await dir('replay/out');
    await writeCucumberReports(cut, out, CUCUMBER_OUTPUTS);
    expect(await xmlParses(path.join(out, 'junit.xml'))).toMatch(/^testsuites? \d+$/);
    expect((await readFile(path.join(out, 'cucumber.html'), 'utf8')).trimEnd().endsWith('</html>')).toBe(true);
    // The messages are kept as they were: the report still sees a run that did not finish.
    expect(parseMessages(await readFile(path.join(out, 'messages.ndjson'), 'utf8')).envelopes).toHaveLength(cut.length);
  });
});

describe('one run per --out, nothing left from an earlier one', () => {
  it('a lock held by a live process stops a second run (exit 3, naming it); a stale lock is taken over', async () => {
    const cwd = await dir('lock');
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await mkdir(path.join(cwd, 'out'));
      await writeFile(path.join(cwd, 'out', LOCK_FILE), JSON.stringify({ pid: holder.pid, host: os.hostname(), started: '2026-01-01T00:00:00Z', command: 'vmbus-conformance run' }));
      const blocked = await cli(cwd, 'run', '--tags', '@MAP-04', '--out', 'out');
      expect(blocked.code).toBe(EXIT.USAGE);
      expect(blocked.stderr).toContain(`--out out is in use by another vmbus-conformance run (process ${holder.pid}`);
      expect(existsSync(path.join(cwd, 'out', 'conformance.json'))).toBe(false);
    } finally {
      holder.kill();
    }
    await new Promise((resolve) => holder.on('exit', resolve));
    // Now the holder is gone: its lock is stale.
    const taken = await cli(cwd, 'run', '--tags', '@MAP-04', '--out', 'out');
    expect(taken.stderr).not.toContain('in use');
    expect(existsSync(path.join(cwd, 'out', 'conformance.json'))).toBe(true);
    expect(existsSync(path.join(cwd, 'out', LOCK_FILE))).toBe(false);
  });

  it('two runs started together on one --out: one runs, the other stops at once with exit 3', async () => {
    const cwd = await dir('race');
    const start = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [MAIN, 'run', '--tags', '@MAP-04 or @MAP-05', '--out', 'out'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([start(), start()]);
    const codes = results.map((r) => r.code).sort();
    expect(codes[1], JSON.stringify(results)).toBe(EXIT.USAGE);
    expect(results.find((r) => r.code === EXIT.USAGE)?.stderr).toMatch(/is in use by another vmbus-conformance run \(process \d+/);
    expect(existsSync(path.join(cwd, 'out', 'conformance.json'))).toBe(true);
  });

  it('a run removes what an earlier run left in its --out: this tool\'s files and folders only', async () => {
    const cwd = await dir('stale');
    const out = path.join(cwd, 'out');
    // An earlier run of two implementations, a crashed write, and the user's own files.
    for (const sub of ['old-impl', 'other-impl']) {
      await mkdir(path.join(out, sub), { recursive: true });
      for (const f of ['conformance.json', 'conformance.md', 'junit.xml', 'messages.ndjson', 'cucumber.html']) await writeFile(path.join(out, sub, f), 'stale');
    }
    await writeFile(path.join(out, 'comparison.md'), 'stale');
    await writeFile(path.join(out, 'comparison.html'), 'stale');
    await writeFile(path.join(out, '.conformance.json.1234.deadbeef.tmp'), 'half');
    await writeFile(path.join(out, 'notes.txt'), 'mine');
    await mkdir(path.join(out, 'mine'));
    await writeFile(path.join(out, 'mine', 'conformance.json'), 'mine too');
    await writeFile(path.join(out, 'mine', 'analysis.py'), 'print(1)');

    // A folder of reports beside an out without a comparison is the user's: a second run keeps it.
    const kept = await dir('stale-kept');
    await mkdir(path.join(kept, 'out', 'last-week'), { recursive: true });
    await writeFile(path.join(kept, 'out', 'last-week', 'conformance.json'), '{}');
    await cli(kept, 'run', '--tags', '@MAP-04', '--out', 'out');
    expect(existsSync(path.join(kept, 'out', 'last-week', 'conformance.json'))).toBe(true);

    const ran = await cli(cwd, 'run', '--tags', '@MAP-04', '--out', 'out');
    expect(ran.stderr).not.toContain('in use');
    const left = await readdir(out);
    for (const stale of ['old-impl', 'other-impl', 'comparison.md', 'comparison.html', '.conformance.json.1234.deadbeef.tmp']) expect(left).not.toContain(stale);
    for (const kept of ['mine', 'notes.txt', 'conformance.json', 'conformance.md', 'junit.xml', 'messages.ndjson', 'cucumber.html']) expect(left).toContain(kept);
    expect(left.filter((f) => f.startsWith('.'))).toEqual([]);
    expect((await readdir(path.join(out, 'mine'))).sort()).toEqual(['analysis.py', 'conformance.json']);
    expect(await readFile(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('--out naming a file is a usage error (3), and nothing is written', async () => {
    const cwd = await dir('outfile');
    await writeFile(path.join(cwd, 'report.txt'), 'a file');
    const ran = await cli(cwd, 'run', '--out', 'report.txt');
    expect(ran.code).toBe(EXIT.USAGE);
    expect(ran.stderr).toContain('--out report.txt is a file, not a directory');
    expect(await readFile(path.join(cwd, 'report.txt'), 'utf8')).toBe('a file');
    const nested = await cli(cwd, 'run', '--out', 'report.txt/inside');
    expect(nested.code).toBe(EXIT.USAGE);
    const merged = await cli(cwd, 'merge', '.', '--out', 'report.txt');
    expect(merged.code).toBe(EXIT.USAGE);
  });
});

describe('the per-call --timeout governs', () => {
  it('a hang is charged to the scenario that hung; a slow answer under --timeout passes past 5 s; one process per run', async () => {
    const cwd = await dir('timeout');
    const starts = path.join(cwd, 'starts.log');
    // MAP-01: an outline of two examples, then a scenario; each maps once. The first map hangs,
    // the third is answered 5.5 s late: after Cucumber's default step timeout, well before ours (12 s:
    // on a loaded machine the late answer arrives later still, and every other call must fit too).
    const impl = `cmd:node ${PROXY} --state ${path.join(cwd, 'state.log')} --hang mapGpadl:1 --delay mapGpadl:3:5500 --log-starts ${starts}`;
    const started = Date.now();
    // The built CLI, as a user runs it (in this process the CLI's modules and the steps' would be two copies).
    const ran = await runMain(cwd, 'run', '--impl', impl, '--tags', '@MAP-01', '--timeout', '12000', '--out', 'out');
    const elapsed = Date.now() - started;
    expect(ran.code, ran.stderr).toBe(EXIT.HARNESS_ERROR);
    const report = await readJson<ConformanceReport>(path.join(cwd, 'out', 'conformance.json'));
    const rule = report.rules.find((r) => r.id === 'MAP-01')!;
    const [outline, refused] = rule.scenarios;
    expect(outline).toMatchObject({ verdict: 'error', step: 'When the server maps "G" for write access' });
    expect(outline?.message).toMatch(/example at line \d+: .*mapGpadl.*12000 ms/);
    // Not charged to the next scenario's Before hook, and not failed by Cucumber's 5 s timeout.
    expect(refused).toMatchObject({ verdict: 'pass' });
    const messages = parseMessages(await readFile(path.join(cwd, 'out', 'messages.ndjson'), 'utf8')).envelopes;
    const statuses = messages.flatMap((e) => (e.testStepFinished ? [e.testStepFinished.testStepResult] : []));
    expect(statuses.filter((s) => s.status === 'FAILED').map((s) => s.message ?? s.exception?.message)).toHaveLength(1);
    expect(JSON.stringify(statuses)).not.toMatch(/function timed out|did not complete within/);
    // The hang's scenario carries the program's standard error.
    expect(messages.some((e) => e.attachment?.body.includes('proxy: hanging on mapGpadl #1'))).toBe(true);
    expect(elapsed).toBeGreaterThan(12000 + 5500);
    // One process for the run, started for the description and used by the scenarios; one more
    // after the hang killed the first.
    const log = (await readFile(starts, 'utf8')).trim().split('\n');
    expect(log.filter((l) => l.startsWith('start'))).toHaveLength(2);
  }, 90_000);

  it('hello has its own budget: --hello-timeout, default 10 s whatever --timeout says', async () => {
    const cwd = await dir('hello');
    const state = path.join(cwd, 'state.log');
    // The hello is answered 4.5 s after the served model answered it, the model and the proxy having
    // started first: under the default 10 s with room for a slow start on a loaded machine.
    const slowHello = `cmd:node ${PROXY} --state ${state} --delay hello:1:4500`;
    const refused = await cli(cwd, 'run', '--impl', slowHello, '--tags', '@MAP-04', '--hello-timeout', '700', '--out', 'a');
    expect(refused.code).toBe(EXIT.HARNESS_ERROR);
    const report = await readJson<ConformanceReport>(path.join(cwd, 'a', 'conformance.json'));
    expect(report.problems.map((p) => p.message).join('\n')).toMatch(/did not complete the handshake.*hello.*700 ms/);
    // A --timeout shorter than the 4.5 s hello does not shorten the handshake (default budget 10 s): the
    // same slow hello is accepted. The --timeout (4 s) is every other call's budget: room for a loaded machine.
    // On a loaded machine the proxy can be stopped at 700 ms before it has read the hello and written its
    // state file, so the file may not exist; either way the next run starts counting hellos afresh.
    await rm(state, { force: true });
    const accepted = await cli(cwd, 'run', '--impl', slowHello, '--tags', '@MAP-04', '--timeout', '4000', '--out', 'b');
    expect(accepted.code, accepted.stderr).not.toBe(EXIT.HARNESS_ERROR);
    const b = await readJson<ConformanceReport>(path.join(cwd, 'b', 'conformance.json'));
    expect(b.problems).toEqual([]);
    expect(b.rules.find((r) => r.id === 'MAP-04')?.verdict).toBe('pass');
  }, 60_000);
});

describe('standard output closed early', () => {
  it('list-rules | head: exit 0, no stack trace', async () => {
    const child = spawn(process.execPath, [MAIN, 'list-rules', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
