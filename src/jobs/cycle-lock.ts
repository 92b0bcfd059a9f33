/**
 * One cycle per store, across processes: the store's cycle lock taken
 * before a cycle, renewed while it runs and released when it ends. A commit
 * rewrites its source's index from what the refresh read (see
 * KeyvStore.commitSource), so a `byline fetch` running beside the daemon's
 * scheduled cycle could otherwise drop articles from an index or refresh a
 * source twice. runCycle itself takes no lock: its callers do (the CLI's
 * fetch and run commands), and the benchmark calls it alone.
 */
import { randomUUID } from 'node:crypto';
import { CycleLockedError, CycleLockLostError } from '../errors.js';
import { ownerProcess, type CycleLockOwner, type Store } from '../store/index.js';

/**
 * How long the lock lasts unless renewed: how long a holder that died
 * without releasing it keeps other cycles out, unless they can see it is
 * gone (a holder on the same machine: see the store's lock-process.ts; one
 * on another host, or lost in a reboot or container restart, they cannot).
 * Two minutes is short next to the default 15-minute schedule, and long enough to
 * ride out renewals that fail or hang: a Redis operation gives up after 10 s,
 * SQLite waits up to 5 s for a busy file, and a long pause of the event loop
 * delays the renewal timer.
 */
export const CYCLE_LOCK_TTL_MS = 120_000;
/** How often the holder renews: four tries per lifetime, so a failed renewal or two cost nothing. */
export const CYCLE_LOCK_RENEW_MS = 30_000;

/**
 * The holder counts its lock lost this long before the lifetime of its last
 * confirmed renewal runs out (measured from when that renewal was sent, on
 * the monotonic clock), so that it stops before another process can take it.
 */
export const CYCLE_LOCK_MARGIN_MS = 5_000;

/** Options of {@link acquireCycleLock} and {@link withCycleLock}. */
export interface CycleLockOptions {
  /** Lifetime of the lock without renewal; default {@link CYCLE_LOCK_TTL_MS}. */
  ttlMs?: number;
  /** Time between renewals, less than `ttlMs`; default {@link CYCLE_LOCK_RENEW_MS}. */
  renewMs?: number;
  /**
   * Told of a lock taken over from a process that ended without releasing it, a renewal that failed, the
   * lock being lost, and a release that failed (the lock then lapses by itself).
   */
  onWarning?: (message: string) => void;
}

/** What a refresh needs of the cycle lock it runs under: its owner, to fence commits with, and a way to report a refused one. */
export interface CycleFence {
  readonly owner: CycleLockOwner;
  /** The store refused a commit made under this lock (it passed to another process): counts it lost. */
  refused(error: CycleLockLostError): void;
}

/** A lock this process holds. */
export interface HeldCycleLock extends CycleFence {
  readonly owner: CycleLockOwner;
  /**
   * Aborted, with a CycleLockLostError, once the lock is no longer ours:
   * taken over after it lapsed, or not renewed for a whole lifetime. The
   * cycle should stop then, since another may already be running.
   */
  readonly lost: AbortSignal;
  /**
   * Stops renewing and releases the lock (once; later calls return the
   * same promise). Rejects with StoreError when the store cannot be reached.
   */
  release(): Promise<void>;
}

/**
 * Takes the store's cycle lock and keeps renewing it until released. Rejects
 * with CycleLockedError, naming the holder, when another process has it.
 */
