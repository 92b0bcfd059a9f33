/**
 * The store's cycle lock as both backends keep it: who holds it (one JSON
 * record) and until when. The backends make taking, renewing and releasing it
 * atomic (sqlite-lock.ts, redis-lock.ts); this module is what they share: the
 * record's schema, its one encoding, and reading it back.
 */
import { z } from 'zod';
import { StoreError, UnreadableRecordError } from '../errors.js';
import type { StoreBackend } from './types.js';

/** Where the lock lives: a row of the SQLite `cycle_lock` table, a key of byline's Redis namespace. */
export const CYCLE_LOCK_KEY = 'lock:cycle';

/**
 * Who holds the lock. The token alone makes an owner unique (a process can
 * hold the lock twice over, in turn); pid, hostname and start time are for
 * the operator who is refused. Boot id, namespaces and the process's start
 * time let another process on the same machine see that the holder has
 * ended (lock-process.ts); owners written before they existed, or on a
 * platform without them, lack them and their lock only lapses.
 */
export const CycleLockOwnerSchema = z.object({
  token: z.string().min(1),
  pid: z.number().int().nonnegative(),
  hostname: z.string(),
  startedAt: z.iso.datetime({ offset: true }),
  bootId: z.string().min(1).optional(),
  namespaces: z.string().min(1).optional(),
  processStart: z.string().regex(/^\d+$/).optional(),
});
export type CycleLockOwner = z.infer<typeof CycleLockOwnerSchema>;

/** The holder of a lock and when it lapses unless renewed. */
export type CycleLockHolder = CycleLockOwner & { expiresAt: string };

/**
 * What asking for the lock got: the lock until `expiresAt`, or who holds it
 * instead. `replaced` is the holder whose process had ended without releasing
 * the lock, which was taken over before it lapsed.
 */
export type CycleLockAttempt = { acquired: true; expiresAt: string; replaced?: CycleLockHolder } | { acquired: false; holder: CycleLockHolder };

/** A lock's lifetime: at least 1 ms, and whole, since both backends count in milliseconds. */
export const LockTtlSchema = z.number().int().positive();

/**
 * One backend's atomic steps on the lock record. `record` is always
 * {@link encodeOwner}'s text: the backends compare it as it is stored, so
 * only the owner that wrote it can renew or release it.
 */
export interface CycleLockBackend {
  /**
   * Stores `record` until `ttlMs` from now unless an unexpired one is there
   * (other than `replacing`, which is taken over however long it has left);
   * otherwise returns that one. Checked and written in one step.
   */
  acquire(
    record: string,
    ttlMs: number,
    replacing?: string,
  ): Promise<{ acquired: true; expiresAtMs: number } | { acquired: false; record: string; expiresAtMs: number }>;
  /** Moves the expiry to `ttlMs` from now if `record` still holds the lock; false otherwise. */
  renew(record: string, ttlMs: number): Promise<boolean>;
  /** Removes the lock if `record` still holds it; false (nothing changed) otherwise. */
  release(record: string): Promise<boolean>;
}

/** The stored text of an owner: its fields in the schema's order, so equal owners encode alike. */
export function encodeOwner(owner: CycleLockOwner): string {
  const { token, pid, hostname, startedAt, bootId, namespaces, processStart } = owner;
  // JSON.stringify leaves out the fields that are undefined.
  return JSON.stringify({ token, pid, hostname, startedAt, bootId, namespaces, processStart });
}

/** The stored text of an owner a caller gave, validated: a StoreError names what is wrong with it. */
export function validOwnerRecord(backend: StoreBackend, owner: CycleLockOwner): string {
  const parsed = CycleLockOwnerSchema.safeParse(owner);
  if (!parsed.success) throw new StoreError(`store(${backend}): invalid lock owner: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  return encodeOwner(parsed.data);
}

/** A lock lifetime a caller gave, validated (whole milliseconds, at least 1). */
export function validLockTtl(backend: StoreBackend, ttlMs: number): number {
  const parsed = LockTtlSchema.safeParse(ttlMs);
  if (!parsed.success) throw new StoreError(`store(${backend}): invalid lock lifetime ${ttlMs} (expected whole milliseconds, at least 1)`);
  return parsed.data;
}

/** The holder a refused attempt found, validated; a record that is not one is an UnreadableRecordError. */
export function decodeHolder(backend: StoreBackend, record: string, expiresAtMs: number): CycleLockHolder {
  let value: unknown;
  try {
    value = JSON.parse(record);
  } catch {
    value = undefined;
  }
  const owner = CycleLockOwnerSchema.safeParse(value);
  if (!owner.success || !Number.isFinite(expiresAtMs)) {
    const reason = owner.success ? 'it has no expiry' : `not a lock record: ${z.prettifyError(owner.error)}`;
    throw new UnreadableRecordError(`store(${backend}): unreadable record at key "${CYCLE_LOCK_KEY}": ${reason}`);
  }
  return { ...owner.data, expiresAt: new Date(expiresAtMs).toISOString() };
}
