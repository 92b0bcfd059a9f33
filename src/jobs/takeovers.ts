/**
 * Articles the publisher's own feed takes over from an alerts feed
 * (pipeline/takeover.ts says when and why), applied once a cycle's refreshes
 * are done.
 *
 * A takeover rewrites two sources' records at once: the article moves from
 * the holder's key, index and state to the publisher's. Each commit rewrites
 * its source's index from what it read, and the holder may be refreshed in the
 * same cycle, concurrently with the publisher; so a refresh only offers the
 * items another source holds that are its own pages, and the cycle applies
 * them after its last commit, one at a time, while nothing else writes (the
 * cycle lock keeps other processes out). Each takeover is one atomic write of
 * both sources' changes (Store.commitSources): a failure leaves the article
 * where it was, and the next document of the publisher offers it again.
 */
import { CycleLockLostError, describeError } from '../errors.js';
import type { Article, Candidate } from '../model/index.js';
import { isRedirectorKey } from '../normalize/index.js';
import { planTakeover, publishesOwnPage, type RetentionPolicy, type TakeoverSide } from '../pipeline/index.js';
import type { CommitOptions, Store } from '../store/index.js';
import type { CycleFence } from './cycle-lock.js';

/** A candidate of one document and the id of the article another source holds for it. */
export interface ForeignItem {
  id: string;
  candidate: Candidate;
}

/**
 * The items of a plan's `foreign` list worth offering: the source's own
 * pages (not through a redirector). Anything else could never take an
 * article over, and is not kept until the cycle ends.
 */
export function adoptable(foreign: readonly ForeignItem[]): ForeignItem[] {
  return foreign.filter(({ candidate }) => publishesOwnPage(candidate.article) && !candidate.aliasKeys.some(isRedirectorKey));
}

/** One article that changed sources. */
export interface Takeover {
  guid: string;
  from: string;
  to: string;
}

/** What settling a cycle's offers did. */
export interface TakeoverReport {
  moved: Takeover[];
  /** Takeovers the store failed to write: each article stays with its holder. */
  failed: Array<Takeover & { error: string }>;
  /** Why the holders of the offered articles could not be looked up (nothing moved); null when they were. */
  error: string | null;
}

/** What applying the offers needs. */
export interface SettleDeps {
  store: Store;
  retention: RetentionPolicy;
  now: Date;
  /** The sources an offered article may be held by (every enabled source, not only this cycle's). */
  holderIds: readonly string[];
  lock?: CycleFence;
  signal?: AbortSignal;
}

/** The offers of one cycle. */
export class CycleTakeovers {
  /** By article id: the first source to offer an article is the one that may take it. */
  private readonly offers = new Map<string, { targetId: string; candidate: Candidate }>();

  /** Records the adoptable items of a document whose commit landed. */
  offer(targetId: string, items: readonly ForeignItem[]): void {
    for (const { id, candidate } of items) if (!this.offers.has(id)) this.offers.set(id, { targetId, candidate });
  }

  get size(): number {
    return this.offers.size;
  }

  /**
   * Applies the offers, one takeover at a time; call once every refresh of
   * the cycle has committed. Never rejects for a store failure (it is
   * reported); stops, reporting the lock lost, when the store refuses a
   * commit for the cycle lock.
   */
  async settle(deps: SettleDeps): Promise<TakeoverReport> {
    const report: TakeoverReport = { moved: [], failed: [], error: null };
    const offers = [...this.offers];
    this.offers.clear();
    if (offers.length === 0 || deps.signal?.aborted) return report;
    const { store } = deps;
    // Which source holds each article: the store keeps an article under its source, and an id names one.
    // One key per offer and source, nearly all absent: 50 offers over 1,000 sources read in ~0.1 s (SQLite).
    const refs = offers.flatMap(([id, { targetId }]) => deps.holderIds.filter((sourceId) => sourceId !== targetId).map((sourceId) => ({ sourceId, id })));
    let held: Map<string, Article>;
    try {
      held = await store.getArticles(refs);
    } catch (error) {
      return { ...report, error: describeError(error).message };
    }
    for (const [id, { targetId, candidate }] of offers) {
      const article = held.get(id);
      // Held by another publisher (its own page): it keeps it, and its records are not even read.
      if (article === undefined || publishesOwnPage(article) || deps.signal?.aborted) continue;
      const takeover: Takeover = { guid: article.guid, from: article.sourceId, to: targetId };
      try {
        const [holder, target] = await Promise.all([readSide(store, article.sourceId), readSide(store, targetId)]);
        if (holder === null || target === null) continue;
        const plan = planTakeover({ held: article, holder, target, candidate, now: deps.now, retention: deps.retention, isRedirectorKey });
        if (plan === null) continue;
        const options: CommitOptions = deps.lock ? { fence: deps.lock.owner } : {};
        await store.commitSources(
          [
            {
              sourceId: targetId,
              state: plan.target.state,
              upserts: [plan.article],
              deletes: plan.target.deletes,
              aliases: plan.target.aliases,
              sourceAliases: plan.target.sourceAliases,
            },
            {
              sourceId: article.sourceId,
              state: plan.holder.state,
              upserts: [],
              // Gone from the holder without a tombstone: the article lives on under its id, elsewhere.
              deletes: [id],
              aliases: {},
              sourceAliases: plan.holder.sourceAliases,
              pruned: { aliases: {}, ids: [id] },
            },
          ],
          options,
        );
        report.moved.push(takeover);
      } catch (error) {
        if (error instanceof CycleLockLostError) {
          deps.lock?.refused(error);
          break;
        }
        report.failed.push({ ...takeover, error: describeError(error).message });
      }
    }
    return report;
  }
}

/** A source's state, index and alias record; null when it has no state (never committed). */
async function readSide(store: Store, sourceId: string): Promise<TakeoverSide | null> {
  const [state, index, record] = await Promise.all([store.getState(sourceId), store.getIndex(sourceId), store.getSourceAliases(sourceId)]);
  return state === null ? null : { state, index, record };
}
