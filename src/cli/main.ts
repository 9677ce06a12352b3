#!/usr/bin/env node
/**
 * The `vmbus-conformance` command. The only module that touches `process`: it builds the I/O
 * context, runs the command line and turns what it throws into the exit code (see `exit.ts`):
 * 0 conformant, 1 not conformant, 2 harness or implementation error, 3 usage error, 130 and 143
 * interrupted by SIGINT and SIGTERM.
 *
 * SIGINT and SIGTERM stop a run (src/cli/interrupt.ts): no further scenario starts, implementation
 * processes are ended (whole process groups), Cucumber's parallel workers are told, and the
 * reports are written from what was measured, marked incomplete. A second signal abandons what
 * still runs at once; a third exits on the spot. Standard output closed early (`list-rules | head`)
 * is not an error: what is left to print is dropped, and the command still ends normally.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext } from './context.js';
import { runSuiteWithCucumber } from './cucumber.js';
import { killAllPluginProcesses } from '../adapters/stdio/PluginProcess.js';
import { ExitError, exitCodeOf } from './exit.js';
import { describeImplementation, releaseImplementation } from './implementation.js';
import { forwardToWorkers, INTERRUPT_EXIT_CODES, interruptedBy, requestInterrupt, type InterruptSignal } from './interrupt.js';
import { packageRoot } from './paths.js';
import { runCli } from './program.js';

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

function packageVersion(root: string): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

// A reader that stops reading (`| head`) closes our standard output: drop the rest quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

let signals = 0;
function onSignal(signal: InterruptSignal): void {
  signals += 1;
  if (signals === 1) {
    process.stderr.write(`\nvmbus-conformance: ${signal}: stopping the run, ending the implementations, writing the reports (marked incomplete); again to abandon at once\n`);
  } else if (signals >= 3) {
    process.exit(INTERRUPT_EXIT_CODES[signal]);
  }
  requestInterrupt(signal);
  killAllPluginProcesses();
  forwardToWorkers(signal);
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

const root = packageRoot(import.meta.url);
const context: CommandContext = {
  io: {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: process.stdout.isTTY === true,
    ci: isCi(process.env),
    env: process.env,
  },
  root,
  describeImplementation,
  releaseImplementation,
  runCucumber: runSuiteWithCucumber,
};

try {
  await runCli(process.argv.slice(2), context, packageVersion(root));
  process.exitCode = 0;
} catch (error) {
  if (error instanceof ExitError) {
    if (!error.reported) process.stderr.write(`vmbus-conformance: ${error.message}\n`);
  } else {
    process.stderr.write(`vmbus-conformance: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = exitCodeOf(error);
}

// An interrupted run ends here, whatever is still running (an abandoned Cucumber run, a step that
// cannot be stopped): the reports are written.
const interrupted = interruptedBy();
if (interrupted !== undefined) {
  const code = INTERRUPT_EXIT_CODES[interrupted];
  killAllPluginProcesses();
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}
