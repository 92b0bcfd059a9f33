/**
 * Merging a source's records into another source's, for an operator who
 * changed a source's id in the config and let a cycle run under the new id
 * before renaming (`byline rename-source OLD NEW --merge`). Backend-neutral
 * and pure: sqlite-rename.ts and redis-rename.ts read both sources' records
 * (see sourceKeys) and apply the plan in one transaction.
 *
 * The cycle under the new id found the items it shares a link with by their
 * URL aliases, which every source shares, and stored nothing for them. An
 * item without a link of its own is known by an alias scoped to its source
 * (`guid:<source>:…`, `item:<source>:…`), so the new id stored it again
 * under another id and published it under another GUID. The merge keeps one
 * copy of each item, under the id and GUID subscribers saw first: the old
 * source's.
 *
 * - An id both sources hold, or an item both hold under two ids (the same
 *   scoped alias names both), is kept once, under the old source's id, with
 *   its firstSeen; its content is the copy of whichever source fetched last
 *   (combined as a cycle merges a fresh reading into a stored article). A
 *   live copy wins over a tombstone, except that an item the old source had
 *   retired stays retired: the new source's copy of it under another id only
 *   came back because its aliases were not found.
 * - The new source's copy under another id goes, record and index entry; the
 *   aliases it recorded for it name the kept id instead.
 * - The old source's scoped aliases move to the new id; where the new id has
 *   the same key, that key names the kept article.
 * - Retention is left to the next cycle, which finds the counts in the state
 *   and applies it, 304 or not (jobs/expiry.ts): the merge drops nothing an
 *   operator could want back, and needs no config.
 */
import { StoreError } from '../errors.js';
import { ArticleSchema, type Article } from '../model/index.js';
import { aliasText, encodeEnvelope, keys, type Tombstone } from './codec.js';
import { compareEntries, sortKeyOf } from './ordering.js';
import { readSide, scopeOf, scopedKey, aliasTarget, type SourceSide, type Stored } from './source-merge-read.js';
import { mergedAlerts, mergedEntries, mergedState } from './source-merge-records.js';
import type { SourceRename } from './source-rename.js';
import type { IndexEntry, StoreBackend } from './types.js';

/** How a cycle merges a fresh reading into a stored article (pipeline's mergeArticle): the store does not decide that itself. */
export type ArticleCombiner = (stored: Article, fresh: Article) => Article;

/** What a merge did, beyond what a rename counts of the old source's records. */
export interface SourceMerge extends SourceRename {
  /** Items both sources held (by id, or as the same item under two ids), now kept once. */
  bothHeld: number;
  /** The new source's copies under another id, removed (their GUIDs are not published any more). */
  duplicates: number;
  /** Articles the merged source holds. */
  stored: number;
}

/** What to write: records to set and keys to remove (logical keys), applied at once. */
export interface MergeWrites {
  sets: Map<string, string>;
  deletes: string[];
  merge: SourceMerge;
}

type Held = Article | Tombstone;
const isLive = (record: Held): record is Article => !('tombstone' in record);

/** The merge of `from`'s records into `to`'s, planned in two steps: {@link aliasKeysToRead}, then {@link plan}. */
export class SourceMergePlan {
  private readonly from: SourceSide;
  private readonly into: SourceSide;
  /** New-source id -> the old-source id kept in its place. */
  private readonly dropped = new Map<string, string>();
  /** Old-source id -> the new-source id it replaces. */
  private readonly replaces = new Map<string, string>();
  /** Scoped key (without source) both sources have, naming different ids -> the id the merged key names. */
  private readonly settled = new Map<string, string>();
  /** Whether the new source's copy of an article is the fresher: it fetched last. */
  private readonly newerInto: boolean;

