/**
 * The typed Store over a keyv instance: key layout, zod validation of every
 * value read back, per-source index maintenance, and one atomic multi-key
 * write per commit. Backend-neutral; sqlite.ts and redis.ts supply the keyv.
 */
import { z } from 'zod';
import type { Keyv, KeyvEntry } from 'keyv';
import { ArchiveLayoutSchema, type Alert, type ArchiveLayout, type Article, type SourceState } from '../model/index.js';
import { StoreError } from '../errors.js';
import {
  AlertsRecordSchema,
  AliasRecordSchema,
  ArticleRecordSchema,
  IndexRecordSchema,
  StateRecordSchema,
  decodeRecord,
  keys,
} from './codec.js';
import type { Tombstone } from './codec.js';
import { withDeadline } from './deadline.js';
import { applyToIndex, mergeNewest } from './ordering.js';
import { ALERTS_KEPT } from './types.js';
import { validateChange } from './validate-change.js';
import { compileValidators } from './warm-up.js';
import type { IndexEntry, ListNewestOptions, SourceChange, Store, StoreBackend } from './types.js';

/** Keys read and decoded in one synchronous step (see readMany). */
export const READ_CHUNK = 64;

/** Resolves on a later turn of the event loop, after the I/O callbacks that are ready. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

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

/** A Store on any keyv whose adapter applies `setMany` atomically and throws on failure. */
export class KeyvStore implements Store {
  private closed = false;
  /**
   * The first error keyv or its adapter emitted since the current operation began: @keyv/redis explains a
   * failed connection only there, then throws a generic error (and emits that one too).
   */
  private firstEmitted: unknown;

  constructor(
    readonly backend: StoreBackend,
    private readonly keyv: Keyv,
    private readonly options: KeyvStoreOptions = {},
  ) {
    keyv.on('error', (error: unknown) => {
      this.firstEmitted ??= error;
    });
    compileValidators();
  }

  async getState(sourceId: string): Promise<SourceState | null> {
    return this.guard('getState', async () => (await this.readStates([sourceId])).get(sourceId) ?? null);
  }

  async getStates(sourceIds: string[]): Promise<Map<string, SourceState>> {
    return this.guard('getStates', () => this.readStates(sourceIds));
  }

  async resolveAliases(aliasKeys: string[]): Promise<Map<string, string>> {
    return this.guard('resolveAliases', async () => {
      const wanted = unique(aliasKeys);
      const records = await this.readMany(AliasRecordSchema, wanted.map(keys.alias));
      const resolved = new Map<string, string>();
      wanted.forEach((key, i) => {
        const id = records[i];
        if (id !== undefined) resolved.set(key, id);
      });
      return resolved;
    });
  }

  async getArticles(ids: string[]): Promise<Map<string, Article>> {
    return this.guard('getArticles', () => this.readArticles(ids));
  }

  async getIndex(sourceId: string): Promise<IndexEntry[]> {
    return this.guard('getIndex', () => this.readIndex(sourceId));
  }

  /**
   * Read-modify-write of the source's index, then one atomic multi-key write.
   * Each source is refreshed by one writer at a time (the scheduler's
   * guarantee), so nothing else rewrites this index between our read and our
   * write; other sources' keys are disjoint, so concurrent commits of
   * different sources never lose each other's writes.
   *
   * Only the write's promise is awaited: no frame keeps the change while the
   * backend confirms it, which can take a while (the SQLite writer thread
   * queues commits). Articles held that long outlive the young generation,
   * and V8 then allocates their kind straight into the old one, where every
   * later commit's garbage waits for a full collection.
   */
  commitSource(change: SourceChange): Promise<void> {
    return this.guard('commitSource', () => this.startCommit(change)).then(({ written }) =>
      this.withinLimit('commitSource', written).then(
        () => undefined,
        (error: unknown) => {
          throw this.wrap('commitSource', error);
        },
      ),
    );
  }

  async listAlerts(sourceIds: string[], limit: number): Promise<Alert[]> {
    return this.guard('listAlerts', async () => {
      const lists = await this.readMany(AlertsRecordSchema, unique(sourceIds).map(keys.alerts));
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
      const indexes = await this.readMany(IndexRecordSchema, sourceIds.map(keys.index));
      const page = mergeNewest(
        indexes.map((index) => index ?? []),
        limit,
        offset,
      );
      const articles = await this.readArticles(page.map((entry) => entry.id));
      // Indexes and articles are two reads; an article deleted by a commit in between is skipped, not an error.
      return page.flatMap((entry) => articles.get(entry.id) ?? []);
    });
  }

  async getArchiveLayout(): Promise<ArchiveLayout> {
    return this.guard('getArchiveLayout', async () => {
      const [layout] = await this.readMany(ArchiveLayoutSchema, [keys.archiveLayout]);
      return layout ?? { pages: [] };
    });
  }

