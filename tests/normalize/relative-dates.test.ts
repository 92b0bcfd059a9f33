/** parseRelativeDate: the relative and partial dates Chinese-language sites print, read against the fetch time. */
import { describe, expect, it } from 'vitest';
import { parseRelativeDate } from '../../src/normalize/relative-dates.js';

// 14:20 on 26 November 2026 in China.
const NOW = new Date('2026-11-26T06:20:00.000Z');

const VALID: ReadonlyArray<readonly [input: string, expected: string]> = [
  ['刚刚', '2026-11-26T06:20:00.000Z'],
  ['30秒前', '2026-11-26T06:19:30.000Z'],
  ['5分钟前', '2026-11-26T06:15:00.000Z'],
  ['3小时前', '2026-11-26T03:20:00.000Z'],
  ['3个小时前', '2026-11-26T03:20:00.000Z'],
  ['0分钟前', '2026-11-26T06:20:00.000Z'],
  ['150分钟前', '2026-11-26T03:50:00.000Z'],
  ['2天前', '2026-11-24T06:20:00.000Z'],
  // Day words and month-days are China time: today began at 16:00 UTC the day before.
  ['今天 09:05', '2026-11-26T01:05:00.000Z'],
  ['今天 00:30', '2026-11-25T16:30:00.000Z'],
  ['今天 14:20:30', '2026-11-26T06:20:30.000Z'],
  ['昨天 09:05', '2026-11-25T01:05:00.000Z'],
  ['前天 21:00', '2026-11-24T13:00:00.000Z'],
  ['11月26日', '2026-11-25T16:00:00.000Z'],
  ['11月26日 14:30', '2026-11-26T06:30:00.000Z'],
  ['11月26号 14:30', '2026-11-26T06:30:00.000Z'],
  ['1月5日 08:00', '2026-01-05T00:00:00.000Z'],
  // Less than a day ahead is this year's (a site's clock a little fast); further ahead, last year's.
  ['11月27日', '2026-11-26T16:00:00.000Z'],
  ['11月28日', '2025-11-27T16:00:00.000Z'],
  ['12月31日 23:59:59', '2025-12-31T15:59:59.000Z'],
  // Full-width digits and colons, as Chinese input methods type them.
  ['３小时前', '2026-11-26T03:20:00.000Z'],
  ['昨天 ０９：０５', '2026-11-25T01:05:00.000Z'],
  ['１１月２６日　１４：３０', '2026-11-26T06:30:00.000Z'],
  // Whitespace around and inside.
  ['  3 小时前 ', '2026-11-26T03:20:00.000Z'],
  ['\t昨天09:05\n', '2026-11-25T01:05:00.000Z'],
  ['　11 月 26 日　', '2026-11-25T16:00:00.000Z'],
  ['11月26日  14:30', '2026-11-26T06:30:00.000Z'],
  // Traditional characters (Taiwan, Hong Kong).
  ['剛剛', '2026-11-26T06:20:00.000Z'],
  ['3小時前', '2026-11-26T03:20:00.000Z'],
  ['3個小時前', '2026-11-26T03:20:00.000Z'],
  ['5分鐘前', '2026-11-26T06:15:00.000Z'],
  ['11月26號', '2026-11-25T16:00:00.000Z'],
  // Weeks, months and years; months and years are calendar ones in China.
  ['3周前', '2026-11-05T06:20:00.000Z'],
  ['1週前', '2026-11-19T06:20:00.000Z'],
  ['2个星期前', '2026-11-12T06:20:00.000Z'],
  ['1個禮拜前', '2026-11-19T06:20:00.000Z'],
  ['2个月前', '2026-09-26T06:20:00.000Z'],
  ['1個月前', '2026-10-26T06:20:00.000Z'],
  ['3年前', '2023-11-26T06:20:00.000Z'],
  ['400天前', '2025-10-22T06:20:00.000Z'],
  // Halves and Chinese numerals.
  ['半小时前', '2026-11-26T05:50:00.000Z'],
  ['半个月前', '2026-11-11T06:20:00.000Z'],
  ['半年前', '2026-05-26T06:20:00.000Z'],
  ['三天前', '2026-11-23T06:20:00.000Z'],
  ['十天前', '2026-11-16T06:20:00.000Z'],
  ['十五分钟前', '2026-11-26T06:05:00.000Z'],
  ['二十分钟前', '2026-11-26T06:00:00.000Z'],
  ['两个小时前', '2026-11-26T04:20:00.000Z'],
  ['兩個鐘頭前', '2026-11-26T04:20:00.000Z'],
  // The short units of Taiwan and Hong Kong sites.
  ['5分前', '2026-11-26T06:15:00.000Z'],
  ['3日前', '2026-11-23T06:20:00.000Z'],
  // A day word alone is the start of that day in China.
  ['今天', '2026-11-25T16:00:00.000Z'],
  ['昨天', '2026-11-24T16:00:00.000Z'],
  ['前天', '2026-11-23T16:00:00.000Z'],
];

