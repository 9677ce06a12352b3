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
import { referenceHostHalf } from '../../../src/model/halves/ReferenceHostHalf.js';
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
  /** Likewise for a fake whose lie is its host's, as the host half paired with the reference guest. */
  readonly catchesAsHost?: readonly string[];
}

/**
 * Packages a subclass of the reference model as an in-process implementation named `faulty:<name>`.
 * With `halves`, it also serves as a guest half, a host half or both (its constructor takes the
 * model's options), each declaring the rules that must catch it there.
 */
export function faulty(
  name: string,
  lie: string,
  catches: readonly string[],
  create: (options?: ReferenceOptions) => ReferenceVmbus,
  halves: { readonly guest?: readonly string[]; readonly host?: readonly string[] } = {},
): FaultyImplementation {
  const served = (['guest', 'host'] as const).filter((half) => halves[half] !== undefined);
  const info: ImplementationInfo = { ...REFERENCE_INFO, name: `faulty:${name}`, language: 'TypeScript (in process)', ...(served.length > 0 ? { halves: served } : {}) };
  return {
    info,
    lie,
    catches: [...catches].sort(),
    start: async () => ({ ...inProcess(create()), info }),
    ...(halves.guest === undefined ? {} : { catchesAsGuest: [...halves.guest].sort(), startGuest: async () => ({ ...referenceGuestHalf(create), info }) }),
    ...(halves.host === undefined ? {} : { catchesAsHost: [...halves.host].sort(), startHost: async () => ({ ...referenceHostHalf(create), info }) }),
  };
}
