/**
 * Small FIFO semaphores that bound how many fetches run at once, in all and
 * per host. Waiting is abortable, and a slot is handed straight to the next
 * waiter on release so nobody can jump the queue.
 */

/** Gives a slot back; calling it more than once is harmless. */
export type Release = () => void;

interface Waiter {
  grant: (release: Release) => void;
}

/** A counting semaphore with a FIFO queue. */
export class Semaphore {
  readonly limit: number;
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be >= 1, got ${limit}`);
    this.limit = limit;
  }

  /** Slots currently held. */
  get inUse(): number {
    return this.active;
  }

  /** True when no slot is held and nobody waits. */
  get idle(): boolean {
    return this.active === 0 && this.queue.length === 0;
  }

  /** Resolves with a Release once a slot is free; rejects with `signal.reason` if aborted first. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index !== -1) this.queue.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // The slot passes to the next waiter without ever looking free.
      if (next) next.grant(this.releaser());
      else this.active -= 1;
    };
  }
}

/**
 * A global limit plus a limit per key (host). A per-key semaphore exists only
 * while someone holds or waits for it, so hosts seen once leave nothing behind.
 */
export class KeyedLimiter {
  private readonly global: Semaphore;
  private readonly perKeyLimit: number;
  private readonly perKey = new Map<string, Semaphore>();

  constructor(globalLimit: number, perKeyLimit: number) {
    this.global = new Semaphore(globalLimit);
    this.perKeyLimit = perKeyLimit;
  }

  /** Slots held across all keys. */
  get inUse(): number {
    return this.global.inUse;
  }

  /** Number of keys with a live semaphore (for tests and diagnostics). */
  get trackedKeys(): number {
    return this.perKey.size;
  }

  /**
   * Takes the key's slot first, then a global one: a request stuck behind its own
   * host must not sit on a global slot other hosts could use.
   */
  async acquire(key: string, signal?: AbortSignal): Promise<Release> {
    let semaphore = this.perKey.get(key);
    if (!semaphore) {
      semaphore = new Semaphore(this.perKeyLimit);
      this.perKey.set(key, semaphore);
    }
    const keySemaphore = semaphore;
    const forget = (): void => {
      if (keySemaphore.idle && this.perKey.get(key) === keySemaphore) this.perKey.delete(key);
    };
    let releaseKey: Release;
    try {
      releaseKey = await keySemaphore.acquire(signal);
    } catch (error) {
      forget();
      throw error;
    }
    let releaseGlobal: Release;
    try {
      releaseGlobal = await this.global.acquire(signal);
    } catch (error) {
      releaseKey();
      forget();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      releaseGlobal();
      releaseKey();
      forget();
    };
  }
}
