/**
 * Holding the store's cycle lock around a cycle (src/jobs/cycle-lock.ts), on
 * a real SQLite file with a second connection standing in for another
 * process: refused while held, released however the work ends, renewed while
 * it runs, and reported lost when another owner takes it meanwhile.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CycleLockedError, CycleLockLostError } from '../../src/errors.js';
import { acquireCycleLock, withCycleLock } from '../../src/jobs/cycle-lock.js';
import { openSqliteStore, type CycleLockOwner, type Store } from '../../src/store/index.js';
import { caught } from '../helpers/caught.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-cycle-lock-');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const other: CycleLockOwner = { token: 'other', pid: 99999, hostname: 'elsewhere', startedAt: '2024-05-01T00:00:00.000Z' };
let file: string;
let store: Store;
let elsewhere: Store;

beforeEach(async () => {
  file = path.join(tempDir(), 'byline.sqlite');
  store = await openSqliteStore({ file });
  elsewhere = await openSqliteStore({ file });
});
afterEach(async () => {
  await store.close();
  await elsewhere.close();
});

/** Whether another owner could take the lock now (and then gives it back). */
async function free(): Promise<boolean> {
  const attempt = await elsewhere.acquireCycleLock(other, 60_000);
  if (attempt.acquired) await elsewhere.releaseCycleLock(other);
  return attempt.acquired;
}

it('holds the lock while the work runs, in the name of this process, and releases it when the work ends', async () => {
  const value = await withCycleLock(store, async (lock) => {
    expect(lock.owner).toMatchObject({ pid: process.pid, hostname: hostname() });
    const refused = await elsewhere.acquireCycleLock(other, 60_000);
    expect(refused.acquired === false && refused.holder.token).toBe(lock.owner.token);
    return 'done';
  });
  expect(value).toBe('done');
  expect(await free()).toBe(true);
});

it('releases the lock when the work throws, and rethrows what it threw', async () => {
  const error = await caught(
    withCycleLock(store, async () => {
      throw new Error('the cycle broke');
    }),
    Error,
  );
  expect(error.message).toBe('the cycle broke');
  expect(await free()).toBe(true);
});

it('refuses with CycleLockedError naming the holder, without running the work, while another owner holds it', async () => {
  const taken = await elsewhere.acquireCycleLock(other, 60_000);
  expect(taken.acquired).toBe(true);
  let ran = false;
  const error = await caught(
    withCycleLock(store, async () => {
      ran = true;
    }),
    CycleLockedError,
  );
  expect(ran).toBe(false);
  expect(error.code).toBe('cycle_locked');
  expect(error.holder).toMatchObject({ pid: 99999, hostname: 'elsewhere', startedAt: other.startedAt });
  expect(error.message).toMatch(/^another cycle is running on this store: pid 99999 on elsewhere since 2024-05-01T00:00:00\.000Z \(its lock lapses at \S+ unless renewed\)$/);
  // The refusal left the holder's lock alone.
  expect(await elsewhere.releaseCycleLock(other)).toBe(true);
});

it('renews the lock while the work outlasts its lifetime', async () => {
  const warnings: string[] = [];
  await withCycleLock(
    store,
    async () => {
      for (let i = 0; i < 5; i++) {
        await sleep(300);
        expect(await free()).toBe(false);
      }
    },
    { ttlMs: 600, renewMs: 150, onWarning: (message) => warnings.push(message) },
  );
  expect(warnings).toEqual([]);
  expect(await free()).toBe(true);
});

it('reports the lock lost, and stops the work, when another owner took it meanwhile', async () => {
  const warnings: string[] = [];
  const error = await caught(
    withCycleLock(
      store,
      async (lock) => {
        // As if the lock had lapsed during a long stall and another process had taken it at once.
        const db = new Database(file);
        db.prepare('DELETE FROM cycle_lock').run();
        db.close();
        expect((await elsewhere.acquireCycleLock(other, 60_000)).acquired).toBe(true);
        await new Promise((resolve) => lock.lost.addEventListener('abort', resolve, { once: true }));
        expect(lock.lost.reason).toBeInstanceOf(CycleLockLostError);
      },
      { ttlMs: 1000, renewMs: 100, onWarning: (message) => warnings.push(message) },
    ),
    CycleLockLostError,
  );
  expect(error.code).toBe('cycle_lock_lost');
  expect(warnings).toEqual([error.message]);
  // Releasing on the way out did not take the lock from its new owner.
  const refused = await store.acquireCycleLock({ ...other, token: 'third' }, 60_000);
  expect(refused.acquired === false && refused.holder.token).toBe('other');
});

it('counts the lock lost before its lifetime runs out when renewals cannot reach the store, so no one else holds it yet', async () => {
  const warnings: string[] = [];
  const lock = await acquireCycleLock(store, { ttlMs: 1600, renewMs: 200, onWarning: (message) => warnings.push(message) });
  const lost = new Promise((resolve) => lock.lost.addEventListener('abort', resolve, { once: true }));
  await sleep(300);
  // One renewal went through; from now on this process's connection is gone.
  await store.close();
  await lost;
  // Stopped while the lock is still in the store: nobody else can have started a cycle yet.
  expect(await free()).toBe(false);
  expect(lock.lost.reason).toBeInstanceOf(CycleLockLostError);
  expect(warnings.at(-1)).toMatch(/^could not renew the cycle lock within its lifetime of 1600 ms, so another cycle may take it; the cycle stops/);
  expect(warnings.slice(0, -1).every((warning) => warning.startsWith('could not renew the cycle lock (will try again)'))).toBe(true);
  // The lock lapses by itself afterwards.
  await expect.poll(() => free(), { timeout: 3000 }).toBe(true);
  await expect(lock.release()).rejects.toThrow();
});

it('releases once however often it is asked, and checks its options at once', async () => {
  const lock = await acquireCycleLock(store);
  await Promise.all([lock.release(), lock.release()]);
  await lock.release();
  expect(await free()).toBe(true);
  await expect(acquireCycleLock(store, { ttlMs: 1000, renewMs: 1000 })).rejects.toThrow(RangeError);
  expect(await free()).toBe(true);
});
