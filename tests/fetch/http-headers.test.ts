/**
 * Tests of the pure header readers: Retry-After (seconds and HTTP dates),
 * Cache-Control max-age / s-maxage, Expires and the HTTP date formats.
 */
import { describe, expect, it } from 'vitest';
import { parseCacheControlMaxAge, parseExpires, parseHttpDate, parseRetryAfter } from '../../src/fetch/http-headers.js';

const NOW = new Date('2025-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    [' 30 ', 30],
    ['0', 0],
    ['Sat, 01 Mar 2025 12:01:30 GMT', 90],
    ['Saturday, 01-Mar-25 12:00:10 GMT', 10],
    ['Sat Mar  1 12:00:05 2025', 5],
    ['Sat, 01 Mar 2025 11:00:00 GMT', 0], // already past
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['', null],
    [null, null],
    [undefined, null],
  ] as const)('%s -> %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('rounds a date a fraction of a second away up to a whole second', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:01 GMT', new Date('2025-03-01T12:00:00.300Z'))).toBe(1);
  });
});

describe('parseCacheControlMaxAge', () => {
  it.each([
    ['max-age=300', 300],
    ['public, max-age=600', 600],
    ['MAX-AGE=60', 60],
    ['max-age="120"', 120],
    ['max-age=60, s-maxage=3600', 3600],
    ['s-maxage=10', 10],
    ['max-age=0, must-revalidate', 0],
    ['max-age=10, max-age=20', 10],
    ['no-cache', null],
    ['max-age=-1', null],
    ['max-age=abc', null],
    ['max-age', null],
    ['', null],
    [null, null],
  ] as const)('%s -> %s', (value, expected) => {
    expect(parseCacheControlMaxAge(value)).toBe(expected);
  });
});

describe('parseExpires and parseHttpDate', () => {
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
    ['Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
    ['Sun Nov  6 08:49:37 1994', '1994-11-06T08:49:37.000Z'],
    ['Thu, 01 Jan 2026 00:00:00 +0000', '2026-01-01T00:00:00.000Z'],
    ['0', null],
    ['-1', null],
    ['1700000000', null],
    ['not a date', null],
    ['Sun, 99 Nov 1994 08:49:37 GMT', null],
    [null, null],
  ] as const)('%s -> %s', (value, expected) => {
    expect(parseExpires(value)).toBe(expected);
    expect(parseHttpDate(value)?.toISOString() ?? null).toBe(expected);
  });
});
