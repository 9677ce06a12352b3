/**
 * The violations an implementation recorded since the last look, as the multiset of their texts:
 * `violations()` returns every violation since the connection started, and a pairing lists its
 * halves' violations and its own apart, not in the order they happened, so what is new is what the
 * texts seen so far do not account for.
 *
 * Shown as text, a violation names its GPADL with the run's names, which change (a create names a
 * handle, a ring-buffer GPADL comes and goes), so an old violation may read differently at a later
 * look, and then counts as new. Rendering every violation at every look keeps that exact but costs
 * a run time quadratic in its violations. Instead, while the list only grew behind what the last
 * look saw and the names did not change since, only the violations after them are rendered, and
 * matched against what the texts seen did not account for at the last look (the surplus): the same
 * multiset difference, in the same order. Otherwise every violation is rendered again.
 *
 * Why the surplus suffices: with S the texts seen so far (a multiset) and R the last look's texts,
 * S contains R (a text R had was in S already or was fresh and added), so the new list's texts
 * R + T less S is T less the surplus S - R, and the surplus after is the surplus less T.
 */
import type { ContractViolation } from '../contract/violations.js';

/** The fields a violation's text is made of (./observe.ts showViolation). */
const sameShown = (a: ContractViolation, b: ContractViolation | undefined): boolean =>
  a === b || (b !== undefined && a.kind === b.kind && a.fn === b.fn && a.gpadl === b.gpadl);

export class FreshViolations {
  /** Every text shown as fresh so far, with how many times. */
  private readonly seen = new Map<string, number>();
  /** The seen texts the last look's list did not account for: what a violation listed after it may match. */
  private surplus = new Map<string, number>();
  private last: readonly ContractViolation[] = [];
  private lastNames = Number.NaN;

  /**
   * The texts of the violations in `all` that the texts seen so far do not account for, in their
   * order; `names` is the version of the names `show` uses (a change renders every violation again).
   */
  fresh(all: readonly ContractViolation[], show: (violation: ContractViolation) => string, names: number): string[] {
    const grew = names === this.lastNames && all.length >= this.last.length && this.last.every((v, i) => sameShown(v, all[i]));
    const from = grew ? this.last.length : 0;
    if (!grew) this.surplus = new Map(this.seen);
    const fresh: string[] = [];
    for (let i = from; i < all.length; i++) {
      const text = show(all[i]!);
      const left = this.surplus.get(text) ?? 0;
      if (left > 0) this.surplus.set(text, left - 1);
      else {
        fresh.push(text);
        this.seen.set(text, (this.seen.get(text) ?? 0) + 1);
      }
    }
    // A copy: an implementation may return the list it keeps, and go on appending to it.
    this.last = all.slice();
    this.lastNames = names;
    return fresh;
  }
}