const INVALID: ReadonlyArray<string | null | undefined> = [
  null,
  undefined,
  '',
  '   ',
  'garbage',
  '13月1日',
  '0月5日',
  '11月0日',
  '11月31日',
  '11月26日 25:00',
  '今天 25:61',
  '今天 14:60',
  '昨天 24:00',
  '前天 09:05:60',
  '99999天前',
  '999999999秒前',
  '-3小时前',
  '3小时后',
  '明天 09:00',
  '刚刚发布',
  '11月26日 garbage',
  '2026-11-26T08:00:00Z',
  '11年前',
  '几天前',
  '百天前',
  '3月前',
  '两十分钟前',
  '十十天前',
  '一二天前',
  '二十二十天前',
  '半 前',
];

describe('parseRelativeDate', () => {
  it.each(VALID)('reads %j', (input, expected) => {
    expect(parseRelativeDate(input, NOW)?.toISOString()).toBe(expected);
  });

  it.each(INVALID.map((value) => [value] as const))('rejects %j', (input) => {
    expect(parseRelativeDate(input, NOW)).toBeNull();
  });

  it('gives a month-day of the year before once it would be ahead of the fetch: 12月31日 read on 1 January', () => {
    expect(parseRelativeDate('12月31日', new Date('2027-01-01T00:00:00.000Z'))?.toISOString()).toBe('2026-12-30T16:00:00.000Z');
    expect(parseRelativeDate('12月31日 22:00', new Date('2027-01-01T12:00:00.000Z'))?.toISOString()).toBe('2026-12-31T14:00:00.000Z');
  });

  it('takes the coming year\'s 1 January on 31 December, and tomorrow\'s date late in the day', () => {
    // 23:59 on 31 December in China; a site a minute fast already writes the new year's first day.
    expect(parseRelativeDate('1月1日 00:00', new Date('2026-12-31T15:59:00.000Z'))?.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    // 22:20 on 26 November in China: 27 November, even late that day, is this year's.
    expect(parseRelativeDate('11月27日 23:59', new Date('2026-11-26T14:20:00.000Z'))?.toISOString()).toBe('2026-11-27T15:59:00.000Z');
  });

  it('counts the year in China, where the new year starts eight hours before UTC', () => {
    // 20:00 UTC on 31 December is 04:00 on 1 January in China.
    expect(parseRelativeDate('1月1日 02:00', new Date('2026-12-31T20:00:00.000Z'))?.toISOString()).toBe('2026-12-31T18:00:00.000Z');
  });

  it('takes 29 February from the last year that had one', () => {
    expect(parseRelativeDate('2月29日', new Date('2029-03-01T00:00:00.000Z'))?.toISOString()).toBe('2028-02-28T16:00:00.000Z');
    expect(parseRelativeDate('2月29日', new Date('2027-03-01T00:00:00.000Z'))).toBeNull();
  });

  it('counts months back on China\'s calendar: the 31st becomes the month\'s last day, across a year', () => {
    // Noon on 31 March 2026 in China.
    expect(parseRelativeDate('1个月前', new Date('2026-03-31T04:00:00.000Z'))?.toISOString()).toBe('2026-02-28T04:00:00.000Z');
    expect(parseRelativeDate('2个月前', new Date('2026-01-15T04:00:00.000Z'))?.toISOString()).toBe('2025-11-15T04:00:00.000Z');
    expect(parseRelativeDate('1年前', new Date('2028-02-29T04:00:00.000Z'))?.toISOString()).toBe('2027-02-28T04:00:00.000Z');
    // 01:00 on 26 November in China is still the 25th in UTC.
    expect(parseRelativeDate('1个月前', new Date('2026-11-25T17:00:00.000Z'))?.toISOString()).toBe('2026-10-25T17:00:00.000Z');
  });

  it('reads the same text as another instant at another fetch', () => {
    const later = new Date(NOW.getTime() + 30 * 60_000);
    expect(parseRelativeDate('3小时前', later)?.toISOString()).toBe('2026-11-26T03:50:00.000Z');
  });
});
