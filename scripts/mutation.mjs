/**
 * `npm run mutation`: mutation testing of src/model and the channel-message codec (src/protocol).
 *
 * Stryker runs one test runner per run, so this runs it twice over the same mutants: with the
 * Cucumber suite as the killer (stryker.cucumber.config.mjs, per-scenario coverage) and with the
 * unit tests (stryker.vitest.config.mjs, per-test coverage). It then merges the two JSON reports
 * mutant by mutant (same file, place, mutator and replacement): a mutant is detected when either
 * run killed it or timed out on it, an error (invalid) when neither detected it and one could not
 * run it, survived when one covered it and neither detected it, and without coverage when neither
 * covered it. The score is Stryker's: detected / (detected + survived + no coverage).
 *
 * `--merge-only` merges the reports of an earlier run again. Writes reports/mutation/merged.json
 * and reports/mutation/survivors.txt; prints the table and the survivors.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const OUT = 'reports/mutation';
const RUNS = [
  { name: 'cucumber', config: 'stryker.cucumber.config.mjs', env: { NODE_OPTIONS: '--import tsx' } },
  { name: 'vitest', config: 'stryker.vitest.config.mjs', env: {} },
];

const seconds = {};
if (!process.argv.includes('--merge-only')) {
  for (const run of RUNS) {
    const started = Date.now();
    const result = spawnSync('npx', ['stryker', 'run', run.config], { stdio: 'inherit', env: { ...process.env, ...run.env } });
    seconds[run.name] = Math.round((Date.now() - started) / 1000);
    if (result.status !== 0) {
      process.stderr.write(`mutation: the ${run.name} run failed (exit ${result.status})\n`);
      process.exit(result.status ?? 1);
    }
  }
}

const DETECTED = new Set(['Killed', 'Timeout']);
const INVALID = new Set(['RuntimeError', 'CompileError']);

/** @returns {Map<string, {file: string, line: number, column: number, mutator: string, replacement: string, status: string, killedBy: string[]}>} */
function load(name) {
  const report = JSON.parse(readFileSync(`${OUT}/${name}.json`, 'utf8'));
  const mutants = new Map();
  const tests = report.testFiles ? Object.values(report.testFiles).flatMap((f) => f.tests) : [];
  const names = new Map(tests.map((t) => [t.id, t.name]));
  for (const [file, { mutants: list }] of Object.entries(report.files)) {
    for (const m of list) {
      const key = `${file}:${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}:${m.mutatorName}:${m.replacement ?? ''}`;
      mutants.set(key, {
        file,
        line: m.location.start.line,
        column: m.location.start.column,
        mutator: m.mutatorName,
        replacement: m.replacement ?? '',
        status: m.status,
        killedBy: (m.killedBy ?? []).map((id) => names.get(id) ?? id),
      });
    }
  }
  return mutants;
}

const reports = Object.fromEntries(RUNS.map((r) => [r.name, load(r.name)]));
const keys = new Set(RUNS.flatMap((r) => [...reports[r.name].keys()]));
const merged = [];
for (const key of keys) {
  const each = RUNS.map((r) => reports[r.name].get(key));
  const statuses = each.map((m) => m?.status ?? 'NoCoverage');
  const base = each.find((m) => m !== undefined);
  let status;
  if (statuses.includes('Killed')) status = 'Killed';
  else if (statuses.includes('Timeout')) status = 'Timeout';
  else if (statuses.some((s) => INVALID.has(s))) status = 'RuntimeError';
  else if (statuses.includes('Survived')) status = 'Survived';
  else if (statuses.every((s) => s === 'Ignored')) status = 'Ignored';
  else status = 'NoCoverage';
  merged.push({ ...base, status, byRun: Object.fromEntries(RUNS.map((r, i) => [r.name, statuses[i]])) });
}

function count(list) {
  const c = { mutants: list.length, Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, RuntimeError: 0, Ignored: 0 };
  for (const m of list) c[m.status === 'CompileError' ? 'RuntimeError' : m.status] += 1;
  const valid = c.Killed + c.Timeout + c.Survived + c.NoCoverage;
  c.score = valid === 0 ? 100 : (100 * (c.Killed + c.Timeout)) / valid;
  return c;
}

const rows = [
  ...RUNS.map((r) => [`${r.name} only`, count([...reports[r.name].values()])]),
  ['merged', count(merged)],
];
const line = (cells) => `| ${cells.join(' | ')} |`;
const table = [
  line(['killers', 'mutants', 'killed', 'timeout', 'survived', 'no coverage', 'errors', 'ignored', 'score']),
  line(Array(9).fill('---')),
  ...rows.map(([name, c]) => line([name, c.mutants, c.Killed, c.Timeout, c.Survived, c.NoCoverage, c.RuntimeError, c.Ignored, `${c.score.toFixed(2)}%`])),
].join('\n');

const survivors = merged
  .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
  .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
  .map((m) => `${m.file}:${m.line}:${m.column} ${m.mutator} ${m.status} -> ${JSON.stringify(m.replacement.slice(0, 120))}`);

mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}/merged.json`, `${JSON.stringify({ seconds, totals: Object.fromEntries(rows), mutants: merged }, null, 1)}\n`);
writeFileSync(`${OUT}/survivors.txt`, `${survivors.join('\n')}\n`);
process.stdout.write(`\nMutation score of src/model and src/protocol\n\n${table}\n\n`);
if (Object.keys(seconds).length > 0) process.stdout.write(`wall time: ${Object.entries(seconds).map(([k, v]) => `${k} ${v} s`).join(', ')}\n`);
process.stdout.write(`${survivors.length} survivors (reports/mutation/survivors.txt):\n${survivors.join('\n')}\n`);
