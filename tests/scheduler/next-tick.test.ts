/**
 * The first tick of a cron schedule at or after a time, as the health view
 * shows a source's next check. Times are built in local time, as node-cron
 * reads its expressions.
 */
import { describe, expect, it } from 'vitest';
import { firstTickAtOrAfter } from '../../src/scheduler/index.js';

const local = (year: number, month: number, day: number, hour: number, minute: number, second = 0): Date => new Date(year, month - 1, day, hour, minute, second);

describe('firstTickAtOrAfter', () => {
  it.each([
    { name: 'a time between two ticks', expression: '*/15 * * * *', at: local(2026, 11, 27, 13, 0, 8), tick: local(2026, 11, 27, 13, 15) },
    { name: 'a time on a tick', expression: '*/15 * * * *', at: local(2026, 11, 27, 13, 15), tick: local(2026, 11, 27, 13, 15) },
    { name: 'a daily schedule', expression: '0 0 * * *', at: local(2026, 11, 27, 13, 0, 8), tick: local(2026, 11, 28, 0, 0) },
    { name: 'weekdays only, from a Friday evening', expression: '0 9 * * MON-FRI', at: local(2026, 11, 27, 18, 0), tick: local(2026, 11, 30, 9, 0) },
    { name: 'a schedule with seconds', expression: '*/10 * * * * *', at: local(2026, 11, 27, 13, 0, 41), tick: local(2026, 11, 27, 13, 0, 50) },
    { name: 'the last minutes of a day', expression: '59 23 * * *', at: local(2026, 11, 27, 23, 59, 30), tick: local(2026, 11, 28, 23, 59) },
  ])('$name', ({ expression, at, tick }) => {
    expect(firstTickAtOrAfter(expression, at)?.getTime()).toBe(tick.getTime());
  });

  it('gives up on a schedule without a tick in the next days, and on an invalid one', () => {
    expect(firstTickAtOrAfter('0 0 1 1 *', local(2026, 3, 1, 0, 0))).toBeNull();
    expect(firstTickAtOrAfter('every minute', local(2026, 3, 1, 0, 0))).toBeNull();
  });
});
