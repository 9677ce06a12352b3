/**
 * Runs a Node script as a child process and measures it: wall time as the parent saw it, and the
 * CPU time (user + system) the child reports of itself at exit (bench/_lib/cpuAtExit.ts, loaded
 * with `--import` into every child alike).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { CPU_AT_EXIT_ENV, type ChildUsage } from './cpuAtExit.js';

const HOOK = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'cpuAtExit.js')).href;

export interface MeasuredRun {
  readonly result: SpawnSyncReturns<string>;
  /** Seconds from spawn to exit, as the parent measured it (Node's own start-up included). */
  readonly wallSeconds: number;
  /** Seconds of CPU, user and system, the child spent. */
  readonly cpuSeconds: number;
  /** The child's `performance.timeOrigin`, milliseconds since the epoch. */
  readonly startedAt: number;
}

export function runMeasured(script: string, args: readonly string[], options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv }): MeasuredRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'vmbus-bench-child-'));
  const usageFile = path.join(dir, 'usage.json');
  try {
    const start = performance.now();
    const result = spawnSync(process.execPath, ['--import', HOOK, script, ...args], {
      cwd: options.cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...(options.env ?? process.env), [CPU_AT_EXIT_ENV]: usageFile },
    });
    const wallSeconds = (performance.now() - start) / 1000;
    let usage: ChildUsage;
    try {
      usage = JSON.parse(readFileSync(usageFile, 'utf8')) as ChildUsage;
    } catch {
      throw new Error(`${script} ${args.join(' ')} wrote no CPU usage (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
    }
    return { result, wallSeconds, cpuSeconds: (usage.userMicros + usage.systemMicros) / 1e6, startedAt: usage.startedAt };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
