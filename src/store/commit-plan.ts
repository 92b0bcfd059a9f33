/**
 * What one source's commit writes and removes, worked out from the validated
 * change and what the store holds for the source (its index and its alerts):
 * the articles and their tombstones, aliases, state, index, alerts and source
 * aliases to set, and the pruned aliases and articles to remove. Pure; the
 * store reads before, and writes every change of a commit (one source's, or
 * several for an article that changes sources) in one atomic step of its
 * backend (keyv-store.ts).
 */
import type { Alert } from '../model/index.js';
import { aliasText, keys, type Tombstone } from './codec.js';
import type { CommitDelete, CommitSet } from './commit-writer.js';
import { applyToIndex } from './ordering.js';
import { ALERTS_KEPT, type IndexEntry, type ValidSourceChange } from './types.js';

/** Whether the change writes or deletes an article; a commit that does not (a 304, a failure) leaves the index as it is. */
export function touchesArticles(valid: ValidSourceChange): boolean {
  return valid.upserts.length > 0 || valid.deletes.length > 0;
}

/** Whether the change's entries depend on the source's index (see {@link planCommit}). */
export function readsIndex(valid: ValidSourceChange): boolean {
  // Pruning reads it too: an id it still holds is live, and is not pruned.
  return touchesArticles(valid) || valid.pruned.ids.length > 0;
}

/**
 * The entries of the commit of `valid` over the source's `current` index and
 * stored `alerts` (newest first); `deletedAt` dates its tombstones.
 */
export function planCommit(
  valid: ValidSourceChange,
  current: readonly IndexEntry[],
  alerts: readonly Alert[],
  deletedAt: string,
): { sets: CommitSet[]; removes: CommitDelete[] } {
  const inIndex = new Set(current.map((entry) => entry.id));
  // Deleting what this source does not hold is a no-op: it keeps retries idempotent and can never
  // tombstone another source's article.
  const deletes: string[] = [];
  for (const id of valid.deletes) if (inIndex.has(id)) deletes.push(id);
  const next = applyToIndex(current, valid.upserts, deletes);
  // A pruned id leaves no tombstone, and never a live article: an id still indexed is not pruned.
  const live = new Set(next.map((entry) => entry.id));
  const prunedIds = new Set(valid.pruned.ids.filter((id) => !live.has(id)));

  const sets: CommitSet[] = [];
  for (const article of valid.upserts) sets.push({ key: keys.article(valid.sourceId, article.id), envelope: { value: article } });
  for (const id of deletes) {
    if (prunedIds.has(id)) continue;
    const tombstone: Tombstone = { tombstone: true, id, sourceId: valid.sourceId, deletedAt };
    sets.push({ key: keys.article(valid.sourceId, id), envelope: { value: tombstone } });
  }
  for (const [aliasKey, id] of Object.entries(valid.aliases)) sets.push({ key: keys.alias(aliasKey), envelope: { value: id } });
  sets.push({ key: keys.state(valid.sourceId), envelope: { value: valid.state }, revisioned: true });
  if (touchesArticles(valid)) sets.push({ key: keys.index(valid.sourceId), envelope: { value: next } });
  if (valid.alerts.length > 0) {
    const kept = [...valid.alerts].reverse().concat(alerts).slice(0, ALERTS_KEPT);
    sets.push({ key: keys.alerts(valid.sourceId), envelope: { value: kept } });
  }
  if (valid.sourceAliases !== undefined) sets.push({ key: keys.sourceAliases(valid.sourceId), envelope: { value: valid.sourceAliases } });
  const removes: CommitDelete[] = [];
  for (const [aliasKey, id] of Object.entries(valid.pruned.aliases)) {
    if (!(aliasKey in valid.aliases)) removes.push({ key: keys.alias(aliasKey), ifText: aliasText(id) });
  }
  for (const id of prunedIds) removes.push({ key: keys.article(valid.sourceId, id), ifText: null });
  return { sets, removes };
}

/** One change of a commit with the records it builds on, as the store read them. */
export interface ChangeOnRecords {
  valid: ValidSourceChange;
  current: readonly IndexEntry[];
  alerts: readonly Alert[];
}

/**
 * The entries of a commit of one or several changes (an article that changes
 * sources is written under one and deleted under the other): every change's
 * sets, then the removes that no set of the commit writes again, since the
 * backends run the removes after every set.
 */
export function planCommits(changes: readonly ChangeOnRecords[], deletedAt: string): { sets: CommitSet[]; removes: CommitDelete[] } {
  if (changes.length === 1) return planCommit(changes[0]!.valid, changes[0]!.current, changes[0]!.alerts, deletedAt);
  const sets: CommitSet[] = [];
  const removes: CommitDelete[] = [];
  for (const { valid, current, alerts } of changes) {
    const entries = planCommit(valid, current, alerts, deletedAt);
    for (const set of entries.sets) sets.push(set);
    for (const remove of entries.removes) removes.push(remove);
  }
  const written = new Set(sets.map((set) => set.key));
  return { sets, removes: removes.filter((remove) => !written.has(remove.key)) };
}
