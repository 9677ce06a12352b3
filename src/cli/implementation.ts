import { resolveImplementation, UnknownImplementationError, type ResolveOptions } from '../adapters/registry.js';
import type { ImplementationSummary } from '../report/types.js';
import { EXIT, ExitError } from './exit.js';

/**
 * The report header for an implementation spec, from the adapter registry. A spec that names no
 * implementation is a usage error (ExitError 3); anything else the registry throws propagates.
 */
export async function describeImplementation(spec: string, options: ResolveOptions = {}): Promise<ImplementationSummary> {
  try {
    const { name, version, language, whole, halves } = (await resolveImplementation(spec, options)).info;
    if (whole === false) throw new UnknownImplementationError(`${spec} serves only the ${halves?.join(' and ')} half on its own: run it with --guest or --host (docs/halves.md)`);
    return { name, version, language };
  } catch (error) {
    if (error instanceof UnknownImplementationError) throw new ExitError(EXIT.USAGE, error.message, false);
    throw error;
  }
}