  async setArchiveLayout(layout: ArchiveLayout): Promise<void> {
    return this.guard('setArchiveLayout', async () => {
      const parsed = ArchiveLayoutSchema.safeParse(layout);
      if (!parsed.success) {
        throw new StoreError(`store(${this.backend}): invalid archive layout: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
      }
      await this.keyv.set(keys.archiveLayout, parsed.data);
    });
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

  /** Validates, reads what the commit builds on, and hands every entry to keyv; resolves with the write in flight. */
  private async startCommit(change: SourceChange): Promise<{ written: Promise<unknown> }> {
    const valid = validateChange(this.backend, change);
    // A commit that changes no article (a 304, a failure) leaves the index as it is: no read, no rewrite.
    const touchesArticles = valid.upserts.length > 0 || valid.deletes.length > 0;
    const [current, [alerts = []]] = await Promise.all([
      touchesArticles ? this.readIndex(valid.sourceId) : Promise.resolve([]),
      valid.alerts.length > 0 ? this.readMany(AlertsRecordSchema, [keys.alerts(valid.sourceId)]) : Promise.resolve([]),
    ]);
    const inIndex = new Set(current.map((entry) => entry.id));
    // Deleting what this source does not hold is a no-op: it keeps retries idempotent and can never
    // tombstone another source's article.
    const deletes = valid.deletes.filter((id) => inIndex.has(id));
    const next = applyToIndex(current, valid.upserts, deletes);
    const deletedAt = new Date().toISOString();

    const entries: KeyvEntry[] = [];
    for (const article of valid.upserts) entries.push({ key: keys.article(article.id), value: article });
    for (const id of deletes) {
      const tombstone: Tombstone = { tombstone: true, id, sourceId: valid.sourceId, deletedAt };
      entries.push({ key: keys.article(id), value: tombstone });
    }
    for (const [aliasKey, id] of Object.entries(valid.aliases)) entries.push({ key: keys.alias(aliasKey), value: id });
    entries.push({ key: keys.state(valid.sourceId), value: valid.state });
    if (touchesArticles) entries.push({ key: keys.index(valid.sourceId), value: next });
    if (valid.alerts.length > 0) {
      const kept = [...valid.alerts].reverse().concat(alerts).slice(0, ALERTS_KEPT);
      entries.push({ key: keys.alerts(valid.sourceId), value: kept });
    }
    // One setMany = one SQLite transaction / one Redis MULTI…EXEC: all of it lands or none.
    const written = this.keyv.setMany(entries);
    // keyv wraps every entry before its first await, so the array can let go of the articles now rather
    // than when keyv's call returns (a store test fails if keyv ever reads it later).
    entries.length = 0;
    return { written };
  }

  private async readStates(sourceIds: string[]): Promise<Map<string, SourceState>> {
    const ids = unique(sourceIds);
    const records = await this.readMany(StateRecordSchema, ids.map(keys.state));
    const states = new Map<string, SourceState>();
    ids.forEach((id, i) => {
      const state = records[i];
      if (state === undefined) return;
      if (state.sourceId !== id) this.unreadable(keys.state(id), `holds the state of source "${state.sourceId}"`);
      states.set(id, state);
    });
    return states;
  }

  private async readIndex(sourceId: string): Promise<IndexEntry[]> {
    const [index] = await this.readMany(IndexRecordSchema, [keys.index(sourceId)]);
    return index ?? [];
  }

  private async readArticles(ids: string[]): Promise<Map<string, Article>> {
    const wanted = unique(ids);
    const records = await this.readMany(ArticleRecordSchema, wanted.map(keys.article));
    const articles = new Map<string, Article>();
    wanted.forEach((id, i) => {
      const record = records[i];
      if (record === undefined || 'tombstone' in record) return;
      if (record.id !== id) this.unreadable(keys.article(id), `holds article "${record.id}"`);
      articles.set(id, record);
    });
    return articles;
  }

  /**
   * Values of `keyList` (undefined where absent), each validated; the first
   * unreadable one is a StoreError naming its key. Read and decoded
   * {@link READ_CHUNK} keys at a time, with a turn of the event loop between
   * chunks: the SQLite backend reads synchronously, and the states of 1,000
   * sources read, parsed and validated in one go held up every request for
   * ~60 ms. Each key is read as of its own chunk, which no caller needs to be
   * otherwise (every source has one writer).
   */
  private async readMany<T>(schema: z.ZodType<T>, keyList: string[]): Promise<Array<T | undefined>> {
    const decoded: Array<T | undefined> = [];
    for (let start = 0; start < keyList.length; start += READ_CHUNK) {
      if (start > 0) await nextTurn();
      const chunk = keyList.slice(start, start + READ_CHUNK);
      const values: unknown[] = await this.keyv.getMany<unknown>(chunk);
      chunk.forEach((key, i) => {
        const value = values[i];
        if (value === undefined) {
          decoded.push(undefined);
          return;
        }
        const record = decodeRecord(schema, value);
        if (!record.ok) this.unreadable(key, record.reason);
        decoded.push(record.value);
      });
    }
    return decoded;
  }

  private unreadable(key: string, reason: string): never {
    throw new StoreError(`store(${this.backend}): unreadable record at key "${key}": ${reason}`);
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
   * failed, which is safe (the next refresh finds its articles stored and its
   * state is overwritten), while waiting for it could stop every later refresh.
   */
  private withinLimit<T>(action: string, work: Promise<T>): Promise<T> {
    const limit = this.options.operationTimeoutMs;
    if (limit === undefined) return work;
    return withDeadline(work, limit, () => new StoreError(`store(${this.backend}): ${action} timed out after ${limit} ms (no answer from the server)`));
  }

  private wrap(action: string, error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    let message = `store(${this.backend}): ${action} failed: ${messageOf(error)}`;
    const emitted = this.firstEmitted;
    if (emitted !== undefined && emitted !== error && messageOf(emitted) !== messageOf(error)) message += ` (${messageOf(emitted)})`;
    return new StoreError(message, { cause: error });
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(messageOf).join('; ');
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
