/**
 * The command line, built with commander: three commands over typed option objects. Commander's
 * own exits (usage errors, help, version) become {@link ExitError}s through `exitOverride`, so a
 * usage error is exit code 3 and nothing here calls `process.exit`.
 *
 * A command's module is loaded when the command runs (`run`, whose options need its defaults,
 * excepted): a run does not pay to load the others.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CAPABILITIES } from '../contract/Implementation.js';
import { PROFILES, type Profile } from '../report/types.js';
import { FUZZ_DEFAULTS } from './commands/fuzzDefaults.js';
import { parseShard, RUN_DEFAULTS, runCommand } from './commands/run.js';
import type { CommandContext } from './context.js';
import { EXIT, ExitError } from './exit.js';
import { INTERRUPT_GRACE_MS } from './interrupt.js';

interface RunCliOptions {
  impl?: string[];
  guest?: string[];
  host?: string[];
  profile: Profile;
  out: string;
  tags?: string;
  expect?: string[];
  updateExpectations?: boolean;
  timeout?: number;
  helloTimeout?: number;
  interruptGrace?: number;
  validate?: boolean;
  parallel?: number;
  shard?: string;
  require?: string[];
  name?: string[];
  failFast?: boolean;
  dryRun?: boolean;
  debug?: boolean;
}

/** `--require` values: capabilities of the contract, or `all`. */
function capabilities(value: string, previous: string[] | undefined): string[] {
  const known = [...CAPABILITIES, 'all'];
  const values = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  for (const v of values) if (!known.includes(v)) throw new InvalidArgumentError(`unknown capability "${v}": expected ${known.join(', ')}`);
  return [...(previous ?? []), ...values];
}

const RUN_HELP = `
Exit codes (with several --impl, the worst of them: 2 > 1 > 0):
  0  conformant: every counted rule passes, is not applicable or is a known failure
  1  not conformant: a counted rule fails (or a rule of any level fails the contract of a
     capability the implementation claims) or did not run (unless --tags/--name narrowed the
     run), a --require capability is missing, or an expectation is not met (an unexpected
     pass, or another verdict)
  2  harness or implementation error: an error (crash, hang, protocol error) in any rule,
     counted or not, an expectation whose rule errored instead, an expectations entry naming
     no rule or scenario, a run that broke; --dry-run: a step without a definition
  3  usage error: a bad option, an unknown implementation, an unreadable or invalid
     expectations file, or one that names none (or several) of the implementations,
     an --out that is a file or that another run is using
  130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM: implementation processes are ended and
     every report is written from what was measured so far, marked incomplete

Timeouts: every call to an implementation in another process gets --timeout (default 5000 ms);
its handshake (hello) gets --hello-timeout (default 10000 ms, or --timeout if longer). Cucumber's
own step timeout is set above what those allow a step, so a hang is always charged to the call
and the scenario that hung.

Examples:
  vmbus-conformance run --profile strict
  vmbus-conformance run --impl inproc:reference --impl "cmd:python3 impl.py" --out reports
  vmbus-conformance run --guest "cmd:./my-guest" --host inproc:reference       # judge a guest half
  vmbus-conformance run --guest A --guest B --host C --host D --out reports    # an interop matrix
  vmbus-conformance run --impl "cmd:python3 impl.py" --expect expectations/python.json
  vmbus-conformance run --shard 2/3 --out shard-2        # one CI job of three; then merge
  vmbus-conformance run --impl "cmd:./impl" --require violations trace   # fail without them
  vmbus-conformance run --impl "cmd:./impl" --tags @MAP-04   # judges MAP-04 alone
`;

const MERGE_HELP = `
The shards are the output directories of \`run --shard i/n\` for i = 1..n (the same
implementation, profile and tags). The merged reports equal those of one unsharded run, apart
from timings. Exit codes as for run.

Example:
  vmbus-conformance run --shard 1/2 --out s1 && vmbus-conformance run --shard 2/2 --out s2
  vmbus-conformance merge s1 s2 --out reports
`;

function shard(value: string): string {
  if (parseShard(value) === undefined) throw new InvalidArgumentError('expected <index>/<total> with 1 <= index <= total, e.g. 2/3');
  return value.trim();
}

