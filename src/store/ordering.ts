/**
 * How the store orders articles: the sort key of an article, the order of a
 * source's index, and how one change rewrites that index. Pure functions, so
 * every backend orders identically.
 */
import { compareBySortKey, sortKeyOf, type Article } from '../model/index.js';

export { sortKeyOf };
import type { IndexEntry } from './types.js';

/** Newest first by sortKey; equal keys by id ascending so the order is total and stable across backends. */
export const compareEntries: (a: IndexEntry, b: IndexEntry) => number = compareBySortKey;

/**
 * The index after a change: deleted ids removed, upserted ids (re)placed with
 * their current sort key, sorted newest first.
 */
export function applyToIndex(current: readonly IndexEntry[], upserts: readonly Article[], deletes: readonly string[]): IndexEntry[] {
  const byId = new Map<string, string>();
  for (const entry of current) byId.set(entry.id, entry.sortKey);
  for (const id of deletes) byId.delete(id);
  for (const article of upserts) byId.set(article.id, sortKeyOf(article));
  return [...byId].map(([id, sortKey]) => ({ id, sortKey })).sort(compareEntries);
}

/** The window `[offset, offset + limit)` of several sorted indexes merged into one order. */
export function mergeNewest<Entry extends IndexEntry>(indexes: readonly (readonly Entry[])[], limit: number, offset: number): Entry[] {
  const seen = new Set<string>();
  const all: Entry[] = [];
  for (const index of indexes) {
    for (const entry of index) {
      // An id lives in one source's index only; the guard keeps a hand-edited store from listing it twice.
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      all.push(entry);
    }
  }
  return all.sort(compareEntries).slice(offset, offset + limit);
}
