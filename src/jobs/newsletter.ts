/**
 * The newsletter profile's selection: the newest items by when byline first
 * saw them, leaving out back-fill noise (an item first seen more than a day
 * after its publication: a source adding its archive, a new source's old
 * posts), which would otherwise land in subscribers' inboxes as news.
 */
import type { Article } from '../model/index.js';
import type { Store } from '../store/index.js';

/** The longest gap between publication and first sight an item may have to be mailed. */
export const BACKFILL_LIMIT_MS = 24 * 60 * 60 * 1000;

/** Whether an article is fresh enough for the newsletter. */
export function isNewsletterFresh(article: Pick<Article, 'published' | 'firstSeen'>): boolean {
  return Date.parse(article.firstSeen) - Date.parse(article.published) <= BACKFILL_LIMIT_MS;
}

/**
 * Newest first by firstSeen. The articles one fetch brought share a firstSeen,
 * so among them the newest published comes first, as the source listed them;
 * then by id so the order is total.
 */
export function compareByFirstSeen(a: Article, b: Article): number {
  const seen = Date.parse(b.firstSeen) - Date.parse(a.firstSeen);
  if (seen !== 0) return seen;
  const published = Date.parse(b.published) - Date.parse(a.published);
  if (published !== 0) return published;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Reads the newest `limit` fresh articles by firstSeen. The store orders by
 * sortKey = min(published, firstSeen); a fresh article's sortKey is at most a
 * day before its firstSeen, so once the store's order is more than a day
 * below the oldest selected firstSeen, nothing further can qualify.
 */
export async function selectNewsletter(store: Store, sourceIds: string[], limit: number): Promise<Article[]> {
  const chunk = Math.max(50, limit * 2);
  const fresh: Article[] = [];
  for (let offset = 0; ; offset += chunk) {
    const page = await store.listNewest({ sourceIds, limit: chunk, offset });
    fresh.push(...page.filter(isNewsletterFresh));
    fresh.sort(compareByFirstSeen);
    const last = page.at(-1);
    if (page.length < chunk || !last) break;
    // Until `limit` fresh items are found, any later item may still qualify.
    const floor = fresh.length >= limit ? Date.parse(fresh[limit - 1]!.firstSeen) : Number.NEGATIVE_INFINITY;
    const lastSortKey = Math.min(Date.parse(last.published), Date.parse(last.firstSeen));
    if (lastSortKey + BACKFILL_LIMIT_MS < floor) break;
  }
  return fresh.slice(0, limit);
}
