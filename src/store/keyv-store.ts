/**
 * The typed Store over a keyv instance: per-source index maintenance, one
 * atomic multi-key write per commit, and every value read back validated
 * (keyv-reads.ts). Backend-neutral; sqlite.ts and redis.ts supply the keyv.
 */
import { z } from 'zod';
import type { Keyv } from 'keyv';
import { ArchiveLayoutSchema, type Alert, type ArchiveLayout, type Article, type SourceAliasEntry, type SourceState } from '../model/index.js';
import { CycleLockLostError, StoreError } from '../errors.js';
import { AlertsRecordSchema, AliasRecordSchema, IndexRecordSchema, SourceAliasesRecordSchema, keys } from './codec.js';
import { planCommits, readsIndex } from './commit-plan.js';
import type { CommitWriter } from './commit-writer.js';
import { withDeadline } from './deadline.js';
import { KeyvReads, unique } from './keyv-reads.js';
import { decodeHolder, validLockTtl, validOwnerRecord } from './lock-record.js';
import type { CycleLockAttempt, CycleLockBackend, CycleLockOwner } from './lock-record.js';
import { ownerProcessEnded } from './lock-process.js';
import { mergeNewest } from './ordering.js';
import type { ArticleCombiner, SourceMerge } from './source-merge.js';
import type { SourceRename, SourceRenamer } from './source-rename.js';
import { validateChanges } from './validate-change.js';
import type { ArticleRef, CommitOptions, IndexEntry, ListNewestOptions, SourceChange, Store, StoreBackend } from './types.js';

const WindowSchema = z.object({
  limit: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
});

/** Options of {@link KeyvStore}. */
export interface KeyvStoreOptions {
  /**
   * An operation the backend has not finished after this long fails with a
   * StoreError instead of waiting: a server that accepts connections but has
   * stopped answering would otherwise hold a cycle forever. Unset: no limit
   * (the SQLite backend, whose waits are bounded by its busy timeout).
   */
  operationTimeoutMs?: number;
}

/**
 * A Store on any keyv adapter that throws on failure, with the backend's own
 * atomic commit and cycle lock (keyv has neither "set these, delete those" nor
 * "set if absent").
 */
export class KeyvStore implements Store {
  private closed = false;
  private readonly reads: KeyvReads;
  /**
   * The first error keyv or its adapter emitted since the current operation began: @keyv/redis explains a
   * failed connection only there, then throws a generic error (and emits that one too).
   */
  private firstEmitted: unknown;

  constructor(
    readonly backend: StoreBackend,
    private readonly keyv: Keyv,
    private readonly writer: CommitWriter,
    private readonly lock: CycleLockBackend,
    private readonly renamer: SourceRenamer,
    private readonly options: KeyvStoreOptions = {},
  ) {
    keyv.on('error', (error: unknown) => {
      this.firstEmitted ??= error;
    });
    this.reads = new KeyvReads(backend, keyv);
  }

  async getState(sourceId: string): Promise<SourceState | null> {
    return this.guard('getState', async () => (await this.reads.states([sourceId])).get(sourceId) ?? null);
  }

  async getStates(sourceIds: string[]): Promise<Map<string, SourceState>> {
    return this.guard('getStates', () => this.reads.states(sourceIds));
  }

  async resolveAliases(aliasKeys: string[]): Promise<Map<string, string>> {
    return this.guard('resolveAliases', async () => {
      const wanted = unique(aliasKeys);
      const records = await this.reads.many(AliasRecordSchema, wanted.map(keys.alias));
      const resolved = new Map<string, string>();
      wanted.forEach((key, i) => {
        const id = records[i];
        if (id !== undefined) resolved.set(key, id);
      });
      return resolved;
    });
  }

  async getArticles(refs: readonly ArticleRef[]): Promise<Map<string, Article>> {
    return this.guard('getArticles', () => this.reads.articles(refs));
  }

  async getIndex(sourceId: string): Promise<IndexEntry[]> {
    return this.guard('getIndex', () => this.reads.index(sourceId));
  }

  async getSourceAliases(sourceId: string): Promise<SourceAliasEntry[]> {
    return this.guard('getSourceAliases', async () => (await this.reads.many(SourceAliasesRecordSchema, [keys.sourceAliases(sourceId)]))[0] ?? []);
  }

