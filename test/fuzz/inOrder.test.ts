/**
 * A side whose implementation runs requests in the order asked has its looks asked with each call
 * (Contestants.inOrder, src/fuzz/side.ts): it must record what asking them after the call's answer
 * records, step for step, for the reference and for fakes that lie in the looks' aspects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inProcess } from '../../src/adapters/inProcess.js';
import type { ImplementationFactory } from '../../src/contract/Implementation.js';
import { programArb } from '../../src/fuzz/commands.js';
import { runDifferential, type Contestants, type DifferentialOptions } from '../../src/fuzz/differential.js';
import { EVERY_CAPABILITY } from '../../src/fuzz/fuzz.js';
import { ReferenceVmbus } from '../../src/model/ReferenceVmbus.js';

const whole = async () => inProcess(new ReferenceVmbus());
const fake = async (name: string): Promise<ImplementationFactory> => (await import(`../../implementations/faulty/${name}.ts`)).default as ImplementationFactory;

describe('looks asked with the call', () => {
  it.each([
    ['the reference', undefined],
    // Differences in the locks, the operations, the endpoints and the wire.
    ['bufferNotLocked', 'bufferNotLocked'],
    ['createIgnoresHeldAnswer', 'createIgnoresHeldAnswer'],
    ['closedServerReportsEnabled', 'closedServerReportsEnabled'],
    ['revokeLeavesHeldGpadlUnanswered', 'revokeLeavesHeldGpadlUnanswered'],
  ])('record what looks after the answer record: %s', async (_, name) => {
    const implementation = name === undefined ? whole : () => fake(name).then((f) => f.start());
    for (const misuse of [true, false]) {
      const options: DifferentialOptions = { misuse, strictness: 'strict', capabilities: EVERY_CAPABILITY.capabilities };
      const programs = fc.sample(programArb({ ...EVERY_CAPABILITY, misuse, maxCommands: 40 }), { seed: 20261206, numRuns: 40 });
      const contestants: Contestants = { reference: whole, implementation };
      for (const program of programs) {
        const after = await runDifferential(program, contestants, options);
        const withCall = await runDifferential(program, { ...contestants, inOrder: { reference: true, implementation: true } }, options);
        expect(withCall).toEqual(after);
      }
    }
  });
});
