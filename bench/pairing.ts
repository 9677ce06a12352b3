/**
 * Benchmark: a guest/host pairing against a whole implementation, the suite run side by side in one
 * process of this benchmark. Issue 11's targets: the suite over stdio within 1.3x of in process
 * (`stdio-suite`), and a pairing over stdio within 1.3x of a whole implementation over stdio, with
 * one process serving both halves (`pairing-one-process`) and with a process for each
 * (`pairing-two-processes`).
 *
 * Each configuration runs the whole suite through the compiled CLI on the same scenarios (every
 * rule but the `@half:whole` ones, which only a whole implementation is judged on), interleaved,
 * `BENCH_ROUNDS` times (default 5); the median wall time of each is printed with its ratio to the
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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMeasured } from './_lib/measuredChild.js';
import { median, reportTarget } from './_lib/targets.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const SERVE = 'cmd:node dist/src/cli/serve.js inproc:reference';
// Another spelling of the same command: the registry resolves it to a process of its own.
const SERVE_AGAIN = 'cmd:node ./dist/src/cli/serve.js inproc:reference';

const CONFIGURATIONS = [
  { name: 'whole, in process', args: ['--impl', 'inproc:reference'] },
  { name: 'pairing, in process', args: ['--guest', 'inproc:reference', '--host', 'inproc:reference'] },
  { name: 'whole over stdio', args: ['--impl', SERVE] },
  { name: 'pairing over stdio, one process', args: ['--guest', SERVE, '--host', SERVE] },
  { name: 'pairing over stdio, two processes', args: ['--guest', SERVE, '--host', SERVE_AGAIN] },
] as const satisfies ReadonlyArray<{ readonly name: string; readonly args: readonly string[] }>;
type Configuration = (typeof CONFIGURATIONS)[number]['name'];
const BASELINE: Configuration = 'whole over stdio';

function runOnce(args: readonly string[]): number {
  const out = mkdtempSync(path.join(tmpdir(), 'vmbus-bench-'));
  try {
    const { result, wallSeconds } = runMeasured(CLI, ['run', ...args, '--tags', 'not @half:whole', '--profile', 'strict', '--out', out], { cwd: ROOT });
    // Every scenario that ran must pass: a benchmark of failing runs would measure something else.
    // (The exit code may be 1 while a run narrowed by --tags counts the rules it did not select.)
    if (result.status === 2 || !/scenarios: \d+ passed, 0 failed/.test(result.stdout)) throw new Error(`run ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return wallSeconds;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const times = new Map<Configuration, number[]>(CONFIGURATIONS.map((c) => [c.name, []]));
for (let round = 0; round < rounds; round++) for (const c of CONFIGURATIONS) times.get(c.name)!.push(runOnce(c.args));
const seconds = (name: Configuration): number => median(times.get(name)!);

const baseline = seconds(BASELINE);
console.log(`the suite (strict, every rule but @half:whole), median of ${rounds} rounds, wall time including Node's start-up:`);
for (const c of CONFIGURATIONS) console.log(`  ${c.name.padEnd(36)} ${seconds(c.name).toFixed(2)} s   ${(seconds(c.name) / baseline).toFixed(2)}x ${BASELINE}`);

const detail = (over: Configuration, base: Configuration) => `${over} over ${base}, the suite (strict, every rule but @half:whole), medians of ${rounds} interleaved rounds, wall`;
const ratio = (over: Configuration, base: Configuration) => seconds(over) / seconds(base);
reportTarget({ id: 'stdio-suite', target: 'the suite over stdio within 1.3x of in process', measured: ratio('whole over stdio', 'whole, in process'), limit: 1.3, better: 'lower', unit: 'x', detail: detail('whole over stdio', 'whole, in process') });
for (const [id, over] of [['pairing-one-process', 'pairing over stdio, one process'], ['pairing-two-processes', 'pairing over stdio, two processes']] as const) {
  reportTarget({ id, target: `a pairing over stdio (${over.split(', ')[1]}) within 1.3x of whole over stdio`, measured: ratio(over, BASELINE), limit: 1.3, better: 'lower', unit: 'x', detail: detail(over, BASELINE) });
}
