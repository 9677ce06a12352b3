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
import { REFERENCE_INFO, type ReferenceVmbus } from '../../../src/model/ReferenceVmbus.js';

export interface FaultyImplementation extends ImplementationFactory {
  /** `faulty:<name>`, the name of its module file. */
  readonly info: ImplementationInfo;
  /** The one documented behaviour it breaks, in one sentence. */
  readonly lie: string;
  /** The ids of the rules that must fail against it, and the only ones that may. */
  readonly catches: readonly string[];
}

/** Packages a subclass of the reference model as an in-process implementation named `faulty:<name>`. */
export function faulty(name: string, lie: string, catches: readonly string[], create: () => ReferenceVmbus): FaultyImplementation {
  const info: ImplementationInfo = { ...REFERENCE_INFO, name: `faulty:${name}`, language: 'TypeScript (in process)' };
  return {
    info,
    lie,
    catches: [...catches].sort(),
    start: async () => ({ ...inProcess(create()), info }),
  };
}
