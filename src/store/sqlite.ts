/**
 * Opens the embedded backend: our SQLite keyv adapter on a file (its
 * directory created on demand, unless the caller only reads) behind the typed store.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { StoreError } from '../errors.js';
import { leftBehind } from './article-layout.js';
import { createKeyv } from './keyv-config.js';
import { KeyvStore } from './keyv-store.js';
import type { SourceRenamer } from './source-rename.js';
import type { CycleLockBackend } from './lock-record.js';
import { SqliteKeyvAdapter } from './sqlite-adapter.js';
import { upgradeSqliteLayout } from './sqlite-layout.js';
import { createSqliteCycleLock } from './sqlite-lock.js';
import { mergeSqliteSource, renameSqliteSource } from './sqlite-rename.js';
import type { Store } from './types.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  file: string;
  busyTimeoutMs?: number;
  /** Write on a worker thread (default true); see SqliteAdapterOptions. */
  writerThread?: boolean;
  /**
   * Refuse a file that does not exist rather than create it (and its folder).
   * A caller that only reads a store would otherwise take a mistyped path for
   * an empty store and leave an empty file behind.
   */
  mustExist?: boolean;
}

/** A Store on the SQLite file `options.file`, creating the file and its directory when missing unless `mustExist`. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const { mustExist, ...adapterOptions } = options;
  if (mustExist && !existsSync(options.file)) {
    throw new StoreError(`store(sqlite): no store at ${options.file}: check the path, or fetch into it first (byline fetch or byline run create it)`);
  }
  let adapter: SqliteKeyvAdapter | undefined;
  let lock: CycleLockBackend;
  try {
    mkdirSync(path.dirname(options.file), { recursive: true });
    adapter = new SqliteKeyvAdapter({
      ...adapterOptions,
      upgrade: (db) => {
        const warning = leftBehind('sqlite', upgradeSqliteLayout(db));
        if (warning !== null) process.emitWarning(warning);
      },
    });
    lock = createSqliteCycleLock(adapter.database);
  } catch (error) {
    await adapter?.disconnect().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreError(`store(sqlite): cannot open ${options.file}: ${reason}`, { cause: error });
  }
  const db = adapter.database;
  // One transaction on the main connection, like the lock's statements.
  const renamer: SourceRenamer = {
    rename: async (from, to) => renameSqliteSource(db, from, to),
    merge: async (from, to, combine) => mergeSqliteSource(db, from, to, combine),
  };
  return new KeyvStore('sqlite', createKeyv(adapter, { adapterSerializes: true }), adapter, lock, renamer);
}

