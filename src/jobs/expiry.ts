/**
 * Retention for a fetch that parses nothing. A source that answers 304, or
 * serves the same body again, brings no candidates to plan, and retention
 * used to run only in the plan of a new body: a quiet feed's articles stayed
 * stored and published long past `retention.maxAgeDays`. Such a fetch now
 * drops what has expired, the way a new body's plan would. The source's
 * state says how old its oldest article is, so the index is read only when
 * one has expired (or a state from before that was kept does not say).
 */
import type { SourceState } from '../model/index.js';
import { planSourceUpdate, retentionCutoff, type RetentionPolicy } from '../pipeline/index.js';
import type { Store } from '../store/index.js';

/** What a fetch without a new body changes in a source's articles. */
export interface Expiry {
  deletes: string[];
  itemsStored: number;
  oldestKept: string | null;
}

/** The articles of `previous`'s source that retention drops at `now`; null when none can have expired. */
export async function expiredArticles(store: Store, previous: SourceState, now: Date, retention: RetentionPolicy): Promise<Expiry | null> {
  if (previous.itemsStored === 0) return null;
  const { oldestKept } = previous;
  const inTime = oldestKept !== null && Date.parse(oldestKept) >= retentionCutoff(now, retention);
  // Over the count too: the operator may have lowered maxItemsPerSource since the last new body.
  if (inTime && previous.itemsStored <= retention.maxItemsPerSource) return null;
  const index = await store.getIndex(previous.sourceId);
  const plan = planSourceUpdate({ sourceId: previous.sourceId, candidates: [], aliasHits: new Map(), existing: new Map(), index, now, retention });
  return { deletes: plan.deletes, itemsStored: plan.itemsAfter, oldestKept: plan.oldestKept };
}
