/**
 * The `pair:` connectable: a guest half and a host half, each named by a connectable of its own,
 * made into one implementation with the harness carrying the wire. The CLI's `--guest` and `--host`
 * build this spec, so the scenarios, workers and reports see one implementation like any other.
 */
import type { ImplementationFactory } from '../contract/Implementation.js';
import { Pairing, pairedInfo } from './Pairing.js';

/** Names a guest half and a host half paired: `pair:{"guest":"<spec>","host":"<spec>"}`. */
export function pairSpec(guest: string, host: string): string {
  return `pair:${JSON.stringify({ guest, host })}`;
}

/** The two specs of a `pair:` id, or a message saying what is wrong with it. */
export function readPairSpec(id: string): { guest: string; host: string } | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(id);
  } catch {
    return 'expected pair:{"guest":"<spec>","host":"<spec>"}';
  }
  const { guest, host } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof guest !== 'string' || typeof host !== 'string') return 'expected pair:{"guest":"<spec>","host":"<spec>"} with two connectable strings';
  return { guest, host };
}

/** Why `factory` cannot serve `half`, or undefined when it can. */
export function cannotServe(factory: ImplementationFactory, half: 'guest' | 'host', spec: string): string | undefined {
  const start = half === 'guest' ? factory.startGuest : factory.startHost;
  if (start !== undefined) return undefined;
  const serves = factory.info.halves?.length ? `only the ${factory.info.halves.join(' and ')} half` : 'no half on its own (it is a whole implementation: use --impl)';
  return `${spec} cannot be the ${half}: it serves ${serves}`;
}

export function pairFactories(guest: ImplementationFactory, host: ImplementationFactory): ImplementationFactory {
  return {
    info: pairedInfo(guest.info, host.info),
    start: async () => new Pairing(await guest.startGuest!(), await host.startHost!()),
  };
}
