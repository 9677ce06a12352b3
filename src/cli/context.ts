import type { ResolveOptions } from '../adapters/registry.js';
import type { ImplementationSummary } from '../report/types.js';
import type { CucumberRunner } from './cucumber.js';
import type { CliIo } from './io.js';

/** What every command gets besides its options: the process's I/O and the suite's seams. */
export interface CommandContext {
  readonly io: CliIo;
  /** The package root: `features/` and `dist/steps/` live here. */
  readonly root: string;
  /**
   * The header of the report for an implementation spec; throws for a spec it cannot resolve. The
   * options are the ones the scenarios resolve the spec with, so both share one resolution.
   */
  readonly describeImplementation: (spec: string, options?: ResolveOptions) => Promise<ImplementationSummary>;
  /**
   * Ends what describing a spec started (a `cmd:` program) when the scenarios will not use it
   * (parallel workers start their own); absent: nothing to end.
   */
  readonly releaseImplementation?: (spec: string, options?: ResolveOptions) => Promise<void>;
  readonly runCucumber: CucumberRunner;
  /** The clock for `generatedAt`. */
  readonly now?: () => Date;
}
