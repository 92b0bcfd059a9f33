/**
 * When to check a source next, pure. A healthy source waits the longest of
 * what the feed and server ask for (ttl, Cache-Control max-age, Expires,
 * Retry-After); a failing one backs off exponentially with jitter. Both are
 * clamped between the operator's floor and ceiling, and moved out of the
 * hours and days the feed asks not to be read in; the cron schedule then
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
  /** Hours (0-23, UTC) the feed asks not to be read in (RSS `<skipHours>`). */
  skipHours?: readonly number[];
  /** Days (0 = Sunday, UTC) the feed asks not to be read on (RSS `<skipDays>`). */
  skipDays?: readonly number[];
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
  const next = now.getTime() + clamp(Math.max(...waits), limits);
  return new Date(outsideSkipped(next, hints, now.getTime() + limits.maxIntervalMinutes * MINUTE));
}

const HOUR = 60 * MINUTE;

/**
 * The first whole UTC hour at or after `at` that the feed's skipHours and
 * skipDays leave open (`at` itself when it is open). The operator's ceiling
 * still wins: a feed skipping the whole weekend is read at the ceiling if
 * that comes first, as a long ttl would be. A list that closes every hour or
 * every day is a broken feed, not a request never to be read, and is ignored.
 */
function outsideSkipped(at: number, hints: SuccessHints, ceiling: number): number {
  let open = at;
  // A week of hours visits every hour of every day, so an open one comes within it.
  for (let step = 0; step < 7 * 24 && isSkippedAt(new Date(open), hints); step++) open = (Math.floor(open / HOUR) + 1) * HOUR;
  return Math.min(open, ceiling);
}

/**
 * Whether `at` falls in an hour or on a day the feed asks not to be read
 * in. The cycle asks it too, at the tick that would fetch: the schedule
 * rounds a next-check time up to its tick, which may be in a skipped hour.
 * A list closing every hour or every day is ignored (see outsideSkipped).
 */
export function isSkippedAt(at: Date, hints: Pick<SuccessHints, 'skipHours' | 'skipDays'>): boolean {
  const hours = hints.skipHours ?? [];
  const days = hints.skipDays ?? [];
  if (new Set(hours).size >= 24 || new Set(days).size >= 7) return false;
  return hours.includes(at.getUTCHours()) || days.includes(at.getUTCDay());
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
