/**
 * The `pair:` connectable: a guest half and a host half, each named by a connectable of its own,
 * made into one implementation with the harness carrying the wire. The CLI's `--guest` and `--host`
 * build this spec, so the scenarios, workers and reports see one implementation like any other.
 */
import { JUDGED_HALVES, type JudgedHalf } from '../catalogue/judgedHalves.js';
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
    start: async () => {
      const guestHalf = await guest.startGuest!();
      // A host that cannot start must not leave the guest half open for the next scenario.
      const hostHalf = await host.startHost!().catch(async (error: unknown) => {
        await guestHalf.close();
        throw error;
      });
      return new Pairing(guestHalf, hostHalf);
    },
  };
}

/**
 * The halves a run judges: a whole implementation is judged on every rule; a pairing on the rules of
 * the halves the reference model does not play (both when it plays both or neither). The rules of
 * misuse across halves (`@half:whole`) judge only whole implementations: in a pairing the harness
 * answers that misuse itself.
 */
export function judgedHalves(spec: string, reference = 'inproc:reference'): readonly JudgedHalf[] {
  if (!spec.startsWith('pair:')) return JUDGED_HALVES;
  const specs = readPairSpec(spec.slice('pair:'.length));
  if (typeof specs === 'string') return JUDGED_HALVES;
  const underTest = (['guest', 'host'] as const).filter((half) => specs[half] !== reference);
  return underTest.length === 0 ? ['guest', 'host'] : underTest;
}

/** The Cucumber tag expression that selects the rules of the judged halves. */
export function judgedTagExpression(judged: readonly JudgedHalf[]): string | undefined {
  if (JUDGED_HALVES.every((half) => judged.includes(half))) return undefined;
  return judged.map((half) => `@half:${half}`).join(' or ');
}
