/** A CommandContext for CLI tests: captured output, a recording Cucumber runner, a fixed clock. */
import { runSuiteWithCucumber, type CucumberRunner, type CucumberRunRequest } from '../../src/cli/cucumber.js';
import type { CommandContext } from '../../src/cli/context.js';
import { ExitError } from '../../src/cli/exit.js';
import { Capture } from '../report/tinySuite.js';

export interface Harness {
  readonly context: CommandContext;
  readonly stdout: Capture;
  readonly stderr: Capture;
  readonly requests: CucumberRunRequest[];
}

export function makeHarness(
  root: string,
  defaults: Pick<CommandContext, 'describeImplementation' | 'now'>,
  overrides: Partial<CommandContext> = {},
): Harness {
  const stdout = new Capture();
  const stderr = new Capture();
  const requests: CucumberRunRequest[] = [];
  const runner = overrides.runCucumber ?? runSuiteWithCucumber;
  const recording: CucumberRunner = async (request) => {
    requests.push(request);
    return runner(request);
  };
  const context: CommandContext = {
    io: { cwd: root, stdout, stderr, isTTY: false, ci: true, env: {} },
    root,
    ...defaults,
    ...overrides,
    runCucumber: recording,
  };
  return { context, stdout, stderr, requests };
}

/** The exit code a promise ends with: 0 when it resolves, the ExitError's code otherwise. */
export async function exitCode(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 0;
  } catch (error) {
    if (!(error instanceof ExitError)) throw error;
    return error.code;
  }
}