  constructor(
    private readonly backend: StoreBackend,
    private readonly to: string,
    fromSide: { id: string; records: ReadonlyMap<string, string> },
    intoRecords: ReadonlyMap<string, string>,
    private readonly combine: ArticleCombiner,
  ) {
    this.from = readSide(backend, fromSide.id, fromSide.records);
    this.into = readSide(backend, to, intoRecords);
    const last = (side: SourceSide): number => Date.parse(side.state?.record.lastSuccessAt ?? '') || 0;
    this.newerInto = last(this.into) >= last(this.from);
    for (const [scope, kept] of this.from.scoped) {
      const other = this.into.scoped.get(scope);
      if (other === undefined || other === kept) continue;
      // The old source's key names nothing it holds (another source's article, or one pruned): the new one's stands.
      if (!this.from.articles.has(kept)) {
        this.settled.set(scope, other);
        continue;
      }
      this.settled.set(scope, kept);
      if (!this.into.articles.has(other) || this.from.articles.has(other)) continue;
      // One pair per item: a copy standing for two kept articles, or two copies for one, is not one item in both.
      if ((this.dropped.get(other) ?? kept) !== kept || (this.replaces.get(kept) ?? other) !== other) throw this.ambiguous(other, kept);
      this.dropped.set(other, kept);
      this.replaces.set(kept, other);
    }
  }

  /** Logical keys of the alias rows to read before {@link plan}: those the new source recorded for the copies it loses. */
  aliasKeysToRead(): string[] {
    const wanted = new Set<string>();
    for (const entry of this.into.entries ?? []) {
      if (!this.dropped.has(entry.id)) continue;
      // Scoped rows are both sources' own records, read already.
      for (const key of entry.keys) if (scopeOf(this.to, key) === null && scopeOf(this.from.sourceId, key) === null) wanted.add(keys.alias(key));
    }
    return [...wanted];
  }

  /** The writes, given the rows {@link aliasKeysToRead} named (logical key -> stored text, null when absent). */
  plan(aliasRows: ReadonlyMap<string, string | null>): MergeWrites {
    const { from, into, to } = this;
    const sets = new Map<string, string>();
    const deletes = new Set(from.keys);
    const merge: SourceMerge = { articles: 0, tombstones: 0, aliases: 0, records: from.keys.length, bothHeld: 0, duplicates: 0, stored: 0 };
    const held = new Map<string, Held>();
    for (const [id, stored] of into.articles) if (!this.dropped.has(id)) held.set(id, stored.record);

    for (const [id, old] of from.articles) {
      const otherId = this.replaces.get(id) ?? id;
      const other = into.articles.get(otherId);
      if (isLive(old.record)) merge.articles++;
      if (other !== undefined) merge.bothHeld++;
      if (otherId !== id) {
        merge.duplicates++;
        deletes.add(keys.article(to, otherId));
      }
      // The new source's live copy of the same id stands where the old source has only a tombstone.
      if (other !== undefined && otherId === id && !isLive(old.record) && isLive(other.record)) continue;
      if (!isLive(old.record)) merge.tombstones++;
      const kept = other !== undefined && isLive(old.record) && isLive(other.record) && this.newerInto ? this.combined(old.record, other.record) : null;
      const record = kept ?? this.renamedRecord(old.record);
      held.set(id, record);
      sets.set(keys.article(to, id), kept !== null ? encodeEnvelope({ value: kept }) : this.movedText(old));
    }

    const index = this.mergedIndex(held);
    merge.stored = index.length;
    if (from.index !== null || into.index !== null) sets.set(keys.index(to), encodeEnvelope({ value: index }));
    const state = mergedState(from.state, into.state, to, index);
    if (state !== null) sets.set(keys.state(to), encodeEnvelope({ ...(into.state ?? from.state)!.envelope, value: state.value }));
    if (from.alerts !== null || into.alerts !== null) sets.set(keys.alerts(to), encodeEnvelope({ value: mergedAlerts(from.alerts ?? [], into.alerts ?? [], to) }));
    if (from.entries !== null || into.entries !== null) {
      const holds = (id: string): 'live' | 'tombstone' | null => {
        const record = held.get(id);
        return record === undefined ? null : isLive(record) ? 'live' : 'tombstone';
      };
      const entries = mergedEntries(from.entries ?? [], into.entries ?? [], { from: from.sourceId, to }, (id) => this.dropped.get(id) ?? id, holds);
      sets.set(keys.sourceAliases(to), encodeEnvelope({ value: entries }));
    }
    merge.aliases = this.aliasWrites(sets, aliasRows);
    for (const key of sets.keys()) deletes.delete(key);
    return { sets, deletes: [...deletes], merge };
  }

