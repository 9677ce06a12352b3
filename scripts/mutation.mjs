/**
 * `npm run mutation`: mutation testing of src/model and the channel-message codec (src/protocol).
 *
 * Stryker runs one test runner per run, so this runs it four times (docs/mutation.md says why):
 *
 * 1. `cucumber`: the Cucumber suite as the killer (stryker.cucumber.config.mjs, per-scenario
 *    coverage), over every mutant but the static ones;
 * 2. `vitest`: the unit tests of vitest.mutation.config.ts (per-test coverage), over the mutants of
 *    src/protocol and of the small model files (SMALL_FILES) that run 1 did not detect;
 * 3. `vitest-fast`: the same unit tests but the property-based ones (vitest.mutation-fast.config.ts),
 *    over the undetected mutants of the other model files. The property tests over those would
 *    take hours on this shared 2-core machine (they cover every line, seconds per mutant);
 * 4. `vitest-mutants`: the unit tests written against survivors (vitest.mutation-mutants.config.ts),
 *    over every mutant runs 1-3 left.
 *
 * Runs 2 to 4 name their mutants to Stryker by exact place (`--mutate file:line:col-line:col`;
 * a place may enclose a few more mutants, which are tested too). The reports are merged mutant by
 * mutant (same file, place, mutator and replacement): detected when a run killed it or timed out
 * on it; an error (invalid) when none detected it and one could not run it (a mutant that makes a
 * scenario throw a TypeError: Stryker's cucumber runner counts that as an error of the run, not a
 * kill); survived when one covered it and none detected it; without coverage when none covered
 * it; ignored when every run left it out. The score is Stryker's: detected / (detected + survived
 * + no coverage).
 *
 * `--only <run>` runs one of them again and merges it with the others' last reports;
 * `--merge-only` merges again. Arguments after `--` go to Stryker (`-- --concurrency 1`). Writes reports/mutation/merged.json and survivors.txt; prints the
 * table and the survivors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const OUT = 'reports/mutation';
/** Files whose undetected mutants all the unit tests get; the rest get all but the property tests. */
const SMALL_FILES = [
  'src/protocol/',
  'src/model/GpadlHandleAllocator.ts',
  'src/model/TraceLog.ts',
  'src/model/Wire.ts',
  'src/model/Migration.ts',
  'src/model/InternalError.ts',
  'src/model/assertNever.ts',
];
const RUNS = [
  { name: 'cucumber', config: 'stryker.cucumber.config.mjs', env: { NODE_OPTIONS: '--import tsx' } },
  // The property tests are seeded (FC_SEED, DIFF_SEED): a score does not move between runs.
  { name: 'vitest', config: 'stryker.vitest.config.mjs', env: {}, scope: (file) => SMALL_FILES.some((p) => file.startsWith(p)) },
  {
    name: 'vitest-fast',
    config: 'stryker.vitest.config.mjs',
    env: { MUTATION_VITEST_CONFIG: 'vitest.mutation-fast.config.ts', MUTATION_REPORT: 'vitest-fast' },
    scope: (file) => !SMALL_FILES.some((p) => file.startsWith(p)),
  },
  // The tests written against the survivors (test/**/*mutants*.test.ts), over what runs 1-3 left.
  {
    name: 'vitest-mutants',
    config: 'stryker.vitest.config.mjs',
    env: { MUTATION_VITEST_CONFIG: 'vitest.mutation-mutants.config.ts', MUTATION_REPORT: 'vitest-mutants' },
    after: ['cucumber', 'vitest', 'vitest-fast'],
  },
];

const seconds = {};
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
if (only !== undefined && !RUNS.some((r) => r.name === only)) {
  process.stderr.write(`mutation: --only takes ${RUNS.map((r) => r.name).join(' or ')}\n`);
  process.exit(3);
}
if (!process.argv.includes('--merge-only')) {
  for (const run of RUNS.filter((r) => only === undefined || r.name === only)) {
    const started = Date.now();
    const dashes = process.argv.indexOf('--');
    const args = ['stryker', 'run', run.config, ...(dashes === -1 ? [] : process.argv.slice(dashes + 1))];
    if (run.scope !== undefined) args.push('--mutate', undetectedPlaces('cucumber', run.scope).join(','));
    if (run.after !== undefined) args.push('--mutate', leftPlaces(run.after).join(','));
    const result = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...run.env } });
    seconds[run.name] = Math.round((Date.now() - started) / 1000);
    if (result.status !== 0) {
      process.stderr.write(`mutation: the ${run.name} run failed (exit ${result.status})\n`);
      process.exit(result.status ?? 1);
    }
  }
}

/** The places of the mutants a run's report did not detect, as Stryker's mutate ranges (columns from 0). */
function undetectedPlaces(name, inScope) {
  const report = JSON.parse(readFileSync(`${OUT}/${name}.json`, 'utf8'));
  const places = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    if (!inScope(file)) continue;
    for (const m of mutants) {
      if (!['Survived', 'NoCoverage', 'Ignored'].includes(m.status)) continue;
      const { start, end } = m.location;
      places.push(`${file}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`);
    }
  }
  return [...new Set(places)];
}

/** The places of the mutants that survived, or were not covered by, all of the runs `names`. */
function leftPlaces(names) {
  const byKey = new Map();
  for (const name of names) {
    const report = JSON.parse(readFileSync(`${OUT}/${name}.json`, 'utf8'));
    for (const [file, { mutants }] of Object.entries(report.files)) {
      for (const m of mutants) {
        const { start, end } = m.location;
        const key = `${file}:${start.line}:${start.column}-${end.line}:${end.column}:${m.mutatorName}:${m.replacement ?? ''}`;
        const entry = byKey.get(key) ?? { place: `${file}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`, statuses: [] };
        entry.statuses.push(m.status);
        byKey.set(key, entry);
      }
    }
  }
  const left = [...byKey.values()].filter(({ statuses }) =>
    statuses.some((s) => s === 'Survived' || s === 'NoCoverage') && !statuses.some((s) => ['Killed', 'Timeout', 'RuntimeError', 'CompileError'].includes(s)));
  return [...new Set(left.map((e) => e.place))];
}

const INVALID = new Set(['RuntimeError', 'CompileError']);

/** @returns {Map<string, {file: string, line: number, column: number, mutator: string, replacement: string, status: string, killedBy: string[]}>} */
function load(name) {
  if (!existsSync(`${OUT}/${name}.json`)) {
    process.stderr.write(`mutation: no report of the ${name} run (${OUT}/${name}.json): merged without it\n`);
    return new Map();
  }
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
  // A mutant a run was not given (runs 2 and 3 get only what run 1 left) counts as left out by it.
  const statuses = each.map((m) => m?.status ?? 'Ignored');
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
