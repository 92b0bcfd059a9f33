/**
 * When to check a source next, pure. A healthy source waits the longest of
 * what the feed and server ask for (ttl, Cache-Control max-age, Expires,
 * Retry-After); a failing one backs off exponentially with jitter. Both are
 * clamped between the operator's floor and ceiling; the cron schedule then
 * picks the first tick at or after that time.
 */

export interface IntervalLimits {
  minIntervalMinutes: number;
  maxIntervalMinutes: number;
}

export interface SuccessHints {
  ttlMinutes?: number | null;
  maxAgeSeconds?: number | null;
  expiresAt?: string | null;
  retryAfterSeconds?: number | null;
}

const MINUTE = 60_000;

function clamp(ms: number, limits: IntervalLimits): number {
  return Math.min(Math.max(ms, limits.minIntervalMinutes * MINUTE), limits.maxIntervalMinutes * MINUTE);
}

/** Next attempt after a successful fetch (200 or 304). */
export function nextAfterSuccess(now: Date, hints: SuccessHints, limits: IntervalLimits): Date {
  const waits = [0];
  if (hints.ttlMinutes && hints.ttlMinutes > 0) waits.push(hints.ttlMinutes * MINUTE);
  if (hints.maxAgeSeconds && hints.maxAgeSeconds > 0) waits.push(hints.maxAgeSeconds * 1000);
  if (hints.expiresAt) {
    const expires = Date.parse(hints.expiresAt);
    if (Number.isFinite(expires)) waits.push(expires - now.getTime());
  }
  if (hints.retryAfterSeconds && hints.retryAfterSeconds > 0) waits.push(hints.retryAfterSeconds * 1000);
  return new Date(now.getTime() + clamp(Math.max(...waits), limits));
}

/**
 * Next attempt after the n-th consecutive failure: floor x 2^(n-1), +-20 %
 * jitter so that many sources failing together do not retry together, never
 * sooner than Retry-After, never later than the ceiling.
 */
export function nextAfterFailure(
  now: Date,
  consecutiveErrors: number,
  limits: IntervalLimits,
  options: { retryAfterSeconds?: number | null; random?: () => number } = {},
): Date {
  const random = options.random ?? Math.random;
  const floor = Math.max(limits.minIntervalMinutes * MINUTE, MINUTE);
  const exponent = Math.min(Math.max(consecutiveErrors - 1, 0), 30);
  const base = floor * 2 ** exponent;
  const jittered = base * (0.8 + 0.4 * random());
  const wait = Math.max(jittered, (options.retryAfterSeconds ?? 0) * 1000);
  return new Date(now.getTime() + clamp(wait, limits));
}
