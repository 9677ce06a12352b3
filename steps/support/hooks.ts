/**
 * One fresh connection per scenario, a capability gate, and the unchecked-status guard.
 *
 * The implementation comes from the world parameter `implementation`, else `VMBUS_IMPL`, else the
 * reference model. A scenario tagged `@requires:<capability>` (on itself, its Rule or its Feature)
 * is skipped, and reported as not applicable, when the implementation lacks that capability.
 */
import { AssertionError } from 'node:assert';
import { After, Before, setDefaultTimeout, Status } from '@cucumber/cucumber';
import { CAPABILITIES, formatStatus, type Capability } from '../../src/contract/index.js';
import { DEFAULT_IMPLEMENTATION, resolveImplementation } from '../../src/adapters/registry.js';
import { takeLastFailure } from '../../src/adapters/stdio/index.js';
import { killAllPluginProcesses } from '../../src/adapters/stdio/PluginProcess.js';
import { STEP_TIMEOUT_ENV } from '../../src/cli/cucumber.js';
import { INTERRUPTED_MEDIA_TYPE, interruptedBy, requestInterrupt } from '../../src/cli/interrupt.js';
import type { VmbusWorld } from './world.js';

const REQUIRES = '@requires:';
const isCapability = (name: string): name is Capability => (CAPABILITIES as readonly string[]).includes(name);

// Cucumber's own step timeout never fires before the per-call timeouts of the implementation: the
// CLI computes it (src/cli/commands/run.ts) and sets it on the library it loaded; a parallel
// worker, which loads its own, reads it here.
const stepTimeout = Number(process.env[STEP_TIMEOUT_ENV]);
if (Number.isInteger(stepTimeout) && stepTimeout > 0) setDefaultTimeout(stepTimeout);

// A parallel worker stops like the CLI does on SIGINT or SIGTERM: it runs no further scenario and
// ends its implementation processes; the CLI writes the reports.
if (process.env['CUCUMBER_WORKER_ID'] !== undefined) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      requestInterrupt(signal);
      killAllPluginProcesses();
    });
  }
}

/** Marks the scenario as cut short by an interruption: the report counts it as not run. */
function markInterrupted(world: VmbusWorld): void {
  world.attach(`interrupted by ${interruptedBy() ?? 'a signal'}: not run`, INTERRUPTED_MEDIA_TYPE);
}

Before(async function (this: VmbusWorld, { pickle }) {
  if (interruptedBy() !== undefined) {
    markInterrupted(this);
    return 'skipped';
  }
  const spec = this.parameters.implementation ?? process.env['VMBUS_IMPL'] ?? DEFAULT_IMPLEMENTATION;
  const { timeoutMs, helloTimeoutMs, validateProtocol, implementationCwd: cwd } = this.parameters;
  const factory = await resolveImplementation(spec, {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(helloTimeoutMs === undefined ? {} : { helloTimeoutMs }),
    ...(validateProtocol === undefined ? {} : { validateProtocol }),
    ...(cwd === undefined ? {} : { cwd }),
  });
  for (const tag of pickle.tags.map((t) => t.name).filter((name) => name.startsWith(REQUIRES))) {
    const capability = tag.slice(REQUIRES.length);
    if (!isCapability(capability)) throw new Error(`unknown capability in tag ${tag}`);
    if (!factory.info.capabilities[capability]) return 'skipped';
  }
  this.attachImplementation(await factory.start());
  return undefined;
});

/**
 * What a scenario ends with, in this order: the last lines of standard error of an implementation
 * process that broke it, the unchecked-status guard, the interruption mark, and the close, which
 * runs whatever came before. One hook rather than four: every hook is a step Cucumber runs, times
 * and writes to each of its formatters in every scenario, and the four only make sense together.
 * What the four separate hooks reported, this one reports: the guard's failure decides the
 * scenario (as the first failing hook did), else the close's.
 */
After(async function (this: VmbusWorld, { result }) {
  const status = result?.status;
  // A scenario that an implementation in another process broke (a crash, a timeout, a bad line, an
  // `errored` or `unsupported` answer) carries that process's last lines of standard error.
  const failure = takeLastFailure();
  if (status === Status.FAILED && failure !== undefined && result?.exception?.type === failure.name) {
    this.attach(failure.stderrTail === '' ? '(nothing on standard error)' : failure.stderrTail, 'text/plain');
  }
  const guard = status === Status.PASSED ? uncheckedFailureError(this) : undefined;
  // A scenario that did not pass while the run was being interrupted was cut short (its
  // implementation process was ended under it): nothing it measured counts.
  if (interruptedBy() !== undefined && ((status !== Status.PASSED && status !== Status.SKIPPED) || guard !== undefined)) markInterrupted(this);
  try {
    await this.closeImplementation();
  } catch (error) {
    // The guard's failure decides, as its hook, which ran before the close's, did.
    if (guard === undefined) throw error;
  }
  if (guard !== undefined) throw guard;
});

/** The unchecked-status guard: a failure status no Then step asserted fails a scenario that passed. */
function uncheckedFailureError(world: VmbusWorld): AssertionError | undefined {
  const unchecked = world.uncheckedFailures();
  if (unchecked.length === 0) return undefined;
  const list = unchecked.map((failure) => `the ${failure.kind} returned ${formatStatus(failure.status)}`).join('; ');
  return new AssertionError({ message: `a failure status was never asserted by a Then step: ${list}` });
}
