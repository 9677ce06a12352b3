/**
 * One fresh connection per scenario, a capability gate, and the unchecked-status guard.
 *
 * The implementation comes from the world parameter `implementation`, else `VMBUS_IMPL`, else the
 * reference model. A scenario tagged `@requires:<capability>` (on itself, its Rule or its Feature)
 * is skipped, and reported as not applicable, when the implementation lacks that capability.
 */
import { AssertionError } from 'node:assert';
import { After, Before, Status } from '@cucumber/cucumber';
import { CAPABILITIES, formatStatus, type Capability } from '../../src/contract/index.js';
import { DEFAULT_IMPLEMENTATION, resolveImplementation } from '../../src/adapters/registry.js';
import { takeLastFailure } from '../../src/adapters/stdio/index.js';
import type { VmbusWorld } from './world.js';

const REQUIRES = '@requires:';
const isCapability = (name: string): name is Capability => (CAPABILITIES as readonly string[]).includes(name);

Before(async function (this: VmbusWorld, { pickle }) {
  const spec = this.parameters.implementation ?? process.env['VMBUS_IMPL'] ?? DEFAULT_IMPLEMENTATION;
  const { timeoutMs, validateProtocol, implementationCwd: cwd } = this.parameters;
  const factory = await resolveImplementation(spec, { timeoutMs, validateProtocol, ...(cwd === undefined ? {} : { cwd }) });
  for (const tag of pickle.tags.map((t) => t.name).filter((name) => name.startsWith(REQUIRES))) {
    const capability = tag.slice(REQUIRES.length);
    if (!isCapability(capability)) throw new Error(`unknown capability in tag ${tag}`);
    if (!factory.info.capabilities[capability]) return 'skipped';
  }
  this.attachImplementation(await factory.start());
  return undefined;
});

// After hooks run in reverse order of definition: the guard first, then the close.
After(async function (this: VmbusWorld) {
  await this.closeImplementation();
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
