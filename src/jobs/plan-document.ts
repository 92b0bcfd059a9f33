/**
 * What a new document changes in its source's articles: its candidates
 * looked up in the store (aliases, this source's articles and index, a
 * moved site's earlier links), overlaid with what other refreshes of the
 * cycle are writing, and planned (pipeline/plan.ts).
 */
import type { Article, Candidate, SourceState } from '../model/index.js';
import { planSourceUpdate, type RetentionPolicy, type SourcePlan } from '../pipeline/index.js';
import type { IndexEntry, Store } from '../store/index.js';
import type { Claim, CycleClaims } from './cycle-claims.js';
import { movedArticles } from './moved-site.js';

/** What planning reads besides the document. */
export interface PlanDeps {
  store: Store;
  retention: RetentionPolicy;
  claims?: CycleClaims;
}

/**
 * Plans `candidates` for `sourceId`. The plan's aliases are claimed for the
 * cycle (when it keeps claims): the caller settles the claim with its commit.
 */
export async function planDocument(
  sourceId: string,
  candidates: readonly Candidate[],
  previous: SourceState,
  now: Date,
  deps: PlanDeps,
): Promise<{ plan: SourcePlan; claim: Claim | null }> {
  const { store, claims } = deps;
  const keys = [...new Set(candidates.flatMap((candidate) => candidate.aliasKeys))];
  const ticket = claims?.beginLookup();
  try {
    const aliasHits = await store.resolveAliases(keys);
    const [existing, index] = await ownArticles(store, sourceId, candidates, aliasHits, previous);
    const moved = await movedArticles(store, sourceId, candidates, aliasHits, previous);
    // After the last wait: what other refreshes of this cycle claimed meanwhile is known to this plan.
    const plan = planSourceUpdate({
      sourceId,
      candidates,
      aliasHits: claims ? claims.overlay(keys, aliasHits) : aliasHits,
      movedHits: moved.hits,
      existing: moved.hits.size === 0 ? existing : new Map([...existing, ...moved.articles]),
      index,
      now,
      retention: deps.retention,
    });
    return { plan, claim: claims?.claim(plan.aliases) ?? null };
  } finally {
    if (ticket !== undefined) claims?.finishLookup(ticket);
  }
}

/**
 * This source's stored articles the candidates could be, and its index. Only
 * this source's articles can be merged; an id another source holds is
 * skipped like a retired one. A source whose articles never changed
 * (revision 0: a new source, or one that has only failed) has neither, and
 * the store is not asked: the first cycle over many new sources makes two
 * reads fewer per source.
 */
async function ownArticles(
  store: Store,
  sourceId: string,
  candidates: readonly Candidate[],
  aliasHits: ReadonlyMap<string, string>,
  previous: SourceState,
): Promise<[Map<string, Article>, IndexEntry[]]> {
  if (previous.revision === 0) return [new Map(), []];
  const ids = new Set(aliasHits.values());
  for (const candidate of candidates) ids.add(candidate.article.id);
  const refs = [...ids].map((id) => ({ sourceId, id }));
  return Promise.all([store.getArticles(refs), store.getIndex(sourceId)]);
}
