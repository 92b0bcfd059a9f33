/**
 * A keyv 5 storage adapter on better-sqlite3: one table in one file, shared
 * safely by several connections and processes (WAL, busy timeout, write
 * transactions that take the lock up front). `setMany` and `deleteMany` are
 * single transactions, which is what makes a store commit atomic.
 */
import { EventEmitter } from 'node:events';
import type Database from 'better-sqlite3';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { encodeEnvelope } from './codec.js';
import { fenceRefused, FENCE_REFUSED_CODE, type CommitDelete, type CommitSet, type CommitWriter } from './commit-writer.js';
import { CYCLE_LOCK_KEY } from './lock-record.js';
import { openConnection } from './sqlite-connection.js';
import { DEFAULT_CACHE_KIB, startWriter, WAL_SIZE_LIMIT_BYTES, type DeleteRow, type SqliteWriter, type WriteRow } from './sqlite-writer.js';

/** How long a connection waits for another writer's lock before failing with SQLITE_BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const UPSERT =
  'INSERT INTO kv (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires';

/** Removes a row, only while it holds the given text unless that is null. */
const REMOVE = 'DELETE FROM kv WHERE key = ? AND (? IS NULL OR value = ?)';

/** The cycle lock's row (sqlite-lock.ts), which a fenced commit checks in its own transaction. */
const LOCK_ROW = 'SELECT owner, expires FROM cycle_lock WHERE name = ?';

/** Keys per `IN (…)` query: well under SQLite's bound-parameter limit on every build. */
const CHUNK = 500;
/** Rows per page of the iterator, so no statement stays open across an `await`. */
const PAGE = 200;

/** Options of {@link SqliteKeyvAdapter}. */
export interface SqliteAdapterOptions {
  /** Path of the database file; its directory must exist. */
  file: string;
  busyTimeoutMs?: number;
  /**
   * Run `set`/`setMany` and WAL checkpoints on a worker thread (the default)
   * instead of on this one; see sqlite-writer.ts.
   */
  writerThread?: boolean;
  /** Bytes written before the writer thread checkpoints once it idles; see sqlite-writer.ts. */
  checkpointAfterBytes?: number;
  /** Milliseconds without a write that count as idle for the writer thread's checkpoints. */
  checkpointIdleMs?: number;
  /** Bytes written after which the writer thread checkpoints without waiting to idle. */
  checkpointCapBytes?: number;
  /** How long a small write waits for others to share its transaction; see sqlite-writer.ts. */
  groupLingerMs?: number;
  /** Page cache of each connection (this one and the writer's), in KiB; default {@link DEFAULT_CACHE_KIB}. */
  cacheKib?: number;
  /** Size the WAL is cut back to when it is reused after a checkpoint; default {@link WAL_SIZE_LIMIT_BYTES}. */
  walSizeLimitBytes?: number;
  /** Brings the file's data up to date once the table exists, before anything reads or writes it. */
  upgrade?: (db: Database.Database) => void;
}

/** SQLite's own default, restored when the writer thread is unavailable. */
const AUTOCHECKPOINT_PAGES = 1000;
interface Row {
  key: string;
  value: string;
}

/**
 * keyv store adapter over a `kv(key, value, expires)` table. Keys are stored
 * as `<namespace>:<key>` (keyv is used with `useKeyPrefix: false`, the same
 * arrangement as @keyv/redis), so `clear()` and `iterator()` stay inside the
 * namespace. Values are the codec's text; keyv envelopes handed over as objects are encoded on the way in.
 *
 * Operations throw on failure (keyv decides whether to re-throw); `on`/`emit`
 * exist because keyv subscribes to an adapter's `error` event.
 */
export class SqliteKeyvAdapter extends EventEmitter implements KeyvStoreAdapter, CommitWriter {
  /** `dialect` tells keyv this adapter is iterable. */
  readonly opts: { dialect: 'sqlite'; url: string; file: string; busyTimeoutMs: number };
  namespace?: string | undefined;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();
  private readonly writer: SqliteWriter | null = null;

