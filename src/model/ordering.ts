/**
 * The order of articles everywhere (store index, retention, outputs): by the
 * time an article was published, never later than when byline first saw it,
 * so a back-dated article cannot jump to the top of the combined feed.
 */
import type { Article } from './article.js';

/** `Date.prototype.toISOString()` output for years 0000-9999. */
const CANONICAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The instant an article sorts by: the earlier of `published` and `firstSeen`,
 * as a UTC ISO string. Both are parsed (not compared as text) because sources
 * write offsets such as `+02:00`; the normalized `Z` form then compares as text.
 */
export function sortKeyOf(article: Pick<Article, 'published' | 'firstSeen'>): string {
  // Normalized articles carry toISOString()'s own form, which orders as text: no parsing needed.
  if (CANONICAL_UTC.test(article.published) && CANONICAL_UTC.test(article.firstSeen)) {
    return article.published < article.firstSeen ? article.published : article.firstSeen;
  }
  const published = Date.parse(article.published);
  const firstSeen = Date.parse(article.firstSeen);
  if (Number.isNaN(published) || Number.isNaN(firstSeen)) {
    throw new RangeError(`unparseable date in article (published ${article.published}, firstSeen ${article.firstSeen})`);
  }
  return new Date(Math.min(published, firstSeen)).toISOString();
}

/** Newest first by sortKey; equal keys by id ascending (code-unit order) so the order is total on every backend. */
export function compareBySortKey(a: { id: string; sortKey: string }, b: { id: string; sortKey: string }): number {
  if (a.sortKey !== b.sortKey) return a.sortKey < b.sortKey ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}