  /**
   * Read-modify-write of the source's index, then one atomic multi-key write.
   * Each source is refreshed by one writer at a time (one cycle per store,
   * which the cycle lock guarantees across processes, and one refresh per
   * source in a cycle), so nothing else rewrites this index between our read
   * and our write; other sources' keys are disjoint, so concurrent commits of
   * different sources never lose each other's writes.
   *
   * Only the write's promise is awaited: no frame keeps the change while the
   * backend confirms it, which can take a while (the SQLite writer thread
   * queues commits). Articles held that long outlive the young generation,
   * and V8 then allocates their kind straight into the old one, where every
   * later commit's garbage waits for a full collection.
   */
  commitSource(change: SourceChange, options: CommitOptions = {}): Promise<void> {
    return this.commit('commitSource', [change], options);
  }

  /** Several sources' changes in one atomic write (see {@link Store.commitSources}); each is read and applied as commitSource would. */
  commitSources(changes: readonly SourceChange[], options: CommitOptions = {}): Promise<void> {
    return this.commit('commitSources', changes, options);
  }

  private commit(action: string, changes: readonly SourceChange[], options: CommitOptions): Promise<void> {
    return this.guard(action, () => this.startCommit(changes, options)).then(({ written }) =>
      this.withinLimit(action, written).then(
        () => undefined,
        (error: unknown) => {
          throw this.wrap(action, error);
        },
      ),
    );
  }

