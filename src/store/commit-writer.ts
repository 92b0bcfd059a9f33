/**
 * How a backend applies one commit: a store commit upserts records and may
 * remove some (alias rows and tombstones no longer needed), all or nothing.
 * keyv has no atomic "set these, delete those", so each backend brings its
 * own (sqlite-adapter.ts: one transaction; redis-commit.ts: one script).
 */
import { CycleLockLostError } from '../errors.js';
import type { StoreBackend } from './types.js';

/** A record to write: its key (without the namespace) and the keyv envelope of its value. */
export interface CommitSet {
  key: string;
  envelope: { value: unknown };
  /**
   * A source state: the write never lowers the `revision` stored under the
   * key, which is kept when higher. On Redis a commit that timed out on the
   * client can still land, after the refresh has recorded its failure with
   * the revision from before it; the failure's state must not set the
   * revision back below the articles that landed, or renderers keyed on it
   * would serve outputs without them. (SQLite applies commits in the order
   * they were made, and none of them times out.)
   */
  revisioned?: true;
}

/** A record to remove: its key (without the namespace), and the stored text it must still hold, or null for any. */
export interface CommitDelete {
  key: string;
  ifText: string | null;
}

/** One backend's atomic commit. */
export interface CommitWriter {
  /**
   * Writes every set, then removes every delete that still matches; all of it
   * or nothing. With a `fence` (a cycle lock record, lock-record.ts), nothing
   * unless that record holds the cycle lock, unexpired, when the write is
   * applied: checked in the same transaction, so a commit queued or in flight
   * when the lock passed to another process never lands. Rejects with
   * CycleLockLostError then.
   */
  commit(sets: CommitSet[], deletes: CommitDelete[], fence: string | null): Promise<void>;
}

/** The error code a SQLite writer refusing a fenced write gives (sqlite-writer-thread.ts). */
export const FENCE_REFUSED_CODE = 'BYLINE_CYCLE_LOCK_LOST';

/** The error of a commit refused for its fence. */
export function fenceRefused(backend: StoreBackend, cause?: unknown): CycleLockLostError {
  return new CycleLockLostError(`store(${backend}): commit refused: the cycle lock it was made under is no longer held by this process`, { cause });
}
