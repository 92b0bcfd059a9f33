/**
 * What a new document changes in its source's articles: its candidates
 * looked up in the store (aliases, this source's articles and index, a
 * moved site's earlier links), overlaid with what other refreshes of the
 * cycle are writing, and planned (pipeline/plan.ts).
 */
import type { Article, Candidate, SourceAliasEntry, SourceState } from '../model/index.js';
import { candidateLimit, newestCandidates, planSourceUpdate, rememberedHits, upkeepSourceAliases } from '../pipeline/index.js';
import type { RetentionPolicy, SourcePlan } from '../pipeline/index.js';
import type { IndexEntry, Store } from '../store/index.js';
import type { Claim, CycleClaims } from './cycle-claims.js';
import { movedArticles } from './moved-site.js';
import { adoptable, type CycleTakeovers, type ForeignItem } from './takeovers.js';

/** What planning reads besides the document. */
export interface PlanDeps {
  store: Store;
  retention: RetentionPolicy;
  claims?: CycleClaims;
  /** Where a cycle collects the items that may take an article over; without it none is offered. */
  takeovers?: CycleTakeovers;
}

/** A plan, with what it changes in the source's alias record (pipeline/source-aliases.ts). */
export interface DocumentPlan extends SourcePlan {
  /** The record to store; null when unchanged. */
  sourceAliases: SourceAliasEntry[] | null;
  /** Alias rows to remove (key -> the id it must still name) and ids whose tombstones go with them. */
  pruned: { aliases: Record<string, string>; ids: string[] };
  /** The source's own pages whose article another source holds, to offer for takeover once committed (takeovers.ts). */
  adoptable: ForeignItem[];
}

/**
 * Plans the newest {@link candidateLimit} of the candidates a document lists
 * for `sourceId`. The plan's aliases are claimed for the cycle (when it keeps
 * claims): the caller settles the claim with its commit.
 */
export async function planDocument(
  sourceId: string,
  listed: readonly Candidate[],
  previous: SourceState,
  now: Date,
  deps: PlanDeps,
): Promise<{ plan: DocumentPlan; claim: Claim | null }> {
  const { store, claims } = deps;
  const candidates = newestCandidates(listed, candidateLimit(deps.retention));
  const keys = [...new Set(candidates.flatMap((candidate) => candidate.aliasKeys))];
  const ticket = claims?.beginLookup();
  try {
    const [found, recorded] = await Promise.all([store.resolveAliases(keys), store.getSourceAliases(sourceId)]);
    const aliasHits = rememberedHits(recorded, keys, found);
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
      recorded: new Set(recorded.filter((entry) => entry.foreign !== true).map((entry) => entry.id)),
    });
    const deleted = new Set(plan.deletes);
    const stored = new Set(index.filter((entry) => !deleted.has(entry.id)).map((entry) => entry.id));
    for (const article of plan.upserts) stored.add(article.id);
    const upkeep = upkeepSourceAliases({ recorded, listed: plan.listed, stored, now, retiredLimit: candidateLimit(deps.retention) });
    // A key this commit writes again is not removed, whatever it named.
    for (const key of Object.keys(plan.aliases)) delete upkeep.prunedAliases[key];
    const pruned = { aliases: upkeep.prunedAliases, ids: upkeep.prunedIds };
    const adopt = deps.takeovers ? adoptable(plan.foreign) : [];
    return { plan: { ...plan, sourceAliases: upkeep.record, pruned, adoptable: adopt }, claim: claims?.claim(plan.aliases) ?? null };
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
