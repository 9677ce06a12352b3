/**
 * Benchmark: a guest/host pairing against a whole implementation, the suite run side by side in one
 * process of this benchmark (issue target: a pairing over stdio within 1.3x of a whole
 * implementation over stdio).
 *
 * Each configuration runs the whole suite through the compiled CLI on the same scenarios (every
 * rule but the `@half:whole` ones, which only a whole implementation is judged on), interleaved,
 * `BENCH_ROUNDS` times (default 3); the median wall time of each is printed with its ratio to the
 * whole implementation over stdio. The implementation is the reference model in every case, so
 * the figures are the harness's and the protocol's cost:
 *
 * - whole, in process: `--impl inproc:reference`
 * - pairing, in process: `--guest inproc:reference --host inproc:reference` (the harness carries the wire)
 * - whole over stdio: `--impl "cmd:node dist/src/cli/serve.js inproc:reference"`
 * - pairing over stdio, one process serving both halves
 * - pairing over stdio, a process for each half
 *
 *   npm run build && node dist/bench/pairing.js
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SERVE = 'cmd:node dist/src/cli/serve.js inproc:reference';
// Another spelling of the same command: the registry resolves it to a process of its own.
const SERVE_AGAIN = 'cmd:node ./dist/src/cli/serve.js inproc:reference';

const CONFIGURATIONS: ReadonlyArray<{ readonly name: string; readonly args: readonly string[] }> = [
  { name: 'whole, in process', args: ['--impl', 'inproc:reference'] },
  { name: 'pairing, in process', args: ['--guest', 'inproc:reference', '--host', 'inproc:reference'] },
  { name: 'whole over stdio', args: ['--impl', SERVE] },
  { name: 'pairing over stdio, one process', args: ['--guest', SERVE, '--host', SERVE] },
  { name: 'pairing over stdio, two processes', args: ['--guest', SERVE, '--host', SERVE_AGAIN] },
];
const BASELINE = 'whole over stdio';

function runOnce(args: readonly string[]): number {
  const out = mkdtempSync(path.join(tmpdir(), 'vmbus-bench-'));
  try {
    const start = performance.now();
    const result = spawnSync(process.execPath, [CLI, 'run', ...args, '--tags', 'not @half:whole', '--profile', 'strict', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    const elapsed = (performance.now() - start) / 1000;
    // Every scenario that ran must pass: a benchmark of failing runs would measure something else.
    // (The exit code may be 1 while a run narrowed by --tags counts the rules it did not select.)
    if (result.status === 2 || !/scenarios: \d+ passed, 0 failed/.test(result.stdout)) throw new Error(`run ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return elapsed;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const times = new Map<string, number[]>(CONFIGURATIONS.map((c) => [c.name, []]));
for (let round = 0; round < rounds; round++) for (const c of CONFIGURATIONS) times.get(c.name)!.push(runOnce(c.args));

const baseline = median(times.get(BASELINE)!);
console.log(`the suite (strict, every rule but @half:whole), median of ${rounds} rounds, wall time including Node's start-up:`);
for (const c of CONFIGURATIONS) {
  const m = median(times.get(c.name)!);
  console.log(`  ${c.name.padEnd(36)} ${m.toFixed(2)} s   ${(m / baseline).toFixed(2)}x ${BASELINE}`);
}
