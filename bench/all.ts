/**
 * `npm run bench`: every benchmark in turn, each in a process of its own (so one's heap and JIT do
 * not colour the next), then one table of every issue-11 target they reported (bench/_lib/targets.ts).
 * Each ratio in the table was measured side by side inside one benchmark process of this run.
 *
 *   npm run build && node dist/bench/all.js [name ...]     (names as in BENCHMARKS, e.g. suite fuzzThroughput)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFigure, isMet, RESULTS_ENV, type TargetFigure } from './_lib/targets.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Each benchmark, and the Node flags it needs (a heap measure needs `--expose-gc`). */
const BENCHMARKS: ReadonlyArray<{ readonly name: string; readonly flags: readonly string[] }> = [
  { name: 'modelThroughput', flags: [] },
  { name: 'gpadlWire', flags: ['--expose-gc'] },
  { name: 'mapUnmapFlat', flags: [] },
  { name: 'longRunMemory', flags: ['--expose-gc'] },
  { name: 'pairing', flags: [] },
  { name: 'fuzzThroughput', flags: [] },
  { name: 'protocol', flags: [] },
  { name: 'suite', flags: [] },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = BENCHMARKS.filter((b) => wanted.length === 0 || wanted.includes(b.name));

const dir = mkdtempSync(path.join(tmpdir(), 'vmbus-bench-all-'));
const results = path.join(dir, 'targets.jsonl');
let failed = 0;
try {
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
  for (const b of selected) {
    console.log(`\n== ${b.name}`);
    const run = spawnSync(process.execPath, [...b.flags, path.join(HERE, `${b.name}.js`)], {
      stdio: 'inherit',
      env: { ...process.env, [RESULTS_ENV]: results },
    });
    if (run.status !== 0) {
      failed++;
      console.error(`bench: ${b.name} exited ${run.status ?? run.signal}`);
    }
  }
  const figures: TargetFigure[] = existsSync(results)
    ? readFileSync(results, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TargetFigure)
    : [];
  console.log('\n== issue 11 targets, measured in this run');
  const width = Math.max(6, ...figures.map((f) => f.target.length));
  for (const f of figures) {
    const bound = `${f.better === 'lower' ? '<=' : '>='} ${formatFigure(f.limit, f.unit)}`;
    console.log(`${f.target.padEnd(width)}  ${formatFigure(f.measured, f.unit).padStart(12)}  ${bound.padEnd(14)}  ${isMet(f) ? 'met' : 'MISSED'}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
