/**
 * Dedup and merge, pure: given what a fetch produced and what the store
 * already knows, decide exactly what to write. This is where a GUID is kept
 * forever, first-seen dates are written once, and retention is applied.
 */
import { compareBySortKey, dateMarginsOf, sortKeyOf, type Article, type Candidate } from '../model/index.js';

export interface RetentionPolicy {
  maxItemsPerSource: number;
  maxAgeDays: number;
}

export interface PlanInput {
  sourceId: string;
  /** Normalized candidates in feed order. */
  candidates: readonly Candidate[];
  /** Alias key -> article id, for every alias key of every candidate already known. */
  aliasHits: ReadonlyMap<string, string>;
  /**
   * Alias key -> article id, for keys the store knows only as written before
   * the site moved (moved-keys.ts): they name the article, and are written
   * as aliases of it so the next fetch finds them directly.
   */
  movedHits?: ReadonlyMap<string, string>;
  /**
   * Stored articles of this source for the ids the candidates could map to.
   * A known id missing here was retired, or another source holds it.
   */
  existing: ReadonlyMap<string, Article>;
  /** This source's stored articles, as the store indexes them. */
  index: ReadonlyArray<{ id: string; sortKey: string }>;
  now: Date;
  retention: RetentionPolicy;
  /** Ids of this source's own items it has alias keys recorded for (source-aliases.ts): a known one without an article is retired. */
  recorded?: ReadonlySet<string>;
}

export interface SourcePlan {
  upserts: Article[];
  deletes: string[];
  aliases: Record<string, string>;
  added: number;
  updated: number;
  /** Articles of this source in the store once the plan is written. */
  itemsAfter: number;
  /** The sort key of the oldest of them; null when there are none. */
  oldestKept: string | null;
  /**
   * The ids the document lists, each with the candidate's alias keys, which
   * all name it once the plan is written, and whether the item is this
   * source's own (stored, retired or never kept) rather than an article
   * another source holds, or an id this source has no record of.
   */
  listed: Map<string, { keys: string[]; own: boolean }>;
  /**
   * The candidates whose article is not this source's own (another source
   * holds it, or this source has no record of the id), each with that id:
   * the publisher's own item may still take an article over from an alerts
   * feed (pipeline/takeover.ts).
   */
  foreign: Array<{ id: string; candidate: Candidate }>;
}

/**
 * How many of one document's candidates are planned, newest first: a feed
 * that lists 100,000 items would otherwise have an alias written for each
 * while retention keeps a few hundred. Generous: well above what any feed
 * lists, and never below twice what retention keeps of a source.
 */
export const CANDIDATES_PER_DOCUMENT = 1000;

/** The most candidates of one document planned under `retention`. */
export function candidateLimit(retention: RetentionPolicy): number {
  return Math.max(CANDIDATES_PER_DOCUMENT, 2 * retention.maxItemsPerSource);
}

/**
 * The `limit` newest candidates by the date they sort by (feed order among
 * equal dates), in feed order; all of them, as given, when there are no more.
 */
export function newestCandidates(candidates: readonly Candidate[], limit: number): readonly Candidate[] {
  if (candidates.length <= limit) return candidates;
  const ranked = candidates.map((candidate, position) => ({ position, sortKey: Date.parse(sortKeyOf(candidate.article)) }));
  ranked.sort((a, b) => b.sortKey - a.sortKey || a.position - b.position);
  const kept = ranked.slice(0, limit).map((entry) => entry.position);
  kept.sort((a, b) => a - b);
  return kept.map((position) => candidates[position]!);
}

/**
 * Merges a fresh view of an article into the stored one, keeping what must never change.
 *
 * A fresh date read exactly replaces the stored one (the source corrected it, or showed at last
 * the full date of what it first printed as `3小时前`). A fresh date read only roughly (relative
 * text read against this fetch's clock, `dateMargins`) replaces a stored date only when that one
 * was rough too, and further off: `昨天 09:05` (a minute) over `3小时前` (an hour), `11月10日` (a
 * day) over `2周前` (a week). Taking every rough reading would rewrite, and count as updated, an
 * article that did not change, since `3小时前` names another instant on every fetch; with the
 * margin shrinking at each replacement, a date is sharpened a few times at most, and then left
 * alone. A stored date without a margin counts as exact (so did every date stored before margins
 * were kept). Either rough date still fills a date the store lacks (an item first seen undated).
 */
export function mergeArticle(stored: Article, fresh: Article): Article {
  const storedMargins = stored.dateMargins ?? {};
  const freshMargins = fresh.dateMargins ?? {};
  const takePublished = fresh.dateFromSource && (!stored.dateFromSource || closer(freshMargins.published, storedMargins.published));
  const takeUpdated = stored.updated === null || closer(freshMargins.updated, storedMargins.updated);
  const { dateMargins: _fresh, ...fields } = fresh;
  const merged: Article = {
    ...fields,
    id: stored.id,
    guid: stored.guid,
    firstSeen: stored.firstSeen,
    published: takePublished ? capAt(fresh.published, stored.firstSeen) : stored.published,
    dateFromSource: fresh.dateFromSource || stored.dateFromSource,
    updated: takeUpdated ? fresh.updated : stored.updated,
  };
  // Set only when a date is rough, and last, as normalize writes it: dedup compares articles as JSON.
  const margins = dateMarginsOf(
    takePublished ? freshMargins.published : storedMargins.published,
    takeUpdated ? freshMargins.updated : storedMargins.updated,
  );
  if (margins !== null) merged.dateMargins = margins;
  return merged;
}

