#!/usr/bin/env node
/**
 * `vmbus-conformance-serve [inproc:reference | module:<path>]`: serves an in-process implementation
 * over the plug-in protocol on standard input and output (see `src/plugin/serve.ts` and
 * docs/protocol.md), so that it can be run as `cmd:vmbus-conformance-serve ...` like an
 * implementation in any other language; a factory that starts halves is served as halves too
 * (`guest.*` and `host.*`, docs/halves.md), so `--guest` and `--host` can name it.
 *
 * Standard output carries protocol lines only: `console` is pointed at standard error before the
 * implementation is loaded. Exit codes: 0 after `shutdown` or the end of the input, 2 if the
 * implementation cannot be loaded, 3 for a usage error.
 */
import { Console } from 'node:console';
import { resolveImplementation, UnknownImplementationError, DEFAULT_IMPLEMENTATION } from '../adapters/registry.js';
import { serve } from '../plugin/serve.js';
import { EXIT } from './exit.js';

globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

const USAGE = `usage: vmbus-conformance-serve [inproc:<name> | module:<path>]

Serves an implementation of the vmbus-conformance contract over the plug-in protocol
(one JSON request per line on standard input, one response per line on standard output),
and its guest and host halves when it has them (guest.* and host.* commands, docs/halves.md).
Default: ${DEFAULT_IMPLEMENTATION}.
`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(USAGE);
    return EXIT.CONFORMANT;
  }
  if (argv.length > 1 || argv.some((arg) => arg.startsWith('-'))) {
    process.stderr.write(USAGE);
    return EXIT.USAGE;
  }
  const spec = argv[0] ?? DEFAULT_IMPLEMENTATION;
  if (!/^(inproc|module):./.test(spec)) {
    process.stderr.write(`vmbus-conformance-serve: can only serve inproc: and module: implementations, not "${spec}"\n${USAGE}`);
    return EXIT.USAGE;
  }
  let factory;
  try {
    factory = await resolveImplementation(spec, { cwd: process.cwd() });
  } catch (error) {
    process.stderr.write(`vmbus-conformance-serve: ${(error as Error).message}\n`);
    return error instanceof UnknownImplementationError ? EXIT.USAGE : EXIT.HARNESS_ERROR;
  }
  await serve(factory, { input: process.stdin, output: process.stdout, log: process.stderr });
  return EXIT.CONFORMANT;
}

const code = await main(process.argv.slice(2));
// Exit now: standard input may still be open (after shutdown), and stdout is flushed first.
process.stdout.write('', () => process.exit(code));
