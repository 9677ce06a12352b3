/**
 * Runs of the whole suite for the self-test: in this process through `runCommand`, or through the
 * compiled command line in a child process; either way the result is the exit code and the
 * `conformance.json` the run wrote.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, type RunOptions } from '../../../src/cli/commands/run.js';
import type { CommandContext } from '../../../src/cli/context.js';
import { runSuiteWithCucumber } from '../../../src/cli/cucumber.js';
import { ExitError } from '../../../src/cli/exit.js';
import { describeImplementation } from '../../../src/cli/implementation.js';
import type { ConformanceReport, Verdict } from '../../../src/report/types.js';
import { Capture } from '../../report/tinySuite.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface RunOutcome {
  readonly code: number | null;
  readonly report: ConformanceReport;
  /** The run's directory of reports. */
  readonly out: string;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TempDir {
  path(...parts: string[]): string;
  remove(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vmbus-zoo-'));
  return { path: (...parts) => path.join(dir, ...parts), remove: () => rm(dir, { recursive: true, force: true }) };
}

async function readReport(out: string): Promise<ConformanceReport> {
  return JSON.parse(await readFile(path.join(out, 'conformance.json'), 'utf8')) as ConformanceReport;
}

/** `vmbus-conformance run` in this process, with the context `main.ts` builds (quiet, CI-style). */
export async function runInProcess(impl: string, out: string, profile: RunOptions['profile'] = 'strict'): Promise<RunOutcome> {
  const stdout = new Capture();
  const stderr = new Capture();
  const context: CommandContext = {
    io: { cwd: ROOT, stdout, stderr, isTTY: false, ci: true, env: process.env },
    root: ROOT,
    describeImplementation,
    runCucumber: runSuiteWithCucumber,
  };
  let code: number;
  try {
    await runCommand({ impl, profile, out }, context);
    code = 0;
  } catch (error) {
    // Only an ExitError is a verdict; anything else is a bug this test should show as it is.
    if (!(error instanceof ExitError)) throw error;
    code = error.code;
  }
  return { code, report: await readReport(out), out, stdout: stdout.text, stderr: stderr.text };
}

/** What a command of the compiled CLI printed and how it exited, whatever it wrote. */
export interface CliOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The compiled `vmbus-conformance` in a child process, as CI runs it. */
export function runCliRaw(args: readonly string[]): Promise<CliOutcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
  delete env['VMBUS_IMPL'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `vmbus-conformance run` (or merge) in a child process, and the report it wrote; `args` must include `--out <dir>`. */
export async function runCli(args: readonly string[]): Promise<RunOutcome> {
  const outIndex = args.indexOf('--out');
  if (outIndex === -1 || args[outIndex + 1] === undefined) throw new Error('runCli needs --out <dir>');
  const out = args[outIndex + 1]!;
  const { code, stdout, stderr } = await runCliRaw(args);
  try {
    return { code, report: await readReport(out), out, stdout, stderr };
  } catch (error) {
    throw new Error(`no conformance.json after \`vmbus-conformance ${args.join(' ')}\` (exit ${code}): ${(error as Error).message}\n${stderr}`);
  }
}

/** Runs the tasks given to it at most `concurrency` at a time, in the order given. */
export function limit(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const done = (): void => {
    active -= 1;
    waiting.shift()?.();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      const run = (): void => {
        active += 1;
        task().then(resolve, reject).finally(done);
      };
      if (active < concurrency) run();
      else waiting.push(run);
    });
}

/** The ids of the rules with this verdict, sorted. */
export function rulesWith(report: ConformanceReport, verdict: Verdict): string[] {
  return report.rules.filter((rule) => rule.verdict === verdict).map((rule) => rule.id).sort();
}

export const failingRules = (report: ConformanceReport): string[] => rulesWith(report, 'fail');
