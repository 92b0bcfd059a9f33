/**
 * Pure readers for the response headers that tell byline when to come back:
 * Retry-After, Cache-Control max-age and Expires. Each returns null when the
 * header is absent or unreadable, so callers never see NaN.
 */

/**
 * Parses an HTTP date (IMF-fixdate, RFC 850 or asctime form) into a Date, or null.
 * Only values that look like dates are accepted, so "0" or "-1" (common "already
 * expired" Expires values) are not mistaken for epoch timestamps.
 */
export function parseHttpDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const text = value.trim();
  if (!/[a-z]{3}/i.test(text) || !/\d{1,2}:\d{2}:\d{2}/.test(text)) return null;
  // asctime has no zone; HTTP dates are always GMT.
  const withZone = /\b(GMT|UTC|UT|Z)\b|[+-]\d{4}\s*$/i.test(text) ? text : `${text} GMT`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * Retry-After as whole seconds from `now`: delta-seconds, or an HTTP date
 * (rounded up, 0 when already past). Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : null;
  }
  const date = parseHttpDate(text);
  if (date === null) return null;
  return Math.max(0, Math.ceil((date.getTime() - now.getTime()) / 1000));
}

/**
 * Freshness lifetime from Cache-Control: `s-maxage` (byline is a shared cache of
 * sorts) before `max-age`. Null when neither is present and well-formed.
 */
export function parseCacheControlMaxAge(value: string | null | undefined): number | null {
  if (!value) return null;
  const directives = new Map<string, string>();
  for (const part of value.split(',')) {
    const [rawName, ...rawValue] = part.split('=');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    const arg = rawValue.join('=').trim().replace(/^"(.*)"$/, '$1');
    // The first occurrence of a directive counts; later repeats are ignored.
    if (!directives.has(name)) directives.set(name, arg);
  }
  for (const name of ['s-maxage', 'max-age']) {
    const arg = directives.get(name);
    if (arg !== undefined && /^\d+$/.test(arg)) {
      const seconds = Number(arg);
      if (Number.isSafeInteger(seconds)) return seconds;
    }
  }
  return null;
}

/** The Expires header as an ISO 8601 UTC string, or null when absent or not a date. */
export function parseExpires(value: string | null | undefined): string | null {
  return parseHttpDate(value)?.toISOString() ?? null;
}
