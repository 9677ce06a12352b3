#!/usr/bin/env node
/**
 * The `vmbus-conformance` command. The only module that touches `process`: it builds the I/O
 * context, runs the command line and turns what it throws into the exit code (see `exit.ts`):
 * 0 conformant, 1 not conformant, 2 harness or implementation error, 3 usage error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandContext } from './context.js';
import { runSuiteWithCucumber } from './cucumber.js';
import { ExitError, exitCodeOf } from './exit.js';
import { describeImplementation } from './implementation.js';
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
