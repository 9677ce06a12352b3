/**
 * How the fuzzer is run against the zoo, shared by the script that measures the table
 * (scripts/fuzz-zoo.ts) and the test that holds the fuzzer to it (test/fuzz/zoo.test.ts).
 */
import { inProcess } from '../../../src/adapters/inProcess.js';
import type { ImplementationFactory } from '../../../src/contract/Implementation.js';
import { EVERY_CAPABILITY, type FuzzOptions } from '../../../src/fuzz/fuzz.js';
import { referenceGuestHalf } from '../../../src/model/halves/ReferenceGuestHalf.js';
import { referenceHostHalf } from '../../../src/model/halves/ReferenceHostHalf.js';
import { ReferenceVmbus } from '../../../src/model/ReferenceVmbus.js';
import { Pairing } from '../../../src/pairing/Pairing.js';

export const ZOO_SEED = 20261205;
/** The most runs a fake gets in one mode before the next mode is tried. */
export const ZOO_RUNS = 2500;

/** As a correct driver or with misuse; whole, or as the half it serves paired with the reference's other. */
export interface ZooMode {
  readonly misuse: boolean;
  readonly half?: 'guest' | 'host';
}

export interface ZooEntry {
  readonly fake: string;
  /** The first mode that found it; null: none did within {@link ZOO_RUNS} runs. */
  readonly mode: ZooMode | null;
  readonly runs: number | null;
  readonly calls: number | null;
  readonly aspect: string | null;
  readonly rule: string | null;
  /** The rule the fuzzer reads the difference to break is one of those the fake declares. */
  readonly ruleCatchesIt: boolean;
}

/** The fake and the reference as a mode runs them: whole, or the fake's half paired with the reference's other, against the reference's two halves. */
export function zooContestants(fake: ImplementationFactory, mode: ZooMode): FuzzOptions['contestants'] {
  const paired = async () => new Pairing(referenceGuestHalf(), referenceHostHalf());
  if (mode.half === 'guest') return { reference: paired, implementation: async () => new Pairing(await fake.startGuest!(), referenceHostHalf()) };
  if (mode.half === 'host') return { reference: paired, implementation: async () => new Pairing(referenceGuestHalf(), await fake.startHost!()) };
  return { reference: async () => inProcess(new ReferenceVmbus()), implementation: () => fake.start() };
}

export function zooOptions(mode: ZooMode): Omit<FuzzOptions, 'contestants'> {
  return {
    seed: ZOO_SEED,
    runs: ZOO_RUNS,
    maxCommands: 40,
    misuse: mode.misuse,
    strictness: 'strict',
    ...EVERY_CAPABILITY,
  };
}

/**
 * The fakes the fuzzer does not find within {@link ZOO_RUNS} runs in any mode, and why: what their
 * lie breaks is outside what the fuzzer compares, or needs a sequence it does not generate.
 */
export const ZOO_UNFOUND: Readonly<Record<string, string>> = {
  serverCleanupKeepsMapping:
    'its lie shows only through an MDL used after its endpoint is gone: a map, the server\'s disable and cleanup, then a read or write through the old MDL, four calls from three groups in that order; an earlier generator found it at run 2205, this one not within 2500',
};
