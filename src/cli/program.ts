/**
 * The command line, built with commander: three commands over typed option objects. Commander's
 * own exits (usage errors, help, version) become {@link ExitError}s through `exitOverride`, so a
 * usage error is exit code 3 and nothing here calls `process.exit`.
 */
import { Command, CommanderError, Option } from 'commander';
import { PROFILES, type Profile } from '../report/types.js';
import { listRulesCommand } from './commands/listRules.js';
import { RUN_DEFAULTS, runCommand } from './commands/run.js';
import { summaryCommand } from './commands/summary.js';
import type { CommandContext } from './context.js';
import { EXIT, ExitError } from './exit.js';

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
    .description('run the features against an implementation and write the reports')
    .option('--impl <spec>', 'implementation under test', RUN_DEFAULTS.impl)
    .addOption(new Option('--profile <profile>', 'rules that count toward conformance').choices(PROFILES).default(RUN_DEFAULTS.profile))
    .option('--out <dir>', 'output directory', RUN_DEFAULTS.out)
    .option('--tags <expr>', 'Cucumber tag expression selecting scenarios')
    .action(async (opts: { impl: string; profile: Profile; out: string; tags?: string }) => {
      await runCommand({ impl: opts.impl, profile: opts.profile, out: opts.out, ...(opts.tags !== undefined ? { tags: opts.tags } : {}) }, context);
    });

  program
    .command('list-rules')
    .description('list the rules of the catalogue: id, level, source, title')
    .option('--json', 'print a JSON array')
    .action(async (opts: { json?: boolean }) => {
      await listRulesCommand({ json: opts.json === true }, context);
    });

  program
    .command('summary')
    .description('re-derive the conformance summary from <dir>/messages.ndjson and print it')
    .argument('<dir>', 'output directory of a run')
    .addOption(new Option('--profile <profile>', 'profile (default: the one the run used)').choices(PROFILES))
    .action(async (dir: string, opts: { profile?: Profile }) => {
      await summaryCommand({ dir, ...(opts.profile !== undefined ? { profile: opts.profile } : {}) }, context);
    });

  return program;
}

/** Parses user arguments (without `node` and the script) and runs the command; throws ExitError. */
export async function runCli(argv: readonly string[], context: CommandContext, version?: string): Promise<void> {
  await createProgram(context, version).parseAsync([...argv], { from: 'user' });
}
