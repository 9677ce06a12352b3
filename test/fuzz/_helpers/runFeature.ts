/**
 * Runs one feature file with the suite's step definitions (from dist/) against an implementation,
 * through Cucumber's API as `vmbus-conformance run` does, and says how each step ended: what the
 * fuzzer's printed scenarios are checked with.
 */
import { readFile } from 'node:fs/promises';
import { runSuiteWithCucumber } from '../../../src/cli/cucumber.js';
import { suitePaths } from '../../../src/cli/paths.js';
import { Capture } from '../../report/tinySuite.js';
import { ROOT } from '../../selftest/_helpers/runs.js';

export interface FeatureRun {
  /** Every step's status, in order (PASSED, FAILED, UNDEFINED, AMBIGUOUS, SKIPPED ...). */
  readonly statuses: readonly string[];
  /** The message of the first failed step. */
  readonly failure?: string;
}

export async function runFeature(file: string, implementation: string, outDir: string): Promise<FeatureRun> {
  const result = await runSuiteWithCucumber({
    cwd: ROOT,
    paths: [file],
    importPaths: suitePaths(ROOT).stepGlobs,
    outDir,
    worldParameters: { implementation, implementationCwd: ROOT },
    stdout: new Capture(),
    stderr: new Capture(),
    env: process.env,
    interactive: false,
  });
  if (result.error !== undefined) throw result.error;
  const statuses: string[] = [];
  let failure: string | undefined;
  for (const line of (await readFile(result.messagesFile, 'utf8')).split('\n')) {
    if (line === '') continue;
    const envelope = JSON.parse(line) as { testStepFinished?: { testStepResult: { status: string; message?: string } } };
    const step = envelope.testStepFinished?.testStepResult;
    if (step === undefined) continue;
    statuses.push(step.status);
    if (step.status === 'FAILED' && failure === undefined) failure = step.message ?? '';
  }
  return { statuses, ...(failure === undefined ? {} : { failure }) };
}
