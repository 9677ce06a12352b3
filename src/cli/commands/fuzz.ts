/**
 * `vmbus-conformance fuzz`: the differential fuzzer (src/fuzz) against one implementation, a
 * whole one (`--impl`) or a half paired with the reference's other half (`--guest`, `--host`), in
 * this process or over the plug-in protocol. It prints a progress line, then a summary (runs,
 * operations, operations per second), and for a difference the shrunk counterexample as a
 * scenario, also written to `<out>/counterexample.feature` with `<out>/fuzz.json`.
 *
 * Exit codes: 0 no difference in every run; 1 a difference (a counterexample was printed); 2 the
 * implementation could not be started or the harness broke; 3 usage; 130/143 interrupted (the
 * summary says what ran).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { resolveImplementation, type ResolveOptions } from '../../adapters/registry.js';
import { loadCatalogue } from '../../catalogue/catalogue.js';
import type { Capabilities, ImplementationFactory } from '../../contract/Implementation.js';
import { fuzz, type FuzzOutcome } from '../../fuzz/fuzz.js';
import { printFeature, printScenario } from '../../fuzz/gherkin.js';
import { ruleFor } from '../../fuzz/rules.js';
import { pairSpec } from '../../pairing/pairFactory.js';
import { writeFileAtomic } from '../../report/atomic.js';
import { escapeTerminalOutput } from '../../report/comparison/escape.js';
import type { Profile } from '../../report/types.js';
import type { CommandContext } from '../context.js';
import { EXIT, ExitError } from '../exit.js';
import { interruptedBy, INTERRUPT_EXIT_CODES } from '../interrupt.js';
import { writeLine } from '../io.js';

export interface FuzzCommandOptions {
  readonly impl?: string;
  readonly guest?: string;
  readonly host?: string;
  readonly seed?: number;
  readonly runs: number;
  readonly maxCommands: number;
  readonly misuse: boolean;
  readonly profile: Profile;
  readonly out?: string;
  readonly path?: string;
  readonly timeoutMs?: number;
  readonly helloTimeoutMs?: number;
}

const REFERENCE = 'inproc:reference';

/** What the implementation is compared with, and the spec that names it. */
function sides(options: FuzzCommandOptions): { spec: string; reference: string } {
  const named = [options.impl, options.guest, options.host].filter((s) => s !== undefined);
  if (named.length !== 1) throw new ExitError(EXIT.USAGE, 'fuzz takes exactly one of --impl, --guest and --host', false);
  if (options.impl !== undefined) return { spec: options.impl, reference: REFERENCE };
  // A half is paired with the reference's other half; so is the reference it is compared with.
  const reference = pairSpec(REFERENCE, REFERENCE);
  return options.guest !== undefined ? { spec: pairSpec(options.guest, REFERENCE), reference } : { spec: pairSpec(REFERENCE, options.host!), reference };
}

/**
 * Whether a whole implementation runs each request to its end before the next, in the order asked,
 * so the fuzzer may ask a step's looks with its call (src/fuzz/side.ts; over stdio they then share
 * the call's write): a served program does (the protocol answers in order), and so does the
 * reference in process, which answers at once. A module's implementation may interleave, and a
 * pairing does (the harness carries the wire between the halves), so they are asked after each answer.
 */
const runsInOrder = (spec: string): boolean => spec.startsWith('cmd:') || spec === REFERENCE;

const both = (a: Capabilities, b: Capabilities, c: keyof Capabilities): boolean => a[c] === true && b[c] === true;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

