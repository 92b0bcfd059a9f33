/**
 * Opens the embedded backend: our SQLite keyv adapter on a file (its
 * directory created on demand) behind the typed store.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { StoreError } from '../errors.js';
import { leftBehind } from './article-layout.js';
import { createKeyv } from './keyv-config.js';
import { KeyvStore } from './keyv-store.js';
import type { CycleLockBackend } from './lock-record.js';
import { SqliteKeyvAdapter } from './sqlite-adapter.js';
import { upgradeSqliteLayout } from './sqlite-layout.js';
import { createSqliteCycleLock } from './sqlite-lock.js';
import type { Store } from './types.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  file: string;
  busyTimeoutMs?: number;
  /** Write on a worker thread (default true); see SqliteAdapterOptions. */
  writerThread?: boolean;
}

/** A Store on the SQLite file `options.file`, creating the file and its directory when missing. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  let adapter: SqliteKeyvAdapter | undefined;
  let lock: CycleLockBackend;
  try {
    mkdirSync(path.dirname(options.file), { recursive: true });
    adapter = new SqliteKeyvAdapter({
      ...options,
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
  return new KeyvStore('sqlite', createKeyv(adapter, { adapterSerializes: true }), lock);
}