/** A repeatable option's values, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInteger(value: string): number {
  if (!/^[1-9][0-9]*$/.test(value.trim())) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

function nonNegativeInteger(value: string): number {
  if (!/^[0-9]+$/.test(value.trim()) || Number(value) > 0xffffffff) throw new InvalidArgumentError('expected an integer from 0 to 4294967295');
  return Number(value);
}

function toExitError(error: CommanderError): never {
  // Help and --version exit with 0; everything else commander rejects is a usage error.
  if (error.exitCode === 0) throw new ExitError(EXIT.CONFORMANT, error.message);
  throw new ExitError(EXIT.USAGE, error.message);
}

export function createProgram(context: CommandContext, version = 'unknown'): Command {
  const { io } = context;
  const program = new Command('vmbus-conformance')
    .description('Conformance suite for the Hyper-V VMBus GPADL API')
    .version(version)
    .exitOverride(toExitError)
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })
    .showSuggestionAfterError(true);

  program
    .command('run')
    .description('run the features against one or more implementations and write the reports')
    .option('--impl <spec>', `implementation under test; repeat to run several one after the other (default: ${RUN_DEFAULTS.impl})`, collect)
    .option('--guest <spec>', 'a guest half under test, paired with each --host (default host: inproc:reference); repeat for an interop matrix (docs/halves.md)', collect)
    .option('--host <spec>', 'a host half under test, paired with each --guest (default guest: inproc:reference); repeat for an interop matrix', collect)
    .addOption(new Option('--profile <profile>', 'rules that count toward conformance').choices(PROFILES).default(RUN_DEFAULTS.profile))
    .option('--tags <expr>', 'Cucumber tag expression selecting scenarios')
    .option('--out <dir>', 'output directory; with several --impl, one subdirectory each plus comparison.md and comparison.html', RUN_DEFAULTS.out)
    .option('--expect <file>', 'expectations (known-failure) file; repeatable: each applies to the --impl whose spec or reported name its "implementation" field gives', collect)
    .option('--update-expectations', 'rewrite the --expect files from this run (new entries get the reason "TODO: explain")')
    .option('--timeout <ms>', 'per-call timeout for implementations in another process, in milliseconds (default 5000)', positiveInteger)
    .option('--hello-timeout <ms>', 'budget of the handshake (hello) of an implementation in another process, in milliseconds (default 10000, or --timeout if longer)', positiveInteger)
    .option('--validate', 'validate every plug-in protocol message against the schemas')
    .option('--interrupt-grace <ms>', `after SIGINT or SIGTERM, how long the run may take to stop before it is abandoned and its reports written from what it has, in milliseconds (default ${INTERRUPT_GRACE_MS})`, positiveInteger)
    .option('--parallel <n>', "Cucumber's parallel worker processes", positiveInteger)
    .option('--shard <i/n>', 'run only shard i of n of the scenarios (a CI matrix); merge combines the shards\' directories', shard)
    .option('--require <capability...>', `capabilities whose absence fails the run (not conformant, exit 1): ${CAPABILITIES.join(', ')}, or all`, capabilities)
    .option('--name <regex>', 'run only the scenarios whose name matches; repeatable; like --tags, the run then judges only what it selected', collect)
    .option('--fail-fast', 'stop at the first scenario that fails or errors (the rest are not run)')
    .option('--dry-run', 'start no implementation: check that every selected step has a definition and say what would run')
    .option('--debug', "Cucumber's own output, stack traces included, instead of the progress line")
    .addHelpText('after', RUN_HELP)
    .action(async (opts: RunCliOptions) => {
      await runCommand(
        {
          impl: opts.impl ?? (opts.guest !== undefined || opts.host !== undefined ? [] : [RUN_DEFAULTS.impl]),
          ...(opts.guest !== undefined ? { guest: opts.guest } : {}),
          ...(opts.host !== undefined ? { host: opts.host } : {}),
          profile: opts.profile,
          out: opts.out,
          expect: opts.expect ?? [],
          ...(opts.tags !== undefined ? { tags: opts.tags } : {}),
          ...(opts.updateExpectations === true ? { updateExpectations: true } : {}),
          ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
          ...(opts.helloTimeout !== undefined ? { helloTimeoutMs: opts.helloTimeout } : {}),
          ...(opts.interruptGrace !== undefined ? { interruptGraceMs: opts.interruptGrace } : {}),
          ...(opts.validate === true ? { validateProtocol: true } : {}),
          ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
          ...(opts.shard !== undefined ? { shard: opts.shard } : {}),
          ...(opts.require !== undefined ? { require: opts.require } : {}),
          ...(opts.name !== undefined ? { names: opts.name } : {}),
          ...(opts.failFast === true ? { failFast: true } : {}),
          ...(opts.dryRun === true ? { dryRun: true } : {}),
          ...(opts.debug === true ? { debug: true } : {}),
        },
        context,
      );
    });

  program
    .command('merge')
    .description('combine the output directories of the shards of a run (run --shard i/n) into the reports of the whole run')
    .argument('<dir...>', "the shards' output directories")
    .option('--out <dir>', 'output directory for the merged reports', RUN_DEFAULTS.out)
    .addOption(new Option('--profile <profile>', 'profile (default: the one the shards used)').choices(PROFILES))
    .option('--expect <file>', 'expectations (known-failure) file to apply, as run --expect does')
    .addHelpText('after', MERGE_HELP)
    .action(async (dirs: string[], opts: { out: string; profile?: Profile; expect?: string }) => {
      const { mergeCommand } = await import('./commands/merge.js');
      await mergeCommand(
        { dirs, out: opts.out, ...(opts.profile !== undefined ? { profile: opts.profile } : {}), ...(opts.expect !== undefined ? { expect: opts.expect } : {}) },
        context,
      );
    });

  program
    .command('list-rules')
    .description('list the rules of the catalogue: id, level, source, title')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const { listRulesCommand } = await import('./commands/listRules.js');
      await listRulesCommand({ json: opts.json === true }, context);
    });

  program
    .command('summary')
    .description('re-derive the conformance summary from <dir>/messages.ndjson and print it')
    .argument('<dir>', 'output directory of a run')
    .addOption(new Option('--profile <profile>', 'profile (default: the one the run used)').choices(PROFILES))
    .option('--expect <file>', 'expectations (known-failure) file to apply, as run --expect does')
    .action(async (dir: string, opts: { profile?: Profile; expect?: string }) => {
      const { summaryCommand } = await import('./commands/summary.js');
      await summaryCommand(
        { dir, ...(opts.profile !== undefined ? { profile: opts.profile } : {}), ...(opts.expect !== undefined ? { expect: opts.expect } : {}) },
        context,
      );
    });

  program
    .command('fuzz')
    .description('differential fuzzing: random sequences of contract calls on the implementation and on the reference model side by side; the first difference is shrunk and printed as a scenario in the suite\'s steps')
    .option('--impl <spec>', 'a whole implementation under test')
    .option('--guest <spec>', 'a guest half under test, paired with the reference host')
    .option('--host <spec>', 'a host half under test, paired with the reference guest')
    .option('--seed <n>', 'the seed (default: a new one, printed)', nonNegativeInteger)
    .option('--path <path>', 'with --seed: replay the run fast-check printed (the counterexample\'s path)')
    .option('--runs <n>', 'programs to run', positiveInteger, FUZZ_DEFAULTS.runs)
    .option('--max-commands <n>', 'the most calls in one program', positiveInteger, FUZZ_DEFAULTS.maxCommands)
    .option('--misuse', 'also calls a correct driver never makes (bad handles, the wrong role, double maps ...), compared on the reference\'s documented choices')
    .addOption(new Option('--profile <profile>', 'normative compares what the docs fix; strict also the reference\'s choices (exact NTSTATUS, violation kinds, every message field)').choices(PROFILES).default(RUN_DEFAULTS.profile))
    .option('--out <dir>', 'write fuzz.json (and counterexample.feature when a difference is found) here')
    .option('--timeout <ms>', 'per-call timeout for implementations in another process, in milliseconds', positiveInteger)
    .option('--hello-timeout <ms>', 'budget of the handshake of an implementation in another process, in milliseconds', positiveInteger)
    .addHelpText('after', `
Exit codes: 0 no difference; 1 a difference (its scenario printed); 2 the implementation could not
start or the harness broke; 3 usage; 130/143 interrupted.

Examples:
  vmbus-conformance fuzz --impl module:dist/implementations/faulty/allowsDoubleMap.js --misuse --seed 1
  vmbus-conformance fuzz --guest "cmd:./my-guest" --runs 1000 --out fuzz-out
`)
    .action(async (opts: { impl?: string; guest?: string; host?: string; seed?: number; path?: string; runs: number; maxCommands: number; misuse?: boolean; profile: Profile; out?: string; timeout?: number; helloTimeout?: number }) => {
      const { fuzzCommand } = await import('./commands/fuzz.js');
      await fuzzCommand(
        {
          runs: opts.runs,
          maxCommands: opts.maxCommands,
          misuse: opts.misuse === true,
          profile: opts.profile,
          ...(opts.impl === undefined ? {} : { impl: opts.impl }),
          ...(opts.guest === undefined ? {} : { guest: opts.guest }),
          ...(opts.host === undefined ? {} : { host: opts.host }),
          ...(opts.seed === undefined ? {} : { seed: opts.seed }),
          ...(opts.path === undefined ? {} : { path: opts.path }),
          ...(opts.out === undefined ? {} : { out: opts.out }),
          ...(opts.timeout === undefined ? {} : { timeoutMs: opts.timeout }),
          ...(opts.helloTimeout === undefined ? {} : { helloTimeoutMs: opts.helloTimeout }),
        },
        context,
      );
    });

  program
    .command('validate-protocol')
    .description('check that a cmd: implementation speaks the plug-in protocol: every command once (those of a whole implementation, and of each half its hello names, docs/halves.md), every line against the schemas')
    .requiredOption('--impl <spec>', 'the implementation, "cmd:<command line>"')
    .option('--timeout <ms>', 'per-command timeout in milliseconds', positiveInteger)
    .action(async (opts: { impl: string; timeout?: number }) => {
      const { validateProtocolCommand } = await import('./commands/validateProtocol.js');
      await validateProtocolCommand({ impl: opts.impl, ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}) }, context);
    });

  return program;
}

/** Parses user arguments (without `node` and the script) and runs the command; throws ExitError. */
export async function runCli(argv: readonly string[], context: CommandContext, version?: string): Promise<void> {
  await createProgram(context, version).parseAsync([...argv], { from: 'user' });
}
