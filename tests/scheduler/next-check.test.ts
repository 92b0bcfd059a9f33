import { describe, expect, it } from 'vitest';
import { nextAfterFailure, nextAfterSuccess } from '../../src/scheduler/index.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const LIMITS = { minIntervalMinutes: 5, maxIntervalMinutes: 24 * 60 };
const minutesUntil = (date: Date): number => (date.getTime() - NOW.getTime()) / 60_000;

describe('nextAfterSuccess', () => {
  it.each([
    ['no hints: the floor', {}, 5],
    ['ttl 60', { ttlMinutes: 60 }, 60],
    ['max-age 1800 s', { maxAgeSeconds: 1800 }, 30],
    ['Expires in 2 h', { expiresAt: '2026-11-26T14:00:00.000Z' }, 120],
    ['Expires in the past: the floor', { expiresAt: '2026-11-26T11:00:00.000Z' }, 5],
    ['Retry-After 600 s', { retryAfterSeconds: 600 }, 10],
    ['the largest wins', { ttlMinutes: 60, maxAgeSeconds: 7200, retryAfterSeconds: 60 }, 120],
    ['a week of ttl is clamped to the ceiling', { ttlMinutes: 7 * 24 * 60 }, 24 * 60],
    ['max-age 10 s is raised to the floor', { maxAgeSeconds: 10 }, 5],
  ])('%s', (_name, hints, minutes) => {
    expect(minutesUntil(nextAfterSuccess(NOW, hints, LIMITS))).toBeCloseTo(minutes, 5);
  });
});

describe('nextAfterSuccess: skipHours and skipDays', () => {
  // NOW is Thursday 2026-11-26 12:00 UTC; ttl 60 puts the next check at 13:00.
  const at = (hints: object): string => nextAfterSuccess(NOW, { ttlMinutes: 60, ...hints }, LIMITS).toISOString();

  it('moves the next check to the first hour the feed leaves open', () => {
    expect(at({ skipHours: [13, 14, 15] })).toBe('2026-11-26T16:00:00.000Z');
    // An open hour is kept as it is, minutes included.
    expect(at({ skipHours: [12] })).toBe('2026-11-26T13:00:00.000Z');
    expect(nextAfterSuccess(NOW, { ttlMinutes: 90, skipHours: [12] }, LIMITS).toISOString()).toBe('2026-11-26T13:30:00.000Z');
  });

  it('skips whole days, and hours and days together', () => {
    expect(at({ skipDays: [4] })).toBe('2026-11-27T00:00:00.000Z');
    expect(at({ skipDays: [4], skipHours: [0, 1] })).toBe('2026-11-27T02:00:00.000Z');
  });

  it('wraps around midnight', () => {
    const late = new Date('2026-11-26T22:30:00.000Z');
    expect(nextAfterSuccess(late, { ttlMinutes: 60, skipHours: [23, 0, 1] }, LIMITS).toISOString()).toBe('2026-11-27T02:00:00.000Z');
  });

  it('never waits past the operator ceiling', () => {
    const limits = { minIntervalMinutes: 5, maxIntervalMinutes: 6 * 60 };
    const skipped = nextAfterSuccess(NOW, { ttlMinutes: 60, skipDays: [4, 5, 6] }, limits);
    expect(minutesUntil(skipped)).toBe(6 * 60);
  });

  it('ignores a list that closes every hour or every day', () => {
    expect(at({ skipHours: Array.from({ length: 24 }, (_, hour) => hour) })).toBe('2026-11-26T13:00:00.000Z');
    expect(at({ skipDays: [0, 1, 2, 3, 4, 5, 6] })).toBe('2026-11-26T13:00:00.000Z');
  });
});

describe('nextAfterFailure', () => {
  const mid = () => 0.5; // no jitter
  it.each([
    [1, 5],
    [2, 10],
    [3, 20],
    [6, 160],
    [10, 24 * 60],
    [40, 24 * 60],
  ])('error #%i waits %i minutes', (errors, minutes) => {
    expect(minutesUntil(nextAfterFailure(NOW, errors, LIMITS, { random: mid }))).toBeCloseTo(minutes, 5);
  });

  it('jitters within +-20 %', () => {
    expect(minutesUntil(nextAfterFailure(NOW, 3, LIMITS, { random: () => 0 }))).toBeCloseTo(16, 5);
    expect(minutesUntil(nextAfterFailure(NOW, 3, LIMITS, { random: () => 0.999999 }))).toBeCloseTo(24, 3);
  });

  it('never retries before Retry-After, and never after the ceiling', () => {
    expect(minutesUntil(nextAfterFailure(NOW, 1, LIMITS, { retryAfterSeconds: 3600, random: mid }))).toBeCloseTo(60, 5);
    expect(minutesUntil(nextAfterFailure(NOW, 1, LIMITS, { retryAfterSeconds: 10 ** 7, random: mid }))).toBe(24 * 60);
  });
});
