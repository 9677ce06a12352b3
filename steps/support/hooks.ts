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

// After hooks run in reverse order of definition: the interruption mark first, then the guard,
// then the close.
After(async function (this: VmbusWorld) {
  await this.closeImplementation();
});

// A scenario that did not pass while the run was being interrupted was cut short (its
// implementation process was ended under it): nothing it measured counts.
After(function (this: VmbusWorld, { result }) {
  if (interruptedBy() !== undefined && result?.status !== Status.PASSED && result?.status !== Status.SKIPPED) markInterrupted(this);
});

After(function (this: VmbusWorld, { result }) {
  if (result?.status !== Status.PASSED) return;
  const unchecked = this.uncheckedFailures();
  if (unchecked.length === 0) return;
  const list = unchecked.map((failure) => `the ${failure.kind} returned ${formatStatus(failure.status)}`).join('; ');
  throw new AssertionError({ message: `a failure status was never asserted by a Then step: ${list}` });
});

// A scenario that an implementation in another process broke (a crash, a timeout, a bad line, an
// `errored` or `unsupported` answer) carries that process's last lines of standard error.
After(function (this: VmbusWorld, { result }) {
  const failure = takeLastFailure();
  if (result?.status !== Status.FAILED || failure === undefined || result.exception?.type !== failure.name) return;
  this.attach(failure.stderrTail === '' ? '(nothing on standard error)' : failure.stderrTail, 'text/plain');
});
