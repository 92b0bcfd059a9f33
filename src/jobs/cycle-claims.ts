/**
 * The aliases a cycle is writing, for the other refreshes of the same cycle
 * until the store shows them. Sources are refreshed concurrently, and each
 * looks its candidates' keys up in the store before it plans: two sources
 * listing the same new link both found it unknown when neither commit had
 * landed yet, and both stored it as their own (a cold start, or any link two
 * feeds publish between two cycles). A refresh now plans with the keys that
 * commits of this cycle claimed since its lookup, as if they were stored, so
 * the first source to plan an article keeps it and the other adds no copy.
 *
 * A claim is kept only while some refresh that looked up before its commit
 * landed has yet to plan; after that every lookup finds it in the store, so
 * a cold cycle does not hold every new article's keys until it ends.
 */

/** One commit's claims, settled once the store confirms or refuses the commit. */
export interface Claim {
  /** The commit is in the store: lookups from now on see its aliases there. */
  landed(): void;
  /** The commit failed: its aliases were never written, so nobody may count on them. */
  withdrawn(): void;
}

interface Entry {
  id: string;
  /** The moment (see CycleClaims' clock) its commit landed; null while in flight. */
  landedAt: number | null;
}

/** The claims of one cycle. */
export class CycleClaims {
  private readonly entries = new Map<string, Entry>();
  /**
   * Lookups still to plan, each by the moment it began (its ticket). Moments
   * only grow, so the first one in the set began first.
   */
  private readonly lookups = new Set<number>();
  /** Landed entries in the order they landed, to be dropped from the front. */
  private landed: Array<[string, Entry]> = [];
  private moment = 0;

  /** Call before reading the store's aliases; pass the ticket to {@link finishLookup} once planned (or failed). */
  beginLookup(): number {
    const ticket = this.moment++;
    this.lookups.add(ticket);
    return ticket;
  }

  finishLookup(ticket: number): void {
    this.lookups.delete(ticket);
    this.prune();
  }

  /** `hits` (what the store answered for `keys`) with the keys this cycle claimed that the store did not know yet. */
  overlay(keys: readonly string[], hits: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
    let merged: Map<string, string> | null = null;
    for (const key of keys) {
      if (hits.has(key)) continue;
      const entry = this.entries.get(key);
      if (entry === undefined) continue;
      merged ??= new Map(hits);
      merged.set(key, entry.id);
    }
    return merged ?? hits;
  }

  /** Claims `aliases` (alias key -> article id) for a commit about to be written. */
  claim(aliases: Readonly<Record<string, string>>): Claim {
    const mine: Array<[string, Entry]> = Object.entries(aliases).map(([key, id]) => [key, { id, landedAt: null }]);
    for (const [key, entry] of mine) this.entries.set(key, entry);
    let settled = false;
    const settle = (landed: boolean): void => {
      if (settled) return;
      settled = true;
      const at = this.moment++;
      for (const [key, entry] of mine) {
        // A later claim of the same key replaced this one and settles on its own.
        if (this.entries.get(key) !== entry) continue;
        if (!landed) this.entries.delete(key);
        else {
          entry.landedAt = at;
          this.landed.push([key, entry]);
        }
      }
      this.prune();
    };
    return { landed: () => settle(true), withdrawn: () => settle(false) };
  }

  /** Claims in flight or still needed, for tests. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops the landed claims that every open lookup began after: those lookups read them from the store. */
  private prune(): void {
    const oldest = this.lookups.values().next();
    const before = oldest.done ? Number.POSITIVE_INFINITY : oldest.value;
    let dropped = 0;
    for (const [key, entry] of this.landed) {
      if (entry.landedAt! >= before) break;
      if (this.entries.get(key) === entry) this.entries.delete(key);
      dropped++;
    }
    if (dropped > 0) this.landed = this.landed.slice(dropped);
  }
}