/** Whether a fresh reading with margin `fresh` replaces a stored one with margin `stored` (undefined: read exactly). */
function closer(fresh: number | undefined, stored: number | undefined): boolean {
  if (fresh === undefined) return true;
  return stored !== undefined && fresh < stored;
}

function capAt(iso: string, ceiling: string): string {
  return Date.parse(iso) > Date.parse(ceiling) ? ceiling : iso;
}

function sameContent(a: Article, b: Article): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The id a candidate's keys name: the first key the store knows, unless a
 * later key names a stored article of this source with the candidate's own
 * link and upstream guid. A link several items share (a live blog, a show's
 * page) is not an identity while they share it, so the guid is; but the link
 * key of the first item seen alone with that link still names that item, and
 * when a later item is left alone with the link, the link would take it for
 * the first one and write its content over it, while its own guid names its
 * own article.
 */
function knownIdOf(article: Article, aliasKeys: readonly string[], input: PlanInput): string | undefined {
  let first: string | undefined;
  for (const key of aliasKeys) {
    const id = input.aliasHits.get(key) ?? input.movedHits?.get(key);
    if (id === undefined) continue;
    if (isTheItem(input.existing.get(id), article, input.sourceId)) return id;
    first ??= id;
  }
  return first;
}

/** Whether `stored` is this source's article with the candidate's link and upstream guid. */
function isTheItem(stored: Article | undefined, article: Article, sourceId: string): boolean {
  if (stored === undefined || stored.sourceId !== sourceId || stored.upstreamGuid === null) return false;
  return stored.upstreamGuid === article.upstreamGuid && stored.url === article.url;
}

/** The earliest sort key (epoch ms) retention keeps at `now`; anything before it has expired. */
export function retentionCutoff(now: Date, retention: RetentionPolicy): number {
  return now.getTime() - retention.maxAgeDays * 86_400_000;
}

/**
 * Which of a source's articles (id -> sort key) retention keeps at `now`: the
 * newest `maxItemsPerSource` not older than `maxAgeDays`, and the sort key of
 * the oldest of them (null when none is kept).
 */
export function retained(all: ReadonlyMap<string, string>, now: Date, retention: RetentionPolicy): { keep: Set<string>; oldestKept: string | null } {
  const oldest = retentionCutoff(now, retention);
  const ranked: Array<{ id: string; sortKey: string }> = [];
  for (const [id, sortKey] of all) ranked.push({ id, sortKey });
  ranked.sort(compareBySortKey);
  const keep = new Set<string>();
  let oldestKept: string | null = null;
  for (const { id, sortKey } of ranked) {
    if (keep.size >= retention.maxItemsPerSource || Date.parse(sortKey) < oldest) break;
    keep.add(id);
    oldestKept = sortKey;
  }
  return { keep, oldestKept };
}

/** Plans one source's write. Deterministic: the same input always gives the same plan. */
export function planSourceUpdate(input: PlanInput): SourcePlan {
  const { sourceId, now, retention } = input;
  const oldest = retentionCutoff(now, retention);
  const aliases: Record<string, string> = {};
  const changed = new Map<string, Article>();
  const taken = new Set<string>();
  const listed = new Map<string, { keys: string[]; own: boolean }>();
  const foreign: Array<{ id: string; candidate: Candidate }> = [];
  let added = 0;

  for (const candidate of input.candidates) {
    const { article, aliasKeys } = candidate;
    const knownId = knownIdOf(article, aliasKeys, input);
    const id = knownId ?? article.id;
    if (taken.has(id)) continue; // the same article twice in one feed: the first occurrence wins
    taken.add(id);
    for (const key of aliasKeys) if (input.aliasHits.get(key) !== id) aliases[key] = id;

    const stored = input.existing.get(id);
    const own = stored ? stored.sourceId === sourceId : knownId === undefined || input.recorded?.has(id) === true;
    listed.set(id, { keys: [...aliasKeys], own });
    if (!own) foreign.push({ id, candidate });
    if (stored) {
      // Another source published this link first: it keeps the credit, and we add no duplicate.
      if (stored.sourceId !== sourceId) continue;
      const merged = mergeArticle(stored, article);
      if (!sameContent(stored, merged)) changed.set(id, merged);
      continue;
    }
    // Known alias but no article here: retired by retention, or another source published this link
    // first and keeps the credit. Either way it must not come back as new.
    if (knownId !== undefined) continue;
    if (Date.parse(sortKeyOf(article)) < oldest) continue;
    changed.set(id, article);
    added++;
  }

  const all = new Map<string, string>(input.index.map((entry) => [entry.id, entry.sortKey]));
  for (const [id, article] of changed) all.set(id, sortKeyOf(article));
  const { keep, oldestKept } = retained(all, now, retention);
  const deletes: string[] = [];
  for (const entry of input.index) if (!keep.has(entry.id)) deletes.push(entry.id);
  const upserts = [...changed.values()].filter((article) => keep.has(article.id));
  const newlyRetired = [...changed.keys()].filter((id) => !keep.has(id) && !input.existing.has(id));
  added -= newlyRetired.length;

  return { upserts, deletes, aliases, added, updated: upserts.length - added, itemsAfter: keep.size, oldestKept, listed, foreign };
}
