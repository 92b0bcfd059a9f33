/**
 * byline's store: the typed Store and the one way to open it from the
 * configured URL (embedded SQLite by default, Redis for `redis://`).
 */
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';
import { parseStoreUrl } from './url.js';

export { ArticleRefSchema, IndexEntrySchema, SourceChangeSchema, STORE_BACKENDS } from './types.js';
export type { ArticleRef, CommitOptions, IndexEntry, ListNewestOptions, SourceChange, Store, StoreBackend } from './types.js';
export { sortKeyOf } from './ordering.js';
export { CycleLockOwnerSchema } from './lock-record.js';
export type { CycleLockAttempt, CycleLockHolder, CycleLockOwner } from './lock-record.js';
export { ownerProcess } from './lock-process.js';
export type { OwnerProcess } from './lock-process.js';
export { parseStoreUrl, redactUrl, SQLITE_FILE_NAME } from './url.js';
export type { StoreTarget } from './url.js';
export { SqliteKeyvAdapter, DEFAULT_BUSY_TIMEOUT_MS } from './sqlite-adapter.js';
export type { SqliteAdapterOptions } from './sqlite-adapter.js';
export { openSqliteStore } from './sqlite.js';
export type { SqliteStoreOptions } from './sqlite.js';
export type { RedisStoreOptions } from './redis.js';
export type { SourceRename } from './source-rename.js';
export type { ArticleCombiner, SourceMerge } from './source-merge.js';

/** Options of {@link createStore}. */
export interface CreateStoreOptions {
  /** Store URL; undefined/null selects the SQLite file `<cacheDir>/byline.sqlite`. */
  url?: string | null;
  /** Directory of the default SQLite file; `./cache` when not given. */
  cacheDir?: string;
  /**
   * SQLite only: write on a worker thread of the store's own (default true).
   * A connection that only reads, like the server's render thread, turns it
   * off rather than start a thread it never uses.
   */
  writerThread?: boolean;
  /**
   * Open only a store that exists: a SQLite file that is missing is refused
   * (StoreError naming it) and nothing is created. Redis has nothing to create.
   */
  mustExist?: boolean;
}

/**
 * Opens the store the URL names: nothing → `${cacheDir ?? './cache'}/byline.sqlite`
 * (directory created unless `mustExist`), `sqlite:///abs/file` or `sqlite:rel/file` → that file,
 * `redis://…`/`rediss://…` → Redis (connected before this resolves). Any other
 * URL, or a backend that cannot be opened, rejects with StoreError.
 */
export async function createStore(options: CreateStoreOptions = {}): Promise<Store> {
  const target = parseStoreUrl(options.url, options.cacheDir);
  if (target.backend === 'redis') {
    // Loaded on demand: the Redis client costs start-up time that SQLite users should not pay.
    const { openRedisStore } = await import('./redis.js');
    return openRedisStore({ url: target.url });
  }
  return openSqliteStore({
    file: target.file,
    ...(options.writerThread !== undefined ? { writerThread: options.writerThread } : {}),
    ...(options.mustExist !== undefined ? { mustExist: options.mustExist } : {}),
  });
}
