/**
 * FreshViolations (src/fuzz/freshViolations.ts) shows, look after look, exactly what rendering every
 * violation at every look and taking away the texts seen so far shows: on random histories where the
 * list grows at its end or, like a pairing's, in its middle, and the names a text is made of change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContractViolation } from '../../src/contract/violations.js';
import { FreshViolations } from '../../src/fuzz/freshViolations.js';

/** What the fuzzer did before: every violation rendered at every look, less the multiset of texts seen. */
class EveryLook {
  private readonly seen = new Map<string, number>();
  fresh(all: readonly ContractViolation[], show: (v: ContractViolation) => string): string[] {
    const left = new Map(this.seen);
    const fresh: string[] = [];
    for (const v of all) {
      const text = show(v);
      const n = left.get(text) ?? 0;
      if (n > 0) left.set(text, n - 1);
      else {
        fresh.push(text);
        this.seen.set(text, (this.seen.get(text) ?? 0) + 1);
      }
    }
    return fresh;
  }
}

const violationArb: fc.Arbitrary<ContractViolation> = fc.record({
  kind: fc.constantFrom('InvalidEndpointHandle', 'InvalidGpadlHandle', 'WrongRole'),
  fn: fc.constantFrom('VmbChannelDeleteGpadl', 'VmbChannelUnmapGpadl'),
  gpadl: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  message: fc.constant('m'),
}) as fc.Arbitrary<ContractViolation>;

/** One look: violations added (at the end, or at a position as a pairing lists its halves apart), and whether a name changed before it. */
const lookArb = fc.record({ added: fc.array(fc.tuple(violationArb, fc.nat()), { maxLength: 3 }), atEnd: fc.boolean(), rename: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }) });

describe('the violations since the last look', () => {
  it('are those a render of every violation at every look finds', () => {
    fc.assert(
      fc.property(fc.array(lookArb, { maxLength: 25 }), (looks) => {
        const names = new Map<number, string>();
        let version = 0;
        const show = (v: ContractViolation) => `${v.kind} in ${v.fn}${v.gpadl === undefined ? '' : ` for ${names.get(v.gpadl) ?? `unnamed ${v.gpadl}`}`}`;
        const incremental = new FreshViolations();
        const everyLook = new EveryLook();
        const list: ContractViolation[] = [];
        for (const look of looks) {
          if (look.rename !== undefined) {
            names.set(look.rename, `G${version}`);
            version++;
          }
          for (const [v, at] of look.added) list.splice(look.atEnd ? list.length : at % (list.length + 1), 0, { ...v });
          // A fresh copy each look, as over a transport (objects equal, not the same).
          const shown = list.map((v) => ({ ...v }));
          expect(incremental.fresh(shown, show, version)).toEqual(everyLook.fresh(shown, show));
        }
      }),
      { numRuns: 500, seed: 20261206 },
    );
  });
});
