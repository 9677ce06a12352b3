import { resolveImplementation, UnknownImplementationError, type ResolveOptions } from '../adapters/registry.js';
import { readPairSpec } from '../pairing/pairFactory.js';
import type { ImplementationSummary } from '../report/types.js';
import { EXIT, ExitError } from './exit.js';

/**
 * The report header for an implementation spec, from the adapter registry. A spec that names no
 * implementation is a usage error (ExitError 3); anything else the registry throws propagates.
 *
 * The registry caches what it resolved, so the scenarios of a run in this process, which resolve
 * the same spec with the same options, use the implementation described here: a `cmd:` program
 * is started once.
 */
export async function describeImplementation(spec: string, options: ResolveOptions = {}): Promise<ImplementationSummary> {
  try {
    const { name, version, language, whole, halves, capabilities } = (await resolveImplementation(spec, options)).info;
    if (whole === false) throw new UnknownImplementationError(`${spec} serves only the ${halves?.join(' and ')} half on its own: run it with --guest or --host (docs/halves.md)`);
    // The capabilities it claims: the report tells a missing capability from a skipped scenario.
    return { name, version, language, capabilities: { ...capabilities } };
  } catch (error) {
    if (error instanceof UnknownImplementationError) throw new ExitError(EXIT.USAGE, error.message, false);
    throw error;
  }
}

/**
 * Ends the program(s) that describing `spec` started, when the scenarios will not use them: a run
 * with Cucumber's parallel workers, each of which starts its own. A later resolution starts a new
 * one. Nothing to do for an in-process implementation.
 */
export async function releaseImplementation(spec: string, options: ResolveOptions = {}): Promise<void> {
  const specs = spec.startsWith('pair:') ? readPairSpec(spec.slice('pair:'.length)) : undefined;
  const parts = specs === undefined ? [spec] : typeof specs === 'string' ? [] : [specs.guest, specs.host];
  for (const part of parts) {
    try {
      const factory = (await resolveImplementation(part, options)) as { stop?: () => Promise<void> };
      await factory.stop?.();
    } catch {
      // nothing was started
    }
  }
}
