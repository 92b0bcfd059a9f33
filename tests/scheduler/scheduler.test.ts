import { describe, expect, it } from 'vitest';
import { createScheduler, groupBySchedule } from '../../src/scheduler/index.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('groupBySchedule', () => {
  it('groups sources by their own schedule or the global one', () => {
    expect(
      groupBySchedule([{ id: 'a' }, { id: 'b', schedule: '0 * * * *' }, { id: 'c' }], '*/15 * * * *'),
    ).toEqual([
      { expression: '*/15 * * * *', sourceIds: ['a', 'c'] },
      { expression: '0 * * * *', sourceIds: ['b'] },
    ]);
  });
});

describe('createScheduler', () => {
  it('refuses an invalid cron expression at once', () => {
    expect(() => createScheduler({ groups: [{ expression: 'nope', sourceIds: [] }], runCycle: async () => {} })).toThrow(
      /invalid cron expression "nope"/,
    );
  });

  it('never runs two cycles at a time and merges ticks that arrive meanwhile', async () => {
    const gate = deferred();
    const calls: string[][] = [];
    let active = 0;
    let maxActive = 0;
    const scheduler = createScheduler({
      groups: [{ expression: '*/15 * * * *', sourceIds: ['a', 'b'] }],
      runCycle: async (ids) => {
        calls.push([...ids]);
        active++;
        maxActive = Math.max(maxActive, active);
        if (calls.length === 1) await gate.promise;
        active--;
      },
    });
    const first = scheduler.trigger(['a']);
    void scheduler.trigger(['b']);
    void scheduler.trigger(['a', 'b']);
    expect(scheduler.running).toBe(true);
    gate.resolve();
    await first;
    expect(calls).toEqual([['a'], ['b', 'a']]);
    expect(maxActive).toBe(1);
    expect(scheduler.running).toBe(false);
  });

  it('tells each cycle the latest tick it runs for, and none when only asked without one', async () => {
    const gate = deferred();
    const calls: Array<[string[], Date | null]> = [];
    const scheduler = createScheduler({
      groups: [{ expression: '*/15 * * * *', sourceIds: ['a', 'b'] }],
      runCycle: async (ids, scheduledAt) => {
        calls.push([[...ids], scheduledAt]);
        if (calls.length === 1) await gate.promise;
      },
    });
    const noon = new Date('2026-11-26T12:00:00.000Z');
    const quarter = new Date('2026-11-26T12:15:00.000Z');
    const first = scheduler.trigger(['a'], noon);
    void scheduler.trigger(['b'], quarter);
    void scheduler.trigger(['a'], noon);
    gate.resolve();
    await first;
    await scheduler.trigger();
    expect(calls).toEqual([
      [['a'], noon],
      [['b', 'a'], quarter],
      [['a', 'b'], null],
    ]);
  });

  it('keeps going after a cycle throws, reporting the error', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const scheduler = createScheduler({
      groups: [{ expression: '* * * * *', sourceIds: ['a'] }],
      runCycle: async () => {
        runs++;
        throw new Error('boom');
      },
      onError: (error) => errors.push(error),
    });
    await scheduler.trigger();
    await scheduler.trigger();
    expect(runs).toBe(2);
    expect(errors).toHaveLength(2);
  });

  it('fires on the cron schedule and stops cleanly', async () => {
    const seen: number[] = [];
    const ticks: Array<Date | null> = [];
    const scheduler = createScheduler({
      groups: [{ expression: '* * * * * *', sourceIds: ['a'] }],
      runCycle: async (_ids, scheduledAt) => {
        seen.push(Date.now());
        ticks.push(scheduledAt);
      },
    });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 2600));
    await scheduler.stop();
    const count = seen.length;
    expect(count).toBeGreaterThanOrEqual(2);
    // Each cycle is told its tick: a whole second, not after the cycle began (give or take a timer's slack).
    ticks.forEach((tick, i) => {
      expect(tick!.getTime() % 1000).toBe(0);
      expect(tick!.getTime()).toBeLessThanOrEqual(seen[i]! + 1000);
      expect(seen[i]! - tick!.getTime()).toBeLessThan(1000);
    });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(seen.length).toBe(count);
  });
});
