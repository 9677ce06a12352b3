/**
 * What every faulty implementation of the zoo declares, and how it is packaged.
 *
 * A faulty implementation is the reference model with exactly one documented behaviour broken
 * (Bowtie's "miniatures"). It is plugged in like any implementation, as
 * `module:dist/implementations/faulty/<name>.js`, and the self-test (`test/selftest/zoo.test.ts`)
 * runs the whole suite against it: the rules whose verdict is `fail` must be exactly the rules it
 * declares in {@link FaultyImplementation.catches}, no more and no fewer.
 */
import { inProcess } from '../../../src/adapters/inProcess.js';
import type { ImplementationFactory, ImplementationInfo } from '../../../src/contract/Implementation.js';
import { referenceGuestHalf } from '../../../src/model/halves/ReferenceGuestHalf.js';
import { REFERENCE_INFO, type ReferenceOptions, type ReferenceVmbus } from '../../../src/model/ReferenceVmbus.js';

export interface FaultyImplementation extends ImplementationFactory {
  /** `faulty:<name>`, the name of its module file. */
  readonly info: ImplementationInfo;
  /** The one documented behaviour it breaks, in one sentence. */
  readonly lie: string;
  /** The ids of the rules that must fail against it, and the only ones that may. */
  readonly catches: readonly string[];
  /**
   * For a fake whose lie is its guest's: the rules that must fail when it is the guest half paired
   * with the reference host, the harness carrying the wire (docs/halves.md). A lie told only in the
   * trace the implementation reports is caught by different rules there, or by none.
   */
  readonly catchesAsGuest?: readonly string[];
}

/**
 * Packages a subclass of the reference model as an in-process implementation named `faulty:<name>`.
 * With `asGuest`, its constructor takes the model's options and it also serves as a guest half.
 */
export function faulty(
  name: string,
  lie: string,
  catches: readonly string[],
  create: (options?: ReferenceOptions) => ReferenceVmbus,
  asGuest?: { readonly catches: readonly string[] },
): FaultyImplementation {
  const info: ImplementationInfo = { ...REFERENCE_INFO, name: `faulty:${name}`, language: 'TypeScript (in process)', ...(asGuest ? { halves: ['guest'] as const } : {}) };
  return {
    info,
    lie,
    catches: [...catches].sort(),
    start: async () => ({ ...inProcess(create()), info }),
    ...(asGuest === undefined ? {} : { catchesAsGuest: [...asGuest.catches].sort(), startGuest: async () => ({ ...referenceGuestHalf(create), info }) }),
  };
}
