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
