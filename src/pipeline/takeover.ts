/**
 * The publisher's own item taking an article over from an alerts feed, pure.
 *
 * An alerts feed (Google Alerts, Bing News) links each item through the
 * search engine's click redirector; normalize takes the publisher's page out
 * of it, so the alert's item and the publisher's own feed item for that page
 * are one article, and whichever source stored it first held it. An alert
 * stored first left the combined feed with the search engine's snippet,
 * credited to the alert. Once the publisher's own feed lists the page, its
 * item takes the article over: content, summary, authors and credit, and its
 * place in the store (articles are kept under their source), while the
 * article keeps its id, GUID and firstSeen. Only an article the holder knew
 * through a redirector link is taken, and only by a source whose own site
 * the page is on, so it moves once and never back.
 */
import { sortKeyOf, type Article, type Candidate, type SourceAliasEntry, type SourceState } from '../model/index.js';
import { mergeArticle, retained, type RetentionPolicy } from './plan.js';

const DAY_MS = 86_400_000;

/** The host without a leading `www.`, lower-case; null for what is not an http(s) URL. */
function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed.hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

/** The same host, or one a subdomain of the other (`feeds.pub.example` and `pub.example`), never a bare top-level name. */
function sameSite(a: string, b: string): boolean {
  if (a === b) return true;
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return shorter.includes('.') && longer.endsWith(`.${shorter}`);
}

/**
 * Whether `article` is its source's own page: the source names no upstream
 * publisher for it (`via`), and the page is on the source's site or on the
 * host its feed is served from.
 */
export function publishesOwnPage(article: Article): boolean {
  if (article.credit.via.length > 0) return false;
  const page = hostOf(article.url);
  if (page === null) return false;
  return [article.credit.sourceSite, article.credit.feedUrl].some((own) => {
    const host = hostOf(own);
    return host !== null && sameSite(page, host);
  });
}

/** One source's records a takeover reads. */
export interface TakeoverSide {
  state: SourceState;
  index: ReadonlyArray<{ id: string; sortKey: string }>;
  record: readonly SourceAliasEntry[];
}

export interface TakeoverInput {
  /** The article as its holder stores it. */
  held: Article;
  holder: TakeoverSide;
  /** The publisher's source, and its item for the article. */
  target: TakeoverSide;
  candidate: Candidate;
  now: Date;
  retention: RetentionPolicy;
  /** Whether an alias key is a search engine's click-redirector link (normalize/redirectors.ts). */
  isRedirectorKey: (key: string) => boolean;
}

/** What a takeover writes, per source; the states are whole, ready to store. */
export interface TakeoverPlan {
  /** The article as the target stores it. */
  article: Article;
  target: {
    state: SourceState;
    /** Articles of the target that retention drops to make room (tombstones, as a plan's deletes). */
    deletes: string[];
    aliases: Record<string, string>;
    sourceAliases: SourceAliasEntry[];
  };
  holder: {
    state: SourceState;
    sourceAliases: SourceAliasEntry[];
  };
}

/**
 * The takeover of `held` by the target's item, or null when it does not
 * apply: the holder did not know the article through a redirector link (its
 * alias record says which links it listed it under), the holder's item is
 * its own page, the target's item is not the target's own page (or came
 * through a redirector itself), or the target's retention would not keep the
 * article (it stays where it is rather than be dropped).
 */
export function planTakeover(input: TakeoverInput): TakeoverPlan | null {
  const { held, holder, target, candidate, now } = input;
  const id = held.id;
  const targetId = target.state.sourceId;
  if (held.sourceId === targetId || held.sourceId !== holder.state.sourceId) return null;
  const heldEntry = holder.record.find((entry) => entry.id === id && entry.foreign !== true);
  if (heldEntry === undefined || !heldEntry.keys.some(input.isRedirectorKey) || publishesOwnPage(held)) return null;
  if (!publishesOwnPage(candidate.article) || candidate.aliasKeys.some(input.isRedirectorKey)) return null;

  const article = mergeArticle(held, candidate.article);
  const all = new Map<string, string>(target.index.map((entry) => [entry.id, entry.sortKey]));
  all.set(id, sortKeyOf(article));
  const { keep, oldestKept } = retained(all, now, input.retention);
  if (!keep.has(id)) return null;
  const deletes = target.index.filter((entry) => !keep.has(entry.id)).map((entry) => entry.id);

  const today = Math.floor(now.getTime() / DAY_MS);
  const dropped = new Set(deletes);
  // The target's entry now names every key of the article, the holder's too: the source that holds an
  // article removes its alias rows once it is retired and unlisted, and the holder never removes them.
  const targetEntry = target.record.find((entry) => entry.id === id);
  const keys = union(union(targetEntry?.keys ?? [], candidate.aliasKeys), heldEntry.keys);
  const targetRecord = target.record.map((entry): SourceAliasEntry => {
    if (entry.id === id) return { id, keys };
    // Retired now, while the feed may still list it: its grace period starts today (source-aliases.ts).
    return dropped.has(entry.id) && entry.listedDay === undefined ? { ...entry, listedDay: today } : entry;
  });
  if (targetEntry === undefined) targetRecord.push({ id, keys });
  const holderRecord = holder.record.map((entry): SourceAliasEntry =>
    entry === heldEntry ? { id, keys: entry.keys, listedDay: today, foreign: true } : entry,
  );
  const aliases: Record<string, string> = {};
  for (const key of candidate.aliasKeys) aliases[key] = id;

  const holderIndex = holder.index.filter((entry) => entry.id !== id);
  return {
    article,
    target: {
      state: { ...target.state, itemsStored: keep.size, oldestKept, revision: target.state.revision + 1 },
      deletes,
      aliases,
      sourceAliases: targetRecord,
    },
    holder: {
      state: {
        ...holder.state,
        itemsStored: holderIndex.length,
        oldestKept: holderIndex.at(-1)?.sortKey ?? null,
        revision: holder.state.revision + 1,
      },
      sourceAliases: holderRecord,
    },
  };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const all = [...a];
  for (const key of b) if (!all.includes(key)) all.push(key);
  return all;
}
