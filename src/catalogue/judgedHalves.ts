/**
 * Which half of a VMBus a rule judges (docs/halves.md): `guest`, `host` (a rule may judge both), or
 * `whole`: misuse that crosses halves (a client function on a server endpoint), which only a whole
 * implementation can get wrong, since in a pairing the harness answers it (choice G1).
 *
 * A module of its own, without the Gherkin parser the catalogue needs: the pairing's factory reads
 * it in every process that serves an implementation, which never parses a feature.
 */
export type JudgedHalf = 'guest' | 'host' | 'whole';
export const JUDGED_HALVES: readonly JudgedHalf[] = ['guest', 'host', 'whole'];
