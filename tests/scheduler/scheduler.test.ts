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
    const scheduler = createScheduler({
      groups: [{ expression: '* * * * * *', sourceIds: ['a'] }],
      runCycle: async () => {
        seen.push(Date.now());
      },
    });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 2600));
    await scheduler.stop();
    const count = seen.length;
    expect(count).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(seen.length).toBe(count);
  });
});
