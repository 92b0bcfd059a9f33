/**
 * The contract of byline's store: what the pipeline writes per source refresh
 * (one atomic SourceChange) and what readers (renderers, server, health) ask
 * for. Backends differ only below this interface.
 */
import { z } from 'zod';
import { AlertSchema, ArticleSchema, SourceAliasesSchema, SourceStateSchema } from '../model/index.js';
import type { Alert, ArchiveLayout, Article, SourceAliasEntry, SourceState } from '../model/index.js';
import type { CycleLockAttempt, CycleLockOwner } from './lock-record.js';
import type { ArticleCombiner, SourceMerge } from './source-merge.js';
import type { SourceRename } from './source-rename.js';

/** The backends a store URL can select. */
export const STORE_BACKENDS = ['sqlite', 'redis'] as const;
export type StoreBackend = (typeof STORE_BACKENDS)[number];

/**
 * One entry of a source's index. `sortKey` is the UTC ISO time the article
 * sorts by: min(published, firstSeen), so a source cannot push an item to the
 * top by back- or forward-dating it after we first saw it.
 */
export const IndexEntrySchema = z.object({
  id: z.string().min(1),
  sortKey: z.iso.datetime({ offset: true }),
});
export type IndexEntry = z.infer<typeof IndexEntrySchema>;

/** Where an article is stored: its source, then its id (article ids are unique across sources). */
export const ArticleRefSchema = ArticleSchema.pick({ sourceId: true, id: true });
export type ArticleRef = z.infer<typeof ArticleRefSchema>;

/**
 * Everything one refresh of one source changes, written in one atomic step.
 * `deletes` are article ids; `aliases` map alias keys (`url:…`, `guid:src:…`)
 * to article ids. Compiled (see codec.ts): every commit's articles pass here.
 */
export const SourceChangeSchema = z.compile(z.object({
  sourceId: z.string().min(1),
  state: SourceStateSchema,
  upserts: z.array(ArticleSchema),
  deletes: z.array(z.string().min(1)),
  aliases: z.record(z.string().min(1), z.string().min(1)),
  /** Health transitions to publish to the operator (kept per source, newest {@link ALERTS_KEPT}). */
  alerts: z.array(AlertSchema).default([]),
  /** The source's alias record (model/source-aliases.ts) to store in place of the one it has; absent: unchanged. */
  sourceAliases: SourceAliasesSchema.optional(),
  /**
   * Rows no longer needed: each alias key is removed while it still names the
   * id given with it (another source may have taken it since), and each id's
   * article record (its tombstone; never a live article) goes too.
   */
  pruned: z
    .object({ aliases: z.record(z.string().min(1), z.string().min(1)), ids: z.array(z.string().min(1)) })
    .default({ aliases: {}, ids: [] }),
}));
/** What callers pass to commitSource (defaults not yet applied). */
export type SourceChange = z.input<typeof SourceChangeSchema>;
/** A change after validation. */
export type ValidSourceChange = z.infer<typeof SourceChangeSchema>;

/** Alerts kept per source; older ones fall off. */
export const ALERTS_KEPT = 50;

/** Options of {@link Store.commitSource}. */
export interface CommitOptions {
  /**
   * The cycle lock the commit is made under: the store applies it only if
   * this owner still holds the lock, unexpired, checked in the same
   * transaction or script as the write, and otherwise rejects with
   * CycleLockLostError, writing nothing.
   */
  fence?: CycleLockOwner;
}

/** Options of {@link Store.listNewest}. */
export interface ListNewestOptions {
  sourceIds: string[];
  limit: number;
  offset?: number;
}

/**
 * Typed access to byline's persistent data. Every failure rejects with a
 * StoreError whose message starts with `store(<backend>):`; a record that
 * cannot be read back as its schema is such a failure too.
 *
 * Deleting an article leaves a tombstone and keeps its aliases: an alias then
 * resolves to an id that {@link Store.getArticles} does not return, so callers
 * recognise a GUID/URL they already published and dropped, and never re-add it
 * as new. Both go only when a commit prunes them (SourceChange.pruned), once
 * the source's feed no longer lists the item.
 */