export async function acquireCycleLock(store: Store, options: CycleLockOptions = {}): Promise<HeldCycleLock> {
  const ttlMs = options.ttlMs ?? CYCLE_LOCK_TTL_MS;
  const renewMs = options.renewMs ?? CYCLE_LOCK_RENEW_MS;
  if (!(renewMs > 0 && renewMs < ttlMs)) throw new RangeError(`cycle lock: renewMs (${renewMs}) must be above 0 and below ttlMs (${ttlMs})`);
  const owner: CycleLockOwner = { token: randomUUID(), ...ownerProcess(), startedAt: new Date().toISOString() };
  const sentAt0 = performance.now();
  const attempt = await store.acquireCycleLock(owner, ttlMs);
  if (!attempt.acquired) throw new CycleLockedError(attempt.holder);
  if (attempt.replaced !== undefined) {
    const { pid, hostname, startedAt } = attempt.replaced;
    options.onWarning?.(`took over the cycle lock of pid ${pid} on ${hostname} (since ${startedAt}), which ended without releasing it`);
  }

  const lost = new AbortController();
  // Below half the slack between renewals, so that renewals on time never run into it.
  const margin = Math.min(CYCLE_LOCK_MARGIN_MS, (ttlMs - renewMs) / 2);
  let timer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let renewing: Promise<void> | undefined;
  let released: Promise<void> | undefined;
  let lastError: unknown;
  const lose = (message: string, cause?: unknown): void => {
    if (lost.signal.aborted) return;
    clearTimeout(timer);
    clearTimeout(deadline);
    lost.abort(new CycleLockLostError(message, { cause }));
    options.onWarning?.(message);
  };
  /**
   * The store counts a lifetime from when it received the request, so ours
   * counts from when it was sent: the lock is lost, at the latest, a margin
   * before that lifetime ends, whether or not a renewal is still on its way.
   */
  const holdUntil = (sentAt: number): void => {
    if (released !== undefined) return;
    clearTimeout(deadline);
    deadline = setTimeout(() => {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      lose(`could not renew the cycle lock within its lifetime of ${ttlMs} ms, so another cycle may take it; the cycle stops${reason}`, lastError);
    }, Math.max(0, sentAt + ttlMs - margin - performance.now()));
    deadline.unref();
  };
  holdUntil(sentAt0);

  /** One renewal; resolves with the wait before the next one, or null once the lock is not ours. */
  const renew = async (): Promise<number | null> => {
    const sentAt = performance.now();
    try {
      if (await store.renewCycleLock(owner, ttlMs)) {
        lastError = undefined;
        holdUntil(sentAt);
        return renewMs;
      }
      lose(`the cycle lock taken at ${owner.startedAt} lapsed before it was renewed, and is no longer this process's; the cycle stops`);
      return null;
    } catch (error) {
      lastError = error;
      const reason = error instanceof Error ? error.message : String(error);
      options.onWarning?.(`could not renew the cycle lock (will try again): ${reason}`);
      // Sooner than usual: the lifetime of the last renewal is running out.
      return lost.signal.aborted ? null : Math.max(1, Math.floor(renewMs / 4));
    }
  };
  const schedule = (wait: number): void => {
    timer = setTimeout(() => {
      renewing = renew().then((next) => {
        renewing = undefined;
        if (next !== null && released === undefined && !lost.signal.aborted) schedule(next);
      });
    }, wait);
    // The lock must not keep a process alive that has nothing else to do.
    timer.unref();
  };
  schedule(renewMs);

  return {
    owner,
    lost: lost.signal,
    refused(error) {
      lose(`the store refused a commit: the cycle lock taken at ${owner.startedAt} is no longer this process's; the cycle stops`, error);
    },
    release() {
      released ??= (async () => {
        clearTimeout(timer);
        clearTimeout(deadline);
        // A renewal still on its way would otherwise find the lock gone and report it lost.
        await renewing;
        await store.releaseCycleLock(owner);
      })();
      return released;
    },
  };
}

/**
 * Runs `work` holding the store's cycle lock, and releases the lock when the
 * work ends, whether it resolves or throws. Rejects with CycleLockedError,
 * without running `work`, when another process holds the lock; with the
 * CycleLockLostError when the lock was lost while `work` ran (which should
 * stop on `lock.lost`).
 */
export async function withCycleLock<T>(store: Store, work: (lock: HeldCycleLock) => Promise<T>, options: CycleLockOptions = {}): Promise<T> {
  const lock = await acquireCycleLock(store, options);
  let value: T;
  try {
    value = await work(lock);
  } finally {
    await lock.release().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      options.onWarning?.(`could not release the cycle lock; it lapses by itself within ${options.ttlMs ?? CYCLE_LOCK_TTL_MS} ms: ${reason}`);
    });
  }
  if (lock.lost.aborted) {
    const reason: unknown = lock.lost.reason;
    throw reason;
  }
  return value;
}
