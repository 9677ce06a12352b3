/**
 * Benchmark: the whole suite against its floor, Cucumber itself (issue 11: the suite within 1.3x of
 * the no-op floor, wall and CPU; start-up until the first scenario measured, and what this project
 * adds to Cucumber's own cut).
 *
 * - the suite: `vmbus-conformance run --impl inproc:reference --profile strict`, every feature,
 *   every report (the CLI's own and Cucumber's html, message and junit);
 * - the floor: Cucumber's own command line on the same feature files, every step a no-op
 *   (bench/suiteNoopSteps.ts: two catch-all definitions), with Cucumber's html, message and junit
 *   formatters writing files;
 * - the vocabulary floor: the same, with this suite's step definitions (every pattern, arity and
 *   parameter type of `steps/`) as no-ops (bench/suiteVocabularySteps.ts). "The same features with
 *   no-op steps" reads either way: the floor above is Cucumber alone; this one is Cucumber matching
 *   our vocabulary, so the suite over it is what this project's own code adds.
 *
 * Each runs as a process of its own, interleaved (the order turns by round), `BENCH_ROUNDS`
 * rounds (default 5) after one untimed round to warm the disk cache; medians. Wall time is the
 * parent's, CPU time (user + system) the child's own (bench/_lib/measuredChild.ts). Start-up is
 * from the process's `performance.timeOrigin` to the first `testCaseStarted` in its messages.
 * All three must execute the same test cases and the same steps, every step passing: a floor that
 * ran fewer would flatter the suite.
 *
 *   npm run build && node dist/bench/suite.js
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Envelope } from '@cucumber/messages';
import { writeVocabulary } from './_lib/loadVocabulary.js';
import { median, reportTarget } from './_lib/targets.js';
import { runMeasured, type MeasuredRun } from './_lib/measuredChild.js';
import { VOCABULARY_ENV } from './_lib/vocabulary.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const CUCUMBER = path.join(ROOT, 'node_modules/@cucumber/cucumber/bin/cucumber.js');
const NOOP_STEPS = path.join(HERE, 'suiteNoopSteps.js');
const VOCABULARY_STEPS = path.join(HERE, 'suiteVocabularySteps.js');
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const scratch = mkdtempSync(path.join(tmpdir(), 'vmbus-bench-vocabulary-'));
const vocabularyFile = path.join(scratch, 'vocabulary.json');
const vocabulary = await writeVocabulary(ROOT, vocabularyFile);

/** What a run's messages say it executed. */
interface Executed {
  readonly testCases: number;
  /** Gherkin steps run (hooks not counted: the floor has none). */
  readonly steps: number;
  /** Steps that did not pass, by status. */
  readonly notPassed: ReadonlyMap<string, number>;
  /** The first `testCaseStarted`, milliseconds since the epoch. */
  readonly firstScenarioAt: number;
}

function executed(messagesFile: string): Executed {
  const envelopes = readFileSync(messagesFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Envelope);
  const pickleSteps = new Set(envelopes.flatMap((e) => e.testCase?.testSteps.filter((s) => s.pickleStepId !== undefined).map((s) => s.id) ?? []));
  const notPassed = new Map<string, number>();
  let steps = 0;
  for (const e of envelopes) {
    if (e.testStepFinished === undefined || !pickleSteps.has(e.testStepFinished.testStepId)) continue;
    steps++;
    const status = e.testStepFinished.testStepResult.status;
    if (status !== 'PASSED') notPassed.set(status, (notPassed.get(status) ?? 0) + 1);
  }
  const first = envelopes.find((e) => e.testCaseStarted !== undefined)?.testCaseStarted?.timestamp;
  if (first === undefined) throw new Error(`${messagesFile}: no scenario started`);
  return {
    testCases: envelopes.filter((e) => e.testCaseFinished !== undefined).length,
    steps,
    notPassed,
    firstScenarioAt: first.seconds * 1000 + first.nanos / 1e6,
  };
}

interface Sample {
  readonly run: MeasuredRun;
  readonly executed: Executed;
  /** Seconds from the process's start to its first scenario. */
  readonly startupSeconds: number;
}

function sample(run: MeasuredRun, messagesFile: string, what: string): Sample {
  if (run.result.status !== 0) throw new Error(`${what} exited ${run.result.status ?? run.result.signal}:\n${run.result.stdout}\n${run.result.stderr}`);
  const ran = executed(messagesFile);
  if (ran.notPassed.size > 0) throw new Error(`${what}: steps that did not pass: ${JSON.stringify([...ran.notPassed])}`);
  return { run, executed: ran, startupSeconds: (ran.firstScenarioAt - run.startedAt) / 1000 };
}

