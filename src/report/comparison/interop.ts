/**
 * The interop matrix: when the compared runs pair guest halves with host halves (docs/halves.md),
 * every guest against every host, each cell the run of that pairing. Built from the runs' `pair:`
 * specs alone; `markdown.ts` and `html.ts` render it above the rule matrix.
 */
import { readPairSpec } from '../../pairing/pairFactory.js';
import type { ComparedImplementation } from './model.js';

export interface InteropMatrix {
  /** The guest and host specs, in the order first seen. */
  readonly guests: readonly string[];
  readonly hosts: readonly string[];
  /** `cells[g][h]`: the index of that pairing among the compared implementations, or undefined. */
  readonly cells: readonly (readonly (number | undefined)[])[];
}

/** The matrix of the pairings among `implementations`, or undefined when fewer than two are pairings. */
export function interopMatrix(implementations: readonly ComparedImplementation[]): InteropMatrix | undefined {
  const pairs = implementations.flatMap((impl, index) => {
    const specs = impl.spec.startsWith('pair:') ? readPairSpec(impl.spec.slice('pair:'.length)) : undefined;
    return specs === undefined || typeof specs === 'string' ? [] : [{ ...specs, index }];
  });
  if (pairs.length < 2) return undefined;
  const guests = [...new Set(pairs.map((p) => p.guest))];
  const hosts = [...new Set(pairs.map((p) => p.host))];
  const cells = guests.map((guest) => hosts.map((host) => pairs.find((p) => p.guest === guest && p.host === host)?.index));
  return { guests, hosts, cells };
}
