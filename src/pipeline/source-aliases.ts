/**
 * Which of a source's alias rows are still needed, pure. An alias keeps an
 * item from coming back as new once its article is gone (retired by
 * retention, or never kept because older than what retention keeps), but only
 * the feed still listing the item can bring it back: the aliases of an item
 * neither stored nor listed any more are removed, with its tombstone. An item
 * that left the feed is remembered for a grace period first, so a feed that
 * briefly serves a short document does not bring its older items back, and
 * the number remembered is capped, so that a feed inventing new items on
 * every fetch keeps a bounded number of rows.
 */
import type { SourceAliasEntry } from '../model/index.js';

/** Days an item neither stored nor listed keeps its aliases. */
export const RETIRED_GRACE_DAYS = 7;

const DAY_MS = 86_400_000;

export interface SourceAliasesInput {
  /** The source's record as stored (empty when it has none). */
  recorded: readonly SourceAliasEntry[];
  /** What the document lists (SourcePlan.listed). */
  listed: ReadonlyMap<string, readonly string[]>;
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

/** The record after a document, and the alias rows and tombstones no longer needed. */
export function upkeepSourceAliases(input: SourceAliasesInput): SourceAliasesUpkeep {
  const today = Math.floor(input.now.getTime() / DAY_MS);
  const next = new Map<string, SourceAliasEntry>();
  const retired: Array<{ entry: SourceAliasEntry; listedNow: boolean }> = [];
  const pruned: SourceAliasEntry[] = [];
  const keep = (entry: SourceAliasEntry, listedNow: boolean): void => {
    next.set(entry.id, entry);
    if (entry.listedDay !== undefined) retired.push({ entry, listedNow });
  };
  const place = (id: string, keys: string[], listedNow: boolean, listedDay: number | undefined): void => {
    if (input.stored.has(id)) keep({ id, keys }, listedNow);
    else if (listedDay !== undefined) keep({ id, keys, listedDay }, listedNow);
  };

  for (const entry of input.recorded) {
    const listed = input.listed.get(entry.id);
    if (listed !== undefined) {
      place(entry.id, union(entry.keys, listed), true, today);
      continue;
    }
    // Left the feed while stored: its last listing is not known, and it is gone now, so it goes.
    const lastListed = input.stored.has(entry.id) ? undefined : entry.listedDay;
    const inGrace = lastListed !== undefined && today - lastListed < RETIRED_GRACE_DAYS;
    if (input.stored.has(entry.id) || inGrace) place(entry.id, entry.keys, false, lastListed);
    else pruned.push(entry);
  }
  for (const [id, keys] of input.listed) if (!next.has(id)) place(id, [...keys], true, today);

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
  for (const entry of pruned) for (const key of entry.keys) prunedAliases[key] = entry.id;
  const record = [...next.values()];
  return {
    record: sameRecord(record, input.recorded) ? null : record,
    prunedAliases,
    prunedIds: pruned.filter((entry) => !input.stored.has(entry.id)).map((entry) => entry.id),
  };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const all = [...a];
  for (const key of b) if (!all.includes(key)) all.push(key);
  return all;
}

function sameRecord(a: readonly SourceAliasEntry[], b: readonly SourceAliasEntry[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b);
}