export interface Store {
  readonly backend: StoreBackend;
  getState(sourceId: string): Promise<SourceState | null>;
  /** States of the given sources; sources never committed are absent from the map. */
  getStates(sourceIds: string[]): Promise<Map<string, SourceState>>;
  /** alias key (e.g. `url:https://…`, `guid:src:abc`) -> article id, for the keys known. */
  resolveAliases(keys: string[]): Promise<Map<string, string>>;
  /**
   * Live articles by id, each looked up under the source given with it;
   * unknown and deleted ones, and an id asked for under a source that does
   * not hold it, are absent from the map.
   */
  getArticles(refs: readonly ArticleRef[]): Promise<Map<string, Article>>;
  /** This source's articles in the store, newest first by sortKey (tie: id ascending). */
  getIndex(sourceId: string): Promise<IndexEntry[]>;
  /** The alias keys this source wrote, per article id; empty when it has no record. */
  getSourceAliases(sourceId: string): Promise<SourceAliasEntry[]>;
  /**
   * Atomically: upsert articles, delete articles (tombstones; aliases kept),
   * set aliases, set the source state and rewrite the source's index. Either
   * all of it lands or none. Every upsert must belong to `change.sourceId`.
   */
  commitSource(change: SourceChange, options?: CommitOptions): Promise<void>;
  /**
   * The changes of several sources (one each), as one atomic write: all of
   * it lands or none. For an article that moves from one source to another
   * (jobs/takeovers.ts), written under one and deleted under the other. Each
   * change rewrites its source's index from what it reads, like commitSource,
   * so the caller is the only writer of these sources meanwhile.
   */
  commitSources(changes: readonly SourceChange[], options?: CommitOptions): Promise<void>;
  /** The newest `limit` alerts over the given sources, newest first. */
  listAlerts(sourceIds: string[], limit: number): Promise<Alert[]>;
  /** Newest `limit` articles (after `offset`) over the given sources, by sortKey desc (tie: id ascending). */
  listNewest(options: ListNewestOptions): Promise<Article[]>;
  /** The archive pages fixed so far; no pages when none were. */
  getArchiveLayout(): Promise<ArchiveLayout>;
  /**
   * Records the archive's fixed pages (replacing what was recorded); rejects
   * with StoreError when invalid. With a fence, like a commit's: recorded
   * only while that owner holds the cycle lock, else CycleLockLostError.
   */
  setArchiveLayout(layout: ArchiveLayout, options?: CommitOptions): Promise<void>;
  /**
   * Takes the store's cycle lock for `owner` for `ttlMs`, atomically across
   * every process on the store, unless another owner holds it unexpired; then
   * answers that holder instead. A holder whose process is known to have
   * ended (it ran on this machine, and its pid is gone or reused: see
   * lock-process.ts) is replaced at once rather than left to lapse, and
   * answered as `replaced`. One cycle per store: a commit rewrites its
   * source's index from what it read (see commitSource), so two cycles
   * refreshing one source at once could drop each other's articles.
   */
  acquireCycleLock(owner: CycleLockOwner, ttlMs: number): Promise<CycleLockAttempt>;
  /** Extends `owner`'s unexpired lock to `ttlMs` from now; false, changing nothing, when it is not theirs (any more). */
  renewCycleLock(owner: CycleLockOwner, ttlMs: number): Promise<boolean>;
  /** Releases `owner`'s unexpired lock; false, changing nothing, when it is not theirs (any more). */
  releaseCycleLock(owner: CycleLockOwner): Promise<boolean>;
  /**
   * Moves every record of source `from` (articles and tombstones, the aliases
   * scoped to it, its state, index and alerts) to source `to`, for a source
   * whose id the operator changed; article ids and GUIDs stay. Atomic: all of
   * it moves or none. Rejects with StoreError, moving nothing, when `to`
   * already has records, `from` has none, or a record cannot be read. The
   * caller holds the cycle lock, so no commit of either source runs meanwhile.
   */
  renameSource(from: string, to: string): Promise<SourceRename>;
  /**
   * Like {@link Store.renameSource}, for a `to` that already has records (a
   * cycle ran under the new id first): `from`'s records are combined with
   * `to`'s (see source-merge.ts), an item both hold kept once under the id
   * and GUID `from` published, its content combined by `combine` when `to`'s
   * copy is the fresher. Atomic; rejects with StoreError, changing nothing,
   * when `from` has no records or a record cannot be read. The caller holds
   * the cycle lock.
   */
  mergeSource(from: string, to: string, combine: ArticleCombiner): Promise<SourceMerge>;
  /** Releases the connection; later calls reject with StoreError. Safe to call twice. */
  close(): Promise<void>;
}
