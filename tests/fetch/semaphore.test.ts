/**
 * Tests of the concurrency primitives: FIFO hand-over, abortable waits, the
 * per-key limit on top of the global one, and cleanup of idle keys.
 */
import { describe, expect, it } from 'vitest';
import { KeyedLimiter, Semaphore, type Release } from '../../src/fetch/semaphore.js';

/** Lets pending promise callbacks run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('grants up to its limit at once and queues the rest in order', async () => {
    const semaphore = new Semaphore(2);
    const order: number[] = [];
    const releases: Release[] = [];
    for (let i = 0; i < 5; i += 1) {
      void semaphore.acquire().then((release) => {
        order.push(i);
        releases.push(release);
      });
    }
    await tick();
    expect(order).toEqual([0, 1]);
    expect(semaphore.inUse).toBe(2);
    releases[0]?.();
    await tick();
    expect(order).toEqual([0, 1, 2]);
    expect(semaphore.inUse).toBe(2);
    releases[0]?.(); // releasing twice must not free a second slot
    await tick();
    expect(order).toEqual([0, 1, 2]);
    releases.slice(1).forEach((release) => release());
    await tick();
    expect(order).toEqual([0, 1, 2, 3, 4]);
    releases.forEach((release) => release());
    expect(semaphore.idle).toBe(true);
  });

  it('drops an aborted waiter from the queue and rejects with the reason', async () => {
    const semaphore = new Semaphore(1);
    const first = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    first();
    expect(semaphore.idle).toBe(true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const semaphore = new Semaphore(1);
    const controller = new AbortController();
    controller.abort(new Error('early'));
    await expect(semaphore.acquire(controller.signal)).rejects.toThrow('early');
    expect(semaphore.inUse).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('KeyedLimiter', () => {
  it('bounds each key and the total, and runs different keys side by side', async () => {
    const limiter = new KeyedLimiter(3, 2);
    const granted: string[] = [];
    const releases: Release[] = [];
    for (const key of ['a', 'a', 'a', 'b', 'b']) {
      void limiter.acquire(key).then((release) => {
        granted.push(key);
        releases.push(release);
      });
    }
    await tick();
    // a, a (per-key limit), then b takes the last global slot; the third a and second b wait.
    expect(granted).toEqual(['a', 'a', 'b']);
    expect(limiter.inUse).toBe(3);
    releases[0]?.();
    await tick();
    expect(granted).toHaveLength(4);
    expect(limiter.inUse).toBe(3);
    releases.forEach((release) => release());
    await tick();
    releases.forEach((release) => release());
    expect(limiter.inUse).toBe(0);
    expect(limiter.trackedKeys).toBe(0);
  });

  it('gives the key slot back when the wait for a global slot is aborted', async () => {
    const limiter = new KeyedLimiter(1, 1);
    const holder = await limiter.acquire('a');
    const controller = new AbortController();
    const waiting = limiter.acquire('b', controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    holder();
    // b's key slot was released: a fresh b gets in at once.
    const again = await limiter.acquire('b');
    again();
    expect(limiter.trackedKeys).toBe(0);
  });
});