  constructor(options: SqliteAdapterOptions) {
    super();
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.opts = { dialect: 'sqlite', url: `sqlite://${options.file}`, file: options.file, busyTimeoutMs };
    const { db, cacheKib, walSizeLimitBytes } = openConnection({ ...options, busyTimeoutMs });
    this.db = db;
    try {
      if (options.writerThread !== false) {
        this.db.pragma('wal_autocheckpoint = 0');
        this.writer = startWriter({
          file: options.file,
          busyTimeoutMs,
          cacheKib,
          walSizeLimitBytes,
          ...(options.checkpointAfterBytes !== undefined ? { checkpointAfterBytes: options.checkpointAfterBytes } : {}),
          ...(options.checkpointIdleMs !== undefined ? { checkpointIdleMs: options.checkpointIdleMs } : {}),
          ...(options.checkpointCapBytes !== undefined ? { checkpointCapBytes: options.checkpointCapBytes } : {}),
          ...(options.groupLingerMs !== undefined ? { groupLingerMs: options.groupLingerMs } : {}),
          onFailed: (error) => {
            if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
            // Not an 'error' event: no operation failed, and keyv would pin it on the next one that does.
            process.emitWarning(`sqlite: writer thread stopped (${error.message}); writing on the main thread instead`);
          },
        });
      }
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** Whether the connection is open. */
  get isOpen(): boolean {
    return this.db.open;
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = this.statement<{ value: string }>('SELECT value FROM kv WHERE key = ? AND (expires IS NULL OR expires > ?)').get(
      this.full(key),
      Date.now(),
    );
    // keyv hands serialized strings to adapters and takes them back; its typing names the deserialized Value.
    return row?.value as StoredData<Value> | undefined;
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const found = this.db.transaction(() => this.selectMany(keys.map((key) => this.full(key))))();
    return keys.map((key) => found.get(this.full(key)) as StoredData<Value | undefined>);
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async hasMany(keys: string[]): Promise<boolean[]> {
    const values = await this.getMany(keys);
    return values.map((value) => value !== undefined);
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    await this.setMany([{ key, value, ...(ttl !== undefined ? { ttl } : {}) }]);
    return true;
  }

  /**
   * All entries in one IMMEDIATE transaction: every key is written or none is.
   * With the writer thread, the rows travel in its message, and `entries` is
   * emptied once they are posted: keyv keeps that array until the write is
   * confirmed, and the values it reaches need not live that long (see
   * KeyvStore.commitSource).
   */
  async setMany(entries: Array<{ key: string; value: unknown; ttl?: number }>): Promise<void> {
    const rows = entries.map((entry) => this.row(entry.key, entry.value, entry.ttl));
    if (this.writer?.alive) {
      const written = this.writer.write(rows);
      entries.length = 0;
      // Returned, not awaited, so this frame does not hold the rows either.
      return written;
    }
    const upsert = this.statement(UPSERT);
    this.db
      .transaction(() => {
        for (const [key, value, expires] of rows) upsert.run(key, typeof value === 'string' ? value : encodeEnvelope(value), expires);
      })
      .immediate();
  }

  /**
   * A store commit: the sets upserted, then the deletes that still match
   * removed, in one IMMEDIATE transaction (see {@link setMany} for the
   * writer thread and the arrays it empties).
   */
  async commit(sets: CommitSet[], deletes: CommitDelete[], fence: string | null): Promise<void> {
    const rows = sets.map((set) => this.row(set.key, set.envelope, undefined));
    const removes: DeleteRow[] = deletes.map((entry) => [this.full(entry.key), entry.ifText]);
    if (this.writer?.alive) {
      const written = this.writer.write(rows, removes, fence);
      sets.length = 0;
      return written.catch((error: unknown) => {
        throw isFenceRefusal(error) ? fenceRefused('sqlite', error) : error;
      });
    }
    const upsert = this.statement(UPSERT);
    const remove = this.statement(REMOVE);
    this.db
      .transaction(() => {
        if (fence !== null) {
          const held = this.statement<{ owner: string; expires: number }>(LOCK_ROW).get(CYCLE_LOCK_KEY);
          if (held === undefined || held.owner !== fence || Number(held.expires) <= Date.now()) throw fenceRefused('sqlite');
        }
        for (const [key, value, expires] of rows) upsert.run(key, typeof value === 'string' ? value : encodeEnvelope(value), expires);
        for (const [key, ifText] of removes) remove.run(key, ifText, ifText);
      })
      .immediate();
  }

  async delete(key: string): Promise<boolean> {
    return this.statement('DELETE FROM kv WHERE key = ?').run(this.full(key)).changes > 0;
  }

  /** All keys in one IMMEDIATE transaction; true when at least one existed. */
  async deleteMany(keys: string[]): Promise<boolean> {
    return this.db
      .transaction(() => {
        const statement = this.statement('DELETE FROM kv WHERE key = ?');
        let changes = 0;
        for (const key of keys) changes += statement.run(this.full(key)).changes;
        return changes > 0;
      })
      .immediate();
  }

  /** Removes every key of this adapter's namespace (all keys when it has none). */
  async clear(): Promise<void> {
    if (this.namespace === undefined || this.namespace === '') {
      this.db.prepare('DELETE FROM kv').run();
      return;
    }
    const prefix = `${this.namespace}:`;
    // substr comparison rather than LIKE: a namespace may contain `%` or `_`.
    this.db.prepare<[number, string]>('DELETE FROM kv WHERE substr(key, 1, ?) = ?').run(prefix.length, prefix);
  }

  /** `[key, serialized value]` pairs of a namespace (keys without the prefix), in key order. */
  async *iterator<Value>(namespace?: string): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const prefix = namespace ? `${namespace}:` : '';
    const page = this.statement<Row>(
      'SELECT key, value FROM kv WHERE substr(key, 1, ?) = ? AND key > ? AND (expires IS NULL OR expires > ?) ORDER BY key LIMIT ?',
    );
    let after = '';
    for (;;) {
      const rows = page.all(prefix.length, prefix, after, Date.now(), PAGE);
      for (const row of rows) yield [row.key.slice(prefix.length), row.value as Awaited<Value>];
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) return;
      after = last.key;
    }
  }

  /** Closes the connection (idempotent). */
  async disconnect(): Promise<void> {
    await this.writer?.close();
    if (this.db.open) this.db.close();
  }

  /** What the writer thread has done (null when this thread writes and checkpoints itself). */
  get writerStats(): ReturnType<SqliteWriter['stats']> | null {
    return this.writer?.stats() ?? null;
  }

  /** The raw connection, for the store's own maintenance queries and tests. */
  get database(): Database.Database {
    return this.db;
  }

  /** A prepared statement, prepared once per connection. */
  private statement<Result = unknown>(sql: string): Database.Statement<unknown[], Result> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, statement);
    }
    return statement as Database.Statement<unknown[], Result>;
  }

  private full(key: string): string {
    return this.namespace ? `${this.namespace}:${key}` : key;
  }

  /** One row to upsert: keyv's serialized string, or its `{ value, expires }` envelope when keyv's serializer is off. */
  private row(key: string, value: unknown, ttl: number | undefined): WriteRow {
    const fullKey = this.full(key);
    if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) {
      throw new TypeError(`sqlite adapter stores encoded text or keyv envelopes (key ${fullKey}), not ${typeof value}`);
    }
    return [fullKey, value, typeof ttl === 'number' && ttl > 0 ? Date.now() + ttl : null];
  }

  private selectMany(fullKeys: string[]): Map<string, string> {
    const found = new Map<string, string>();
    const now = Date.now();
    for (let start = 0; start < fullKeys.length; start += CHUNK) {
      const chunk = fullKeys.slice(start, start + CHUNK);
      const marks = chunk.map(() => '?').join(', ');
      const rows = this.statement<Row>(
        `SELECT key, value FROM kv WHERE key IN (${marks}) AND (expires IS NULL OR expires > ?)`,
      ).all(...chunk, now);
      for (const row of rows) found.set(row.key, row.value);
    }
    return found;
  }
}

function isFenceRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === FENCE_REFUSED_CODE;
}
