/**
 * One differential run: the reference and the implementation under test, each on a fresh
 * connection, take the same set-up and then the same calls, one at a time; after every step what
 * each showed (./side.ts) must be the same text. The first step where it is not, or where either
 * side threw, ends the run with a {@link Difference}.
 */
import type { VmbusImplementation } from '../contract/Implementation.js';
import type { Call } from './calls.js';
import type { Program } from './commands.js';
import { PAIRS } from './commands.js';
import type { Strictness } from './observe.js';
import { Knowledge, learn, plan, syncEndpoints } from './plan.js';
import { Side, type Observation, type SideCapabilities } from './side.js';

export interface Difference {
  /** The index of the step in {@link RunRecord.steps}; -1 for the set-up. */
  readonly step: number;
  readonly aspect: Observation['aspect'];
  readonly subject?: string;
  readonly reference: string;
  readonly implementation: string;
}

export interface RecordedStep {
  readonly call: Call;
  /** What the reference showed after it: the texts the printed Then steps assert. */
  readonly reference: readonly Observation[];
}

export interface RunRecord {
  readonly setUp: readonly Observation[];
  readonly steps: readonly RecordedStep[];
  readonly difference?: Difference;
  /** Calls made on each side, set-up included. */
  readonly operations: number;
}

export interface DifferentialOptions {
  readonly strictness: Strictness;
  readonly misuse: boolean;
  readonly capabilities: SideCapabilities;
}

/** Both sides, started fresh for one run. */
export interface Contestants {
  reference(): Promise<VmbusImplementation>;
  implementation(): Promise<VmbusImplementation>;
  /**
   * The sides that run each request to its end before the next, in the order asked: one served
   * over stdio, one in process that answers at once. Their looks are asked with each call (./side.ts),
   * in the call's write over stdio. Absent: neither; a pairing of halves in process interleaves.
   */
  readonly inOrder?: { readonly reference?: boolean; readonly implementation?: boolean };
}

function firstDifference(step: number, reference: readonly Observation[], implementation: readonly Observation[]): Difference | undefined {
  const threw = implementation.find((o) => o.aspect === 'threw') ?? reference.find((o) => o.aspect === 'threw');
  if (threw !== undefined) {
    const ref = reference.find((o) => o.aspect === 'threw');
    return { step, aspect: 'threw', reference: ref === undefined ? reference[0]?.text ?? '' : `(the reference) ${ref.text}`, implementation: implementation.find((o) => o.aspect === 'threw')?.text ?? implementation[0]?.text ?? '' };
  }
  for (let i = 0; i < Math.max(reference.length, implementation.length); i++) {
    const r = reference[i];
    const m = implementation[i];
    if (r?.aspect === m?.aspect && r?.text === m?.text && r?.subject === m?.subject) continue;
    const aspect = r?.aspect ?? m!.aspect;
    return { step, aspect, ...(r?.subject === undefined ? {} : { subject: r.subject }), reference: r?.aspect === aspect ? r.text : '(nothing)', implementation: m?.aspect === aspect ? m.text : `(nothing; it showed its ${m?.aspect ?? 'nothing'} instead)` };
  }
  return undefined;
}

export async function runDifferential(program: Program, contestants: Contestants, options: DifferentialOptions): Promise<RunRecord> {
  const reference = await contestants.reference();
  let implementation: VmbusImplementation | undefined;
  const steps: RecordedStep[] = [];
  let operations = 0;
  try {
    implementation = await contestants.implementation();
    const ref = new Side(reference, options.strictness, options.capabilities, PAIRS, contestants.inOrder?.reference === true);
    const impl = new Side(implementation, options.strictness, options.capabilities, PAIRS, contestants.inOrder?.implementation === true);
    const [refSetUp, implSetUp] = [await ref.setUp(program.buffers, program.unopened), await impl.setUp(program.buffers, program.unopened)];
    operations += PAIRS * 4 + program.buffers.length;
    const setUpDifference = firstDifference(-1, refSetUp, implSetUp);
    if (setUpDifference !== undefined) return { setUp: refSetUp, steps, difference: setUpDifference, operations };

    const known = new Knowledge(program.buffers);
    syncEndpoints(known, ref);
    for (const command of program.commands) {
      for (const call of plan(command, known, options.misuse)) {
        const r = await ref.step(call);
        const m = await impl.step(call);
        operations++;
        steps.push({ call, reference: r.observations });
        const difference = firstDifference(steps.length - 1, r.observations, m.observations);
        if (difference !== undefined) return { setUp: refSetUp, steps, difference, operations };
        learn(known, call, r.facts, ref);
      }
    }
    return { setUp: refSetUp, steps, operations };
  } finally {
    await Promise.allSettled([reference.close(), implementation?.close()]);
  }
}
