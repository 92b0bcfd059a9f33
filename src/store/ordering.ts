/**
 * How the store orders articles: the sort key of an article, the order of a
 * source's index, and how one change rewrites that index. Pure functions, so
 * every backend orders identically.
 */
import type { Article } from '../model/index.js';
import type { IndexEntry } from './types.js';

/**
 * The instant an article sorts by: the earlier of `published` and `firstSeen`,
 * as a UTC ISO string. Both are parsed (not compared as text) because sources
 * write offsets such as `+02:00`; the normalized `Z` form then compares as text.
 */
export function sortKeyOf(article: Pick<Article, 'published' | 'firstSeen'>): string {
  const published = Date.parse(article.published);
  const firstSeen = Date.parse(article.firstSeen);
  if (Number.isNaN(published) || Number.isNaN(firstSeen)) {
    throw new RangeError(`unparseable date in article (published ${article.published}, firstSeen ${article.firstSeen})`);
  }
  return new Date(Math.min(published, firstSeen)).toISOString();
}

/** Newest first by sortKey; equal keys by id ascending so the order is total and stable across backends. */
export function compareEntries(a: IndexEntry, b: IndexEntry): number {
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

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
export function mergeNewest(indexes: readonly (readonly IndexEntry[])[], limit: number, offset: number): IndexEntry[] {
  const seen = new Set<string>();
  const all: IndexEntry[] = [];
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
