/**
 * Names an implementation under test with a connectable string (`kind:id`), after Bowtie's
 * connectables: `inproc:reference` is the reference model.
 */
import type { ImplementationFactory } from '../contract/Implementation.js';
import { ReferenceVmbus, REFERENCE_INFO } from '../model/ReferenceVmbus.js';
import { inProcess } from './inProcess.js';

/** A connectable string that names no implementation: a usage error, reported as such. */
export class UnknownImplementationError extends Error {
  override readonly name = 'UnknownImplementationError';
}

const IN_PROCESS: Readonly<Record<string, ImplementationFactory>> = {
  reference: { info: REFERENCE_INFO, start: async () => inProcess(new ReferenceVmbus()) },
};

export const DEFAULT_IMPLEMENTATION = 'inproc:reference';

export function resolveImplementation(spec: string): ImplementationFactory {
  const [kind, ...rest] = spec.split(':');
  const id = rest.join(':');
  if (kind === 'inproc' && Object.hasOwn(IN_PROCESS, id)) return IN_PROCESS[id]!;
  const known = Object.keys(IN_PROCESS).map((name) => `inproc:${name}`);
  throw new UnknownImplementationError(`unknown implementation "${spec}": expected one of ${known.join(', ')}`);
}