function runSuite(): Sample {
  const out = mkdtempSync(path.join(tmpdir(), 'vmbus-bench-suite-'));
  try {
    const run = runMeasured(CLI, ['run', '--impl', 'inproc:reference', '--profile', 'strict', '--out', out], { cwd: ROOT });
    return sample(run, path.join(out, 'messages.ndjson'), 'the suite');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Cucumber's own command line with `steps` as its support code (one of the floors). */
function runCucumberWith(steps: string, what: string): Sample {
  // A floor runs in a directory of its own: the package root's cucumber.mjs would add our steps.
  const out = mkdtempSync(path.join(tmpdir(), 'vmbus-bench-floor-'));
  try {
    const messages = path.join(out, 'messages.ndjson');
    const formats = [`html:${path.join(out, 'cucumber.html')}`, `message:${messages}`, `junit:${path.join(out, 'junit.xml')}`];
    const run = runMeasured(CUCUMBER, [path.join(ROOT, 'features'), '--import', steps, ...formats.flatMap((f) => ['--format', f])], { cwd: out, env: { ...process.env, [VOCABULARY_ENV]: vocabularyFile } });
    return sample(run, messages, what);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
const runFloor = (): Sample => runCucumberWith(NOOP_STEPS, 'the floor');
const runVocabularyFloor = (): Sample => runCucumberWith(VOCABULARY_STEPS, 'the vocabulary floor');

// One untimed round: the first reads of node_modules and features come from disk.
const KINDS = [runFloor, runVocabularyFloor, runSuite] as const;
for (const run of KINDS) run();
const floor: Sample[] = [];
const vocabularyFloor: Sample[] = [];
const suite: Sample[] = [];
const samples = [floor, vocabularyFloor, suite] as const;
for (let round = 0; round < rounds; round++) {
  // The order turns by round, so that none of the three always runs first or last.
  for (let k = 0; k < KINDS.length; k++) {
    const kind = (k + round) % KINDS.length;
    samples[kind]!.push(KINDS[kind]!());
  }
}
rmSync(scratch, { recursive: true, force: true });

const counts = (s: Sample): string => `${s.executed.testCases} test cases, ${s.executed.steps} steps`;
const mismatch = [...suite, ...vocabularyFloor, ...floor].find((s) => counts(s) !== counts(floor[0]!));
if (mismatch !== undefined) throw new Error(`the suite and the floors ran different work: ${counts(mismatch)} against ${counts(floor[0]!)}`);

const m = (samples: readonly Sample[], pick: (s: Sample) => number): number => median(samples.map(pick));
const measures = (pick: (s: Sample) => number) => ({ suite: m(suite, pick), floor: m(floor, pick), vocabulary: m(vocabularyFloor, pick) });
const figures = {
  wall: measures((s) => s.run.wallSeconds),
  cpu: measures((s) => s.run.cpuSeconds),
  startup: measures((s) => s.startupSeconds),
};
console.log(`all three ran ${counts(floor[0]!)}, every step passing; medians of ${rounds} rounds, interleaved`);
console.log(`the vocabulary floor: ${vocabulary.steps.length} step definitions and ${vocabulary.parameterTypes.length} parameter types of steps/, every body a no-op`);
const columns = ['the suite', 'floor', 'ratio', 'vocab. floor', 'ratio', 'vocab./floor'];
console.log(`${''.padEnd(22)}${columns.map((c) => c.padStart(c.startsWith('vocab') ? 14 : 11)).join('')}`);
const seconds = (x: number): string => `${x.toFixed(3)} s`.padStart(11);
const ratio = (x: number, width = 11): string => `${x.toFixed(2)}x`.padStart(width);
for (const [name, f] of Object.entries(figures)) {
  const label = name === 'startup' ? 'to the first scenario' : `${name} time`;
  console.log(`${label.padEnd(22)}${seconds(f.suite)}${seconds(f.floor)}${ratio(f.suite / f.floor)}${seconds(f.vocabulary).padStart(14)}${ratio(f.suite / f.vocabulary)}${ratio(f.vocabulary / f.floor, 14)}`);
}

const over = (measured: number, floor: number): string => `${measured.toFixed(2)} s over ${floor.toFixed(2)} s, medians of ${rounds}`;
reportTarget({
  id: 'suite-wall',
  target: 'the suite within 1.3x of the no-op floor, wall',
  measured: figures.wall.suite / figures.wall.floor,
  limit: 1.3,
  better: 'lower',
  unit: 'x',
  detail: `wall ${over(figures.wall.suite, figures.wall.floor)}`,
});
reportTarget({
  id: 'suite-cpu',
  target: 'the suite within 1.3x of the no-op floor, CPU',
  measured: figures.cpu.suite / figures.cpu.floor,
  limit: 1.3,
  better: 'lower',
  unit: 'x',
  detail: `CPU (user + system) ${over(figures.cpu.suite, figures.cpu.floor)}`,
});
// The other reading of the floor: Cucumber with this suite's step definitions as no-ops.
reportTarget({
  id: 'suite-wall-vocab',
  target: "the suite within 1.3x of Cucumber running our step definitions as no-ops, wall",
  measured: figures.wall.suite / figures.wall.vocabulary,
  limit: 1.3,
  better: 'lower',
  unit: 'x',
  detail: `wall ${over(figures.wall.suite, figures.wall.vocabulary)}; that floor is ${(figures.wall.vocabulary / figures.wall.floor).toFixed(2)}x the plain one`,
});
reportTarget({
  id: 'suite-cpu-vocab',
  target: "the suite within 1.3x of Cucumber running our step definitions as no-ops, CPU",
  measured: figures.cpu.suite / figures.cpu.vocabulary,
  limit: 1.3,
  better: 'lower',
  unit: 'x',
  detail: `CPU (user + system) ${over(figures.cpu.suite, figures.cpu.vocabulary)}; that floor is ${(figures.cpu.vocabulary / figures.cpu.floor).toFixed(2)}x the plain one`,
});
reportTarget({
  id: 'startup',
  target: "start-up to the first scenario over Cucumber's own",
  measured: figures.startup.suite / figures.startup.floor,
  limit: 1.3,
  better: 'lower',
  unit: 'x',
  detail: `${over(figures.startup.suite, figures.startup.floor)}, ${((figures.startup.suite - figures.startup.floor) * 1000).toFixed(0)} ms added by this project; the issue sets no bound, 1.3x is ours`,
});