export async function fuzzCommand(options: FuzzCommandOptions, context: CommandContext): Promise<void> {
  const { stdout, stderr } = context.io;
  const { spec, reference: referenceSpec } = sides(options);
  const resolveOptions: ResolveOptions = {
    cwd: context.io.cwd,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.helloTimeoutMs === undefined ? {} : { helloTimeoutMs: options.helloTimeoutMs }),
  };
  let factory: ImplementationFactory;
  let reference: ImplementationFactory;
  try {
    [factory, reference] = await Promise.all([resolveImplementation(spec, resolveOptions), resolveImplementation(referenceSpec, resolveOptions)]);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const usage = error instanceof Error && error.name === 'UnknownImplementationError';
    writeLine(stderr, `fuzz: ${escapeTerminalOutput(message)}`);
    throw new ExitError(usage ? EXIT.USAGE : EXIT.HARNESS_ERROR);
  }
  const ours = reference.info.capabilities;
  const theirs = factory.info.capabilities;
  const seed = options.seed ?? (Date.now() ^ (process.pid << 16)) >>> 0;
  const strictness = options.profile === 'strict' ? 'strict' : 'normative';
  const name = escapeTerminalOutput(factory.info.name);
  writeLine(stdout, `fuzz: ${name} against the reference model, profile ${options.profile}, seed ${seed}${options.misuse ? ', with misuse' : ''}: ${options.runs} runs of up to ${options.maxCommands} calls`);

  const progress = context.io.isTTY && !context.io.ci;
  let outcome: FuzzOutcome;
  try {
    outcome = await fuzz({
      seed,
      runs: options.runs,
      maxCommands: options.maxCommands,
      misuse: options.misuse,
      strictness,
      hostControl: both(ours, theirs, 'hostControl'),
      migration: both(ours, theirs, 'migration'),
      mdl: both(ours, theirs, 'mdl'),
      lifecycle: both(ours, theirs, 'lifecycle'),
      wireHost: both(ours, theirs, 'wireHost'),
      capabilities: { trace: both(ours, theirs, 'trace'), violations: both(ours, theirs, 'violations') },
      contestants: {
        reference: () => reference.start(),
        implementation: () => factory.start(),
        ...(options.impl === undefined ? {} : { inOrder: { reference: true, implementation: runsInOrder(spec) } }),
      },
      ...(options.path === undefined ? {} : { path: options.path }),
      stopped: () => interruptedBy() !== undefined,
      ...(progress
        ? { onProgress: (p) => stdout.write(`\r${p.shrinking ? 'shrinking' : 'run'} ${p.runs}/${options.runs}, ${thousands(p.operations)} operations, ${thousands((p.operations * 1000) / Math.max(1, p.elapsedMs))}/s   `) }
        : {}),
    });
  } catch (error) {
    if (progress) stdout.write('\n');
    writeLine(stderr, `fuzz: the run broke: ${escapeTerminalOutput(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`);
    throw new ExitError(EXIT.HARNESS_ERROR);
  }
  if (progress) stdout.write('\n');

  const rate = (outcome.operations * 1000) / Math.max(1, outcome.elapsedMs);
  const figures = `${outcome.runs} runs, ${thousands(outcome.operations)} operations in ${(outcome.elapsedMs / 1000).toFixed(1)} s (${thousands(rate)} operations per second)`;
  const interrupted = interruptedBy();
  const found = outcome.counterexample;
  const summary = {
    implementation: factory.info.name,
    seed,
    profile: options.profile,
    misuse: options.misuse,
    runs: outcome.runs,
    operations: outcome.operations,
    elapsedMs: Math.round(outcome.elapsedMs),
    operationsPerSecond: Math.round(rate),
    interrupted: interrupted ?? null,
    counterexample: null as null | Record<string, unknown>,
  };
  if (found !== undefined) {
    const difference = found.record.difference!;
    const call = difference.step >= 0 ? found.record.steps[difference.step]!.call : undefined;
    const ruleId = ruleFor(call, difference, found.record.steps.slice(0, Math.max(0, difference.step)));
    const catalogue = await loadCatalogue(path.join(context.root, 'features'), { root: context.root });
    const title = catalogue.rules.find((r) => r.id === ruleId)?.title;
    const rule = ruleId === undefined ? undefined : { id: ruleId, ...(title === undefined ? {} : { title }) };
    const flag = options.impl !== undefined ? `--impl '${options.impl}'` : options.guest !== undefined ? `--guest '${options.guest}'` : `--host '${options.host}'`;
    const replay = `vmbus-conformance fuzz ${flag} --profile ${options.profile}${options.misuse ? ' --misuse' : ''} --max-commands ${options.maxCommands} --seed ${found.seed} --path ${found.path}`;
    const scenario = printScenario(found, { replay, strictness, implementation: factory.info.name, ...(rule === undefined ? {} : { rule }) });
    writeLine(stdout, `fuzz: a difference at run ${found.foundAtRun}, shrunk ${found.shrinks} times to ${difference.step + 1} calls; ${rule === undefined ? 'no rule states it (a new rule is proposed)' : `it breaks ${rule.id}`}:`);
    writeLine(stdout);
    stdout.write(escapeTerminalOutput(scenario));
    summary.counterexample = { rule: rule?.id ?? null, foundAtRun: found.foundAtRun, shrinks: found.shrinks, calls: difference.step + 1, path: found.path, difference, scenario };
    if (options.out !== undefined) {
      await mkdir(options.out, { recursive: true });
      await writeFileAtomic(path.join(options.out, 'counterexample.feature'), printFeature(scenario));
    }
  }
  if (options.out !== undefined) {
    await mkdir(options.out, { recursive: true });
    await writeFileAtomic(path.join(options.out, 'fuzz.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
  writeLine(stdout, `fuzz: ${found === undefined ? 'no difference' : 'one difference'}${interrupted === undefined ? '' : ` (interrupted by ${interrupted})`}: ${figures}`);
  if (interrupted !== undefined) throw new ExitError(INTERRUPT_EXIT_CODES[interrupted]);
  if (found !== undefined) throw new ExitError(EXIT.NON_CONFORMANT);
}