  /** Sets the scoped alias rows that change, and the rows naming a copy that goes; returns how many of the old source's scoped rows were merged. */
  private aliasWrites(sets: Map<string, string>, aliasRows: ReadonlyMap<string, string | null>): number {
    const { from, into, to } = this;
    const merged = new Map(into.scoped);
    for (const [scope, id] of from.scoped) merged.set(scope, this.settled.get(scope) ?? into.scoped.get(scope) ?? id);
    for (const [scope, id] of merged) {
      // A row naming a copy that goes names the article kept in its place.
      const names = this.dropped.get(id) ?? id;
      if (names !== into.scoped.get(scope)) sets.set(keys.alias(scopedKey(to, scope)), aliasText(names));
    }
    // The rows the new source recorded for such a copy, while they still name it (another source may have taken one since).
    for (const [key, raw] of aliasRows) {
      const kept = this.dropped.get(aliasTarget(this.backend, key, raw) ?? '');
      if (kept !== undefined) sets.set(key, aliasText(kept));
    }
    return from.scoped.size;
  }

  /** Both indexes' ids once each (a copy that goes stands for the article kept), without those only a tombstone now holds. */
  private mergedIndex(held: ReadonlyMap<string, Held>): IndexEntry[] {
    const entries = new Map<string, string>();
    for (const entry of [...(this.from.index ?? []), ...(this.into.index ?? [])]) {
      const id = this.dropped.get(entry.id) ?? entry.id;
      if (entries.has(id)) continue;
      const record = held.get(id);
      if (record !== undefined && !isLive(record)) continue;
      // An index entry without a record is left as the store had it; the kept article's own date places it otherwise.
      entries.set(id, record === undefined ? entry.sortKey : sortKeyOf(record));
    }
    return [...entries].map(([id, sortKey]) => ({ id, sortKey })).sort(compareEntries);
  }

  /** The old source's article, combined with the new source's fresher copy, keeping what identifies it. */
  private combined(old: Article, fresh: Article): Article {
    const stored = this.renamedRecord(old) as Article;
    const result = this.combine(stored, fresh);
    const article = { ...result, id: stored.id, guid: stored.guid, firstSeen: stored.firstSeen, sourceId: this.to, credit: { ...result.credit, sourceId: this.to } };
    const valid = ArticleSchema.safeParse(article);
    if (!valid.success) throw new StoreError(`store(${this.backend}): mergeSource: article "${stored.id}" does not combine into a valid article; nothing was merged`);
    return valid.data;
  }

  private renamedRecord(record: Held): Held {
    return isLive(record) ? { ...record, sourceId: this.to, credit: { ...record.credit, sourceId: this.to } } : { ...record, sourceId: this.to };
  }

  /** The stored text of an old-source record moved as it is, fields this version does not know of included. */
  private movedText(old: Stored<Held>): string {
    const value = old.envelope.value as Record<string, unknown>;
    const renamed = isLive(old.record) ? { ...value, sourceId: this.to, credit: { ...(value.credit as object), sourceId: this.to } } : { ...value, sourceId: this.to };
    return encodeEnvelope({ ...old.envelope, value: renamed });
  }

  private ambiguous(other: string, kept: string): StoreError {
    return new StoreError(
      `store(${this.backend}): mergeSource: article "${other}" of source "${this.to}" and article "${kept}" of source "${this.from.sourceId}" ` +
        `share an alias, and one of them shares one with yet another article; nothing was merged`,
    );
  }
}
