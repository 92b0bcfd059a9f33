/**
 * Opens the connection the SQLite adapter reads with (and writes with when
 * its writer thread is off): the file in WAL mode, its page size when it is
 * new, the kv table, and the settings every connection to it needs. The
 * writer thread's own connection (sqlite-writer-thread.ts) repeats the
 * per-connection ones.
 */
import Database from 'better-sqlite3';
import { DEFAULT_CACHE_KIB, WAL_SIZE_LIMIT_BYTES } from './sqlite-writer.js';

/**
 * Page size of a database file this adapter creates. An article is ~6 KB of
 * text: at SQLite's default 4 KB each one spans a page and an overflow page,
 * and a cold cycle's writer thread spent ~10 % more CPU (and the process ~5 %)
 * on the extra pages, in the B-tree and in every WAL frame and checkpoint.
 * SQLite only applies it to an empty file; existing files keep theirs.
 */
export const NEW_FILE_PAGE_SIZE = 16384;

/** What {@link openConnection} sets up. */
export interface ConnectionOptions {
  /** Path of the database file; its directory must exist. */
  file: string;
  busyTimeoutMs: number;
  /** Page cache, in KiB; default {@link DEFAULT_CACHE_KIB}. */
  cacheKib?: number;
  /** Size the WAL is cut back to when it is reused after a checkpoint; default {@link WAL_SIZE_LIMIT_BYTES}. */
  walSizeLimitBytes?: number;
  /** Brings the file's data up to date once the table exists, before anything reads or writes it. */
  upgrade?: (db: Database.Database) => void;
}

/** An open connection, and the settings it was given, which the writer thread's connection takes too. */
export interface Connection {
  db: Database.Database;
  cacheKib: number;
  walSizeLimitBytes: number;
}

/** Opens `options.file` (created when missing) ready for the adapter; closed again if any step fails. */
export function openConnection(options: ConnectionOptions): Connection {
  const cacheKib = Math.max(1, Math.trunc(options.cacheKib ?? DEFAULT_CACHE_KIB));
  const walSizeLimitBytes = Math.max(0, Math.trunc(options.walSizeLimitBytes ?? WAL_SIZE_LIMIT_BYTES));
  const db = new Database(options.file, { timeout: options.busyTimeoutMs });
  try {
    // busy_timeout first: switching to WAL needs a lock another connection may hold right now.
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
    // Before WAL mode: a file in WAL mode can no longer change its page size.
    db.pragma(`page_size = ${NEW_FILE_PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can drop the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = ${-cacheKib}`);
    db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER NULL)');
    db.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
    options.upgrade?.(db);
    return { db, cacheKib, walSizeLimitBytes };
  } catch (error) {
    db.close();
    throw error;
  }
}