  async listAlerts(sourceIds: string[], limit: number): Promise<Alert[]> {
    return this.guard('listAlerts', async () => {
      const lists = await this.reads.many(AlertsRecordSchema, unique(sourceIds).map(keys.alerts));
      const all = lists.flatMap((list) => list ?? []);
      return all.sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at < b.at ? 1 : -1)).slice(0, Math.max(0, limit));
    });
  }

  async listNewest(options: ListNewestOptions): Promise<Article[]> {
    return this.guard('listNewest', async () => {
      const window = WindowSchema.safeParse({ limit: options.limit, offset: options.offset ?? 0 });
      if (!window.success) {
        throw new StoreError(`store(${this.backend}): listNewest: invalid window: ${z.prettifyError(window.error)}`);
      }
      const { limit, offset } = window.data;
      if (limit === 0) return [];
      const sourceIds = unique(options.sourceIds);
      const indexes = await this.reads.many(IndexRecordSchema, sourceIds.map(keys.index));
      const page = mergeNewest(
        indexes.map((index, i) => (index ?? []).map((entry) => ({ ...entry, sourceId: sourceIds[i]! }))),
        limit,
        offset,
      );
      const articles = await this.reads.articles(page);
      // Indexes and articles are two reads; an article deleted by a commit in between is skipped, not an error.
      return page.flatMap((entry) => articles.get(entry.id) ?? []);
    });
  }

  async getArchiveLayout(): Promise<ArchiveLayout> {
    return this.guard('getArchiveLayout', async () => {
      const [layout] = await this.reads.many(ArchiveLayoutSchema, [keys.archiveLayout]);
      return layout ?? { pages: [] };
    });
  }

  /**
   * Through the commit writer, so that a fence is checked in the write's own
   * transaction or script: a process that lost the lock while planning would
   * otherwise put back an older layout over the one the new holder recorded.
   */
  async setArchiveLayout(layout: ArchiveLayout, options: CommitOptions = {}): Promise<void> {
    return this.guard('setArchiveLayout', async () => {
      const parsed = ArchiveLayoutSchema.safeParse(layout);
      if (!parsed.success) {
        throw new StoreError(`store(${this.backend}): invalid archive layout: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
      }
      const fence = options.fence === undefined ? null : validOwnerRecord(this.backend, options.fence);
      await this.writer.commit([{ key: keys.archiveLayout, envelope: { value: parsed.data } }], [], fence).catch((error: unknown) => {
        if (!(error instanceof CycleLockLostError)) throw error;
        throw new CycleLockLostError(
          `store(${this.backend}): archive layout not recorded: the cycle lock it was made under is no longer held by this process`,
          { cause: error },
        );
      });
    });
  }

  async acquireCycleLock(owner: CycleLockOwner, ttlMs: number): Promise<CycleLockAttempt> {
    return this.guard('acquireCycleLock', async () => {
      const record = validOwnerRecord(this.backend, owner);
      const ttl = validLockTtl(this.backend, ttlMs);
      const attempt = await this.lock.acquire(record, ttl);
      if (attempt.acquired) return { acquired: true, expiresAt: new Date(attempt.expiresAtMs).toISOString() };
      const holder = decodeHolder(this.backend, attempt.record, attempt.expiresAtMs);
      if (!ownerProcessEnded(holder)) return { acquired: false, holder };
      // Its process was killed before it could release the lock. Taken over only if that record
      // still holds it: of several processes finding it so, one gets it, and the others are refused.
      const again = await this.lock.acquire(record, ttl, attempt.record);
      if (again.acquired) return { acquired: true, expiresAt: new Date(again.expiresAtMs).toISOString(), replaced: holder };
      return { acquired: false, holder: decodeHolder(this.backend, again.record, again.expiresAtMs) };
    });
  }

  async renewCycleLock(owner: CycleLockOwner, ttlMs: number): Promise<boolean> {
    return this.guard('renewCycleLock', () => this.lock.renew(validOwnerRecord(this.backend, owner), validLockTtl(this.backend, ttlMs)));
  }

  async releaseCycleLock(owner: CycleLockOwner): Promise<boolean> {
    return this.guard('releaseCycleLock', () => this.lock.release(validOwnerRecord(this.backend, owner)));
  }

  async renameSource(from: string, to: string): Promise<SourceRename> {
    return this.guard('renameSource', () => this.renamer.rename(from, to));
  }

  async mergeSource(from: string, to: string, combine: ArticleCombiner): Promise<SourceMerge> {
    return this.guard('mergeSource', () => this.renamer.merge(from, to, combine));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.keyv.disconnect();
    } catch (error) {
      throw this.wrap('close', error);
    }
  }

  /**
   * Validates, reads what the commit builds on, and hands every entry to keyv;
   * resolves with the write in flight. Each change rewrites its own source's
   * records from what is read here (see commitSource).
   */
  private async startCommit(changes: readonly SourceChange[], options: CommitOptions): Promise<{ written: Promise<unknown> }> {
    const valid = validateChanges(this.backend, changes);
    const fence = options.fence === undefined ? null : validOwnerRecord(this.backend, options.fence);
    const records = await Promise.all(
      valid.map(async (change) => {
        const [current, [alerts = []]] = await Promise.all([
          readsIndex(change) ? this.reads.index(change.sourceId) : Promise.resolve([]),
          change.alerts.length > 0 ? this.reads.many(AlertsRecordSchema, [keys.alerts(change.sourceId)]) : Promise.resolve([]),
        ]);
        return { valid: change, current, alerts };
      }),
    );
    const { sets, removes } = planCommits(records, new Date().toISOString());
    // One transaction (SQLite) or one script (Redis): all of it lands or none.
    const write = this.writer.commit(sets, removes, fence);
    // The writer encodes every value before its first await, so the array can let go of the articles now
    // rather than when the write is confirmed (a store test fails if a writer ever reads it later).
    sets.length = 0;
    return { written: write };
  }

  private async guard<T>(action: string, run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError(`store(${this.backend}): ${action}: the store is closed`);
    this.firstEmitted = undefined;
    try {
      return await this.withinLimit(action, run());
    } catch (error) {
      throw this.wrap(action, error);
    }
  }

  /**
   * `work`, or a StoreError once the operation timeout passes. The backend's
   * command is not withdrawn: a commit may still land after it was reported
   * failed, which is safe (the next refresh finds its articles stored, and the
   * state written after it keeps the higher revision: see CommitSet), while
   * waiting for it could stop every later refresh.
   */
  private withinLimit<T>(action: string, work: Promise<T>): Promise<T> {
    const limit = this.options.operationTimeoutMs;
    if (limit === undefined) return work;
    return withDeadline(work, limit, () => new StoreError(`store(${this.backend}): ${action} timed out after ${limit} ms (no answer from the server)`));
  }

  private wrap(action: string, error: unknown): StoreError | CycleLockLostError {
    if (error instanceof StoreError || error instanceof CycleLockLostError) return error;
    let message = `store(${this.backend}): ${action} failed: ${messageOf(error)}`;
    const emitted = this.firstEmitted;
    if (emitted !== undefined && emitted !== error && messageOf(emitted) !== messageOf(error)) message += ` (${messageOf(emitted)})`;
    return new StoreError(message, { cause: error });
  }
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join('; ');
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
