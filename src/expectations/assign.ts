/**
 * Which `--expect` file goes with which `--impl`: a file applies to the implementation its
 * `implementation` field names, by spec exactly as given to `--impl` or by the name the
 * implementation reports (its handshake, or its module's `info.name`). Each file must name exactly
 * one implementation of the run, and each implementation gets at most one file. A file that does
 * not exist yet (only with `--update-expectations`) goes with the only implementation of a run
 * that has one.
 */
import { ExpectationsFileError } from './load.js';
import type { LoadedExpectations } from './types.js';

export interface ImplementationIdentity {
  /** The spec as given to `--impl`. */
  readonly spec: string;
  /** The name the implementation reports; absent when it could not be described. */
  readonly name?: string;
}

function describe(impl: ImplementationIdentity): string {
  return impl.name !== undefined ? `"${impl.spec}" (${JSON.stringify(impl.name)})` : `"${impl.spec}"`;
}

export interface Assignment {
  /** One slot per implementation, in order. */
  readonly files: readonly (LoadedExpectations | undefined)[];
  /** Files that named no implementation of the run (only with `lenient`). */
  readonly unmatched: readonly string[];
}

/**
 * Throws {@link ExpectationsFileError} for a file that names no implementation of the run (unless
 * `lenient`: some implementation could not be described, so its name is unknown), names several,
 * or an implementation named by two files.
 */
export function assignExpectations(files: readonly LoadedExpectations[], impls: readonly ImplementationIdentity[], options: { lenient?: boolean } = {}): Assignment {
  const slots: (LoadedExpectations | undefined)[] = impls.map(() => undefined);
  const unmatched: string[] = [];
  const list = impls.map(describe).join(', ');
  for (const file of files) {
    let matches: number[];
    if (file.content === undefined) {
      if (impls.length !== 1) {
        throw new ExpectationsFileError(
          `expectations file ${file.file} does not exist yet, and with several --impl it cannot say which implementation it is for: create it as {"implementation": "<spec or name>", "expectations": []}`,
        );
      }
      matches = [0];
    } else {
      const wanted = file.content.implementation;
      matches = impls.flatMap((impl, i) => (impl.spec === wanted || impl.name === wanted ? [i] : []));
      if (matches.length === 0) {
        if (options.lenient) {
          unmatched.push(file.file);
          continue;
        }
        throw new ExpectationsFileError(`expectations file ${file.file} is for implementation ${JSON.stringify(wanted)}, which is none of this run's: ${list}`);
      }
      if (matches.length > 1) {
        throw new ExpectationsFileError(
          `expectations file ${file.file} is for implementation ${JSON.stringify(wanted)}, which names ${matches.length} implementations of this run (${matches.map((i) => describe(impls[i]!)).join(', ')}): name one by its spec`,
        );
      }
    }
    const slot = matches[0]!;
    const taken = slots[slot];
    if (taken !== undefined) {
      throw new ExpectationsFileError(`expectations files ${taken.file} and ${file.file} are both for implementation ${describe(impls[slot]!)}: give each implementation one file`);
    }
    slots[slot] = file;
  }
  return { files: slots, unmatched };
}
