/**
 * RFC 5005 archive pages: which stored articles go on which page.
 *
 * The scheme: every stored article is placed in the order byline first saw it
 * (firstSeen, then id). Page 1 holds the first `pageSize` of that order, page
 * 2 the next, and so on; only complete pages are published. Because an
 * article's firstSeen is written once and new articles are always seen later
 * than the ones before, new articles only ever extend the order at its end.
 *
 * Retention deletes articles, which would move every later article to an
 * earlier page; so once a page is complete its boundary (its newest key) is
 * recorded in the store (see {@link fixArchivePages}), and a recorded page
 * keeps exactly the articles up to its boundary: a deleted one leaves the
 * page shorter, and no other page changes.
 *
 * A page counts as complete only once its newest item was first seen more than
 * SETTLE_MS before the build: sources are refreshed concurrently, and one
 * refresh may store an item stamped a little earlier than another refresh's
 * items that were committed first. An hour is far longer than any refresh.
 */
import { CycleLockLostError, UnreadableRecordError } from '../errors.js';
import type { ArchiveKey, ArchiveLayout, Article } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { CycleFence } from './cycle-lock.js';

/** How long after an item was first seen no earlier item can still appear. */
export const SETTLE_MS = 60 * 60 * 1000;

/** A stored article's place in the archive, and its source (the store keeps it there). */
export type ArchiveEntry = ArchiveKey & Pick<Article, 'sourceId'>;

/** The archive layout at one moment. */
export interface ArchivePlan<Entry extends ArchiveKey = ArchiveEntry> {
  /** Complete pages, numbered 1 (oldest) to pageCount. */
  pageCount: number;
  pageSize: number;
  /** Entries of page `page` (1-based), oldest first; empty outside 1..pageCount. */
  entriesOf(page: number): Entry[];
  /** Every complete page's boundary: the recorded ones, then the pages completed since. */
  layout: ArchiveLayout;
}

function compareEntries(a: ArchiveKey, b: ArchiveKey): number {
  const at = Date.parse(a.firstSeen);
  const bt = Date.parse(b.firstSeen);
  if (at !== bt) return at - bt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Places entries on pages (pure): the pages of `recorded` first, as they were
 * cut, then as many new complete pages of `pageSize` as the entries after
 * them fill. `now` decides which items have settled.
 */
export function planArchive<Entry extends ArchiveKey>(
  entries: readonly Entry[],
  pageSize: number,
  now: Date,
  recorded: ArchiveLayout = { pages: [] },
): ArchivePlan<Entry> {
  const ordered = [...entries].sort(compareEntries);
  const pages: Entry[][] = [];
  let next = 0;
  for (const boundary of recorded.pages) {
    const start = next;
    while (next < ordered.length && compareEntries(ordered[next]!, boundary) <= 0) next++;
    pages.push(ordered.slice(start, next));
  }
  const settledBefore = now.getTime() - SETTLE_MS;
  let settled = next;
  while (settled < ordered.length && Date.parse(ordered[settled]!.firstSeen) <= settledBefore) settled++;
  const boundaries = [...recorded.pages];
  for (; settled - next >= pageSize; next += pageSize) {
    const page = ordered.slice(next, next + pageSize);
    pages.push(page);
    const newest = page.at(-1)!;
    boundaries.push({ id: newest.id, firstSeen: newest.firstSeen });
  }
  return {
    pageCount: pages.length,
    pageSize,
    entriesOf: (page) => (Number.isInteger(page) && page >= 1 && page <= pages.length ? pages[page - 1]! : []),
    layout: { pages: boundaries },
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

/** What {@link fixArchivePages} did. */
export interface ArchiveFix {
  /** Pages recorded by this call. */
  added: number;
  /** Why the recorded layout was unreadable and was recorded anew from the current articles; null when it was read. */
  replaced: string | null;
}

/**
 * Records the boundaries of pages completed since the last call, so that
 * deletions can no longer move their articles. The refresh side runs it
 * after each cycle (`byline run`) and before a static build; publishing reads
 * the recorded layout and cuts the same new pages itself when it reads before
 * this has run.
 *
 * A record that is there but unreadable (corrupt) cannot be repaired, and
 * left in place it would be reported every cycle while the pages it fixed
 * went on moving (publishing plans without it): it is replaced by the layout
 * of the current articles, and the caller is told why. A store that fails to
 * answer is an error, and nothing is written.
 *
 * The write is fenced with the cycle lock it is made under, like a commit: a
 * process that paused past the lock's lifetime after reading would put back
 * the layout it read over the one the lock's new holder recorded meanwhile,
 * and the pages recorded in between would move again at the next deletion.
 * The store refuses it then (CycleLockLostError), and the lock is told.
 */
export async function fixArchivePages(
  store: Store,
  index: ArchiveIndex,
  sourceIds: readonly string[],
  pageSize: number,
  now: Date,
  fence?: CycleFence,
): Promise<ArchiveFix> {
  const [entries, read] = await Promise.all([index.entries(store, sourceIds), readLayout(store)]);
  const recorded = read.layout ?? { pages: [] };
  const plan = planArchive(entries, pageSize, now, recorded);
  const added = plan.layout.pages.length - recorded.pages.length;
  if (added > 0 || read.unreadable !== null) {
    try {
      await store.setArchiveLayout(plan.layout, fence ? { fence: fence.owner } : {});
    } catch (error) {
      if (error instanceof CycleLockLostError) fence?.refused(error);
      throw error;
    }
  }
  return { added, replaced: read.unreadable };
}

/**
 * The recorded layout, or why the record cannot be read (null layout): a
 * corrupt record must not stop the subscription feeds, which publishing
 * builds from the same snapshot. A store that does not answer still throws.
 */
export async function readLayout(store: Store): Promise<{ layout: ArchiveLayout | null; unreadable: string | null }> {
  try {
    return { layout: await store.getArchiveLayout(), unreadable: null };
  } catch (error) {
    if (error instanceof UnreadableRecordError) return { layout: null, unreadable: error.message };
    throw error;
  }
}

/** Creates an empty index (one per process). */
export function createArchiveIndex(): ArchiveIndex {
  const firstSeen = new Map<string, string>();
  return {
    async entries(store, sourceIds) {
      const indexes = await Promise.all(sourceIds.map((id) => store.getIndex(id)));
      // id -> source; an id in two indexes (a hand-edited store) is placed once, under the first.
      const live = new Map<string, string>();
      indexes.forEach((index, i) => {
        for (const entry of index) if (!live.has(entry.id)) live.set(entry.id, sourceIds[i]!);
      });
      const missing = [...live].filter(([id]) => !firstSeen.has(id)).map(([id, sourceId]) => ({ sourceId, id }));
      for (let start = 0; start < missing.length; start += READ_CHUNK) {
        const articles = await store.getArticles(missing.slice(start, start + READ_CHUNK));
        for (const [id, article] of articles) firstSeen.set(id, article.firstSeen);
      }
      // Forget deleted articles so the map never outgrows the store.
      for (const id of firstSeen.keys()) if (!live.has(id)) firstSeen.delete(id);
      return [...live].flatMap(([id, sourceId]) => {
        const seen = firstSeen.get(id);
        return seen === undefined ? [] : [{ id, sourceId, firstSeen: seen }];
      });
    },
  };
}
