/**
 * The cycle lock in a SQLite file: one row of a `cycle_lock` table of its
 * own (not the keyv table, whose values are keyv envelopes and whose rows
 * keyv may clear or iterate). Every step is one statement, or one IMMEDIATE
 * transaction, so two processes on the file can never both take the lock.
 *
 * The statements run on the store's main connection, not the writer
 * thread: a renewal waits for a commit the writer thread is applying (its
 * busy timeout), which costs the event loop a few milliseconds every 30 s.
 */
import type Database from 'better-sqlite3';
import { CYCLE_LOCK_KEY, type CycleLockBackend } from './lock-record.js';

const CREATE = 'CREATE TABLE IF NOT EXISTS cycle_lock (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL)';
/**
 * Takes the row when it is missing or expired, or still holds the owner being
 * replaced (whose process ended); any other row is left as it is (no change).
 * The last parameter is null when no owner is being replaced: `owner = NULL`
 * is never true.
 */
const TAKE =
  'INSERT INTO cycle_lock (name, owner, expires) VALUES (?, ?, ?) ' +
  'ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires WHERE cycle_lock.expires <= ? OR cycle_lock.owner = ?';
const READ = 'SELECT owner, expires FROM cycle_lock WHERE name = ?';
// An expired row is no longer its owner's, as on Redis, where it would be gone: it can be neither renewed nor released.
const RENEW = 'UPDATE cycle_lock SET expires = ? WHERE name = ? AND owner = ? AND expires > ?';
const RELEASE = 'DELETE FROM cycle_lock WHERE name = ? AND owner = ? AND expires > ?';

interface LockRow {
  owner: string;
  expires: number;
}

/** The lock on `db`, creating its table when the file has none. */
export function createSqliteCycleLock(db: Database.Database): CycleLockBackend {
  db.exec(CREATE);
  const take = db.prepare<[string, string, number, number, string | null]>(TAKE);
  const read = db.prepare<[string], LockRow>(READ);
  const renew = db.prepare<[number, string, string, number]>(RENEW);
  const release = db.prepare<[string, string, number]>(RELEASE);
  const acquire = db.transaction((record: string, ttlMs: number, replacing: string | null) => {
    const now = Date.now();
    const expiresAtMs = now + ttlMs;
    if (take.run(CYCLE_LOCK_KEY, record, expiresAtMs, now, replacing).changes > 0) return { acquired: true as const, expiresAtMs };
    // In the same transaction: the row that refused us, not one written since.
    const held = read.get(CYCLE_LOCK_KEY);
    if (held === undefined) throw new Error('cycle_lock: the row that refused the lock is gone');
    return { acquired: false as const, record: held.owner, expiresAtMs: Number(held.expires) };
  });
  return {
    acquire: async (record, ttlMs, replacing) => acquire.immediate(record, ttlMs, replacing ?? null),
    renew: async (record, ttlMs) => {
      const now = Date.now();
      return renew.run(now + ttlMs, CYCLE_LOCK_KEY, record, now).changes > 0;
    },
    release: async (record) => release.run(CYCLE_LOCK_KEY, record, Date.now()).changes > 0,
  };
}
