/**
 * The fuzzer: fast-check generates programs (./commands.ts), each runs on the reference and on the
 * implementation side by side (./differential.ts), and the first program whose sides differ is
 * shrunk to the shortest fast-check finds, then run once more to record what the reference showed
 * at every step, for the printer. The seed and the path fast-check reports replay it exactly.
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { programArb, type Generated, type Program } from './commands.js';
import { runDifferential, type Contestants, type DifferentialOptions, type RunRecord } from './differential.js';

export interface FuzzOptions extends DifferentialOptions, Generated {
  readonly seed: number;
  readonly runs: number;
  /** A path fast-check printed, with the same seed: replays that one program (and shrinks from there). */
  readonly path?: string;
  readonly contestants: Contestants;
  /** Called after every run with the figures so far. */
  readonly onProgress?: (progress: FuzzProgress) => void;
  /** Checked before every run: true stops the fuzzer (Ctrl-C); what was measured is kept. */
  readonly stopped?: () => boolean;
  /** False: stop at the first difference, unshrunk (how many runs it takes to find one). */
  readonly shrink?: boolean;
}

/** Every kind of command and every observation: for an implementation that claims every capability (the reference). */
export const EVERY_CAPABILITY = {
  hostControl: true,
  migration: true,
  mdl: true,
  lifecycle: true,
  wireHost: true,
  capabilities: { trace: true, violations: true },
} as const satisfies Partial<FuzzOptions>;

export interface FuzzProgress {
  readonly runs: number;
  readonly operations: number;
  readonly elapsedMs: number;
  readonly shrinking: boolean;
}

export interface Counterexample {
  readonly program: Program;
  readonly record: RunRecord;
  /** Replays it: `--seed <seed> --path <path>`. */
  readonly seed: number;
  readonly path: string;
  /** The run (1-based) that first found a difference, before shrinking. */
  readonly foundAtRun: number;
  readonly shrinks: number;
}

export interface FuzzOutcome {
  /** Programs run before the first difference (all of them when there was none), shrinking not counted. */
  readonly runs: number;
  /** Calls made on each side over every run, shrinking included. */
  readonly operations: number;
  /** Checked operations over every run, shrinking included: the steps after the set-up ({@link RunRecord.steps}), each a call on both sides and every look after it, compared. */
  readonly checked: number;
  readonly elapsedMs: number;
  readonly interrupted: boolean;
  readonly counterexample?: Counterexample;
}

export async function fuzz(options: FuzzOptions): Promise<FuzzOutcome> {
  const start = performance.now();
  let operations = 0;
  let checked = 0;
  let runs = 0;
  let shrinking = false;
  let interrupted = false;
  const property = fc.asyncProperty(programArb(options), async (program) => {
    // An implementation in this process answers in microtasks only: without a turn of the event
    // loop now and then, a signal's handler (Ctrl-C) would never run.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.stopped?.() === true) {
      // fast-check has no way to stop early from outside: a failure ends the runs (its shrinking
      // meets the same throw at once), and the outcome below ignores it.
      interrupted = true;
      throw new Error('interrupted');
    }
    const record = await runDifferential(program, options.contestants, options);
    operations += record.operations;
    checked += record.steps.length;
    if (!shrinking) runs++;
    const agreed = record.difference === undefined;
    if (!agreed) shrinking = true;
    options.onProgress?.({ runs, operations, elapsedMs: performance.now() - start, shrinking });
    return agreed;
  });
  const details = await fc.check(property, { seed: options.seed, numRuns: options.runs, ...(options.path === undefined ? {} : { path: options.path }), endOnFailure: options.shrink === false });
  const base = { runs, operations, checked, elapsedMs: performance.now() - start, interrupted };
  if (!details.failed || interrupted) return base;
  // An error thrown by the harness itself (not a difference) fails the property with no counterexample.
  if (details.counterexample === null) throw details.errorInstance ?? new Error('the fuzzer failed without a counterexample');
  const [program] = details.counterexample;
  const record = await runDifferential(program, options.contestants, options);
  if (record.difference === undefined) throw new Error(`the shrunk counterexample did not differ again when replayed (seed ${details.seed}, path ${details.counterexamplePath}): the implementation is not deterministic`);
  return {
    ...base,
    elapsedMs: performance.now() - start,
    counterexample: { program, record, seed: details.seed, path: details.counterexamplePath ?? '', foundAtRun: runs, shrinks: details.numShrinks },
  };
}
