/**
 * RFC 5005 archive pages: which stored articles go on which page.
 *
 * The scheme: every stored article is placed in the order byline first saw it
 * (firstSeen, then id). Page 1 holds the first `pageSize` of that order, page
 * 2 the next, and so on; only complete pages are published. Because an
 * article's firstSeen is written once and new articles are always seen later
 * than the ones before, new articles only ever extend the order at its end, so
 * a complete page keeps exactly its items as time passes (retention removing
 * an expired article is the one thing that changes an old page; see below).
 *
 * A page counts as complete only once its newest item was first seen more than
 * SETTLE_MS before the build: sources are refreshed concurrently, and one
 * refresh may store an item stamped a little earlier than another refresh's
 * items that were committed first. An hour is far longer than any refresh.
 *
 * Known limit: retention deletes articles, which shifts the positions after
 * them. A persistent per-article sequence number from the store would make
 * pages immune to that; until the store keeps one, archives are stable under
 * additions but not under deletions.
 */
import type { Store } from '../store/index.js';

/** How long after an item was first seen no earlier item can still appear. */
export const SETTLE_MS = 60 * 60 * 1000;

/** What placing an article needs: its id and when byline first saw it. */
export interface ArchiveEntry {
  id: string;
  firstSeen: string;
}

/** The archive layout at one moment. */
export interface ArchivePlan {
  /** Complete pages, numbered 1 (oldest) to pageCount. */
  pageCount: number;
  pageSize: number;
  /** Entries of page `page` (1-based), oldest first; empty outside 1..pageCount. */
  entriesOf(page: number): ArchiveEntry[];
}

function compareEntries(a: ArchiveEntry, b: ArchiveEntry): number {
  const at = Date.parse(a.firstSeen);
  const bt = Date.parse(b.firstSeen);
  if (at !== bt) return at - bt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Places entries on pages (pure). `now` decides which items have settled. */
export function planArchive(entries: readonly ArchiveEntry[], pageSize: number, now: Date): ArchivePlan {
  const ordered = [...entries].sort(compareEntries);
  const settledBefore = now.getTime() - SETTLE_MS;
  let settled = 0;
  while (settled < ordered.length && Date.parse(ordered[settled]!.firstSeen) <= settledBefore) settled++;
  const pageCount = Math.floor(settled / pageSize);
  return {
    pageCount,
    pageSize,
    entriesOf: (page) =>
      Number.isInteger(page) && page >= 1 && page <= pageCount ? ordered.slice((page - 1) * pageSize, page * pageSize) : [],
  };
}

/**
 * Every stored article's firstSeen, for planning. firstSeen never changes, so
 * it is remembered per id across builds: after the first build, only articles
 * added since are read from the store.
 */
export interface ArchiveIndex {
  entries(store: Store, sourceIds: readonly string[]): Promise<ArchiveEntry[]>;
}

const READ_CHUNK = 200;

/** Creates an empty index (one per process). */
export function createArchiveIndex(): ArchiveIndex {
  const firstSeen = new Map<string, string>();
  return {
    async entries(store, sourceIds) {
      const indexes = await Promise.all(sourceIds.map((id) => store.getIndex(id)));
      const live = new Set(indexes.flat().map((entry) => entry.id));
      const missing = [...live].filter((id) => !firstSeen.has(id));
      for (let start = 0; start < missing.length; start += READ_CHUNK) {
        const articles = await store.getArticles(missing.slice(start, start + READ_CHUNK));
        for (const [id, article] of articles) firstSeen.set(id, article.firstSeen);
      }
      // Forget deleted articles so the map never outgrows the store.
      for (const id of firstSeen.keys()) if (!live.has(id)) firstSeen.delete(id);
      return [...live].flatMap((id) => {
        const seen = firstSeen.get(id);
        return seen === undefined ? [] : [{ id, firstSeen: seen }];
      });
    },
  };
}
