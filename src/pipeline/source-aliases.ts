/**
 * Which of a source's alias rows are still needed, pure. An alias keeps an
 * item from coming back as new once its article is gone (retired by
 * retention, or never kept because older than what retention keeps), but only
 * a feed still listing the item can bring it back: the aliases of an item
 * neither stored nor listed any more are removed, with its tombstone. An item
 * that left the feed is remembered for a grace period first, so a feed that
 * briefly serves a short document does not bring its older items back, and
 * the number remembered is capped, so that a feed inventing new items on
 * every fetch keeps a bounded number of rows.
 *
 * A source also remembers the items it lists that another source holds: when
 * that source prunes their aliases, the record still says the item is known,
 * so it does not come back as new here. It never removes those rows itself.
 */
import type { SourceAliasEntry } from '../model/index.js';

/** Days an item neither stored nor listed keeps its aliases. */
export const RETIRED_GRACE_DAYS = 7;

const DAY_MS = 86_400_000;

export interface SourceAliasesInput {
  /** The source's record as stored (empty when it has none). */
  recorded: readonly SourceAliasEntry[];
  /** What the document lists (SourcePlan.listed). */
  listed: ReadonlyMap<string, { keys: readonly string[]; own: boolean }>;
  /** Ids of the source's stored articles once the plan is written. */
  stored: ReadonlySet<string>;
  now: Date;
  /** The most items without a stored article remembered at once. */
  retiredLimit: number;
}

export interface SourceAliasesUpkeep {
  /** The record to store; null when it has not changed. */
  record: SourceAliasEntry[] | null;
  /** Alias key -> the id it must still name for its row to be removed. */
  prunedAliases: Record<string, string>;
  /** Ids whose tombstones go with their aliases. */
  prunedIds: string[];
}

/**
 * What the store lacks of `keys` that the record remembers: a key another
 * source pruned still names, for this source, the item it listed.
 */
export function rememberedHits(recorded: readonly SourceAliasEntry[], keys: readonly string[], hits: ReadonlyMap<string, string>): Map<string, string> {
  const missing = new Set(keys.filter((key) => !hits.has(key)));
  const all = new Map(hits);
  if (missing.size === 0) return all;
  for (const entry of recorded) for (const key of entry.keys) if (missing.has(key)) all.set(key, entry.id);
  return all;
}

/** The record after a document, and the alias rows and tombstones no longer needed. */
export function upkeepSourceAliases(input: SourceAliasesInput): SourceAliasesUpkeep {
  const today = Math.floor(input.now.getTime() / DAY_MS);
  const next = new Map<string, SourceAliasEntry>();
  const retired: Array<{ entry: SourceAliasEntry; listedNow: boolean }> = [];
  const pruned: SourceAliasEntry[] = [];
  const place = (entry: SourceAliasEntry, listedNow: boolean): void => {
    next.set(entry.id, entry);
    if (entry.listedDay !== undefined) retired.push({ entry, listedNow });
  };
  const entryOf = (id: string, keys: string[], own: boolean, listedDay: number | undefined): SourceAliasEntry => {
    if (input.stored.has(id)) return { id, keys };
    return own ? { id, keys, listedDay: listedDay ?? today } : { id, keys, listedDay: listedDay ?? today, foreign: true };
  };

  for (const entry of input.recorded) {
    const listed = input.listed.get(entry.id);
    if (listed !== undefined) {
      place(entryOf(entry.id, union(entry.keys, listed.keys), listed.own || entry.foreign !== true, today), true);
      continue;
    }
    const stored = input.stored.has(entry.id);
    if (stored) place({ id: entry.id, keys: entry.keys }, false);
    // Retired now while the feed does not list it: a feed that rotates its items may list it again,
    // so its grace period starts today, as if it had just been listed.
    else if (entry.listedDay === undefined) place({ ...entry, listedDay: today }, false);
    else if (today - entry.listedDay < RETIRED_GRACE_DAYS) place(entry, false);
    else pruned.push(entry);
  }
  for (const [id, { keys, own }] of input.listed) if (!next.has(id)) place(entryOf(id, [...keys], own, today), true);

  // Over the cap: the items listed longest ago go first, those this document lists last.
  if (retired.length > input.retiredLimit) {
    const order = retired.map((item, position) => ({ ...item, position }));
    order.sort((a, b) => Number(b.listedNow) - Number(a.listedNow) || b.entry.listedDay! - a.entry.listedDay! || a.position - b.position);
    for (const { entry } of order.slice(input.retiredLimit)) {
      next.delete(entry.id);
      pruned.push(entry);
    }
  }

  const prunedAliases: Record<string, string> = {};
  const prunedIds: string[] = [];
  for (const entry of pruned) {
    if (entry.foreign === true || input.stored.has(entry.id)) continue;
    for (const key of entry.keys) prunedAliases[key] = entry.id;
    prunedIds.push(entry.id);
  }
  const record = [...next.values()];
  return { record: sameRecord(record, input.recorded) ? null : record, prunedAliases, prunedIds };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const all = [...a];
  for (const key of b) if (!all.includes(key)) all.push(key);
  return all;
}

function sameRecord(a: readonly SourceAliasEntry[], b: readonly SourceAliasEntry[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
