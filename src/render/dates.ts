/**
 * Date formatting for the outputs, by hand and in UTC: RFC 822 for RSS,
 * RFC 3339 for Atom and JSON Feed, a short readable form for the HTML page.
 * Nothing here reads the process locale or time zone, so two hosts render
 * the same bytes.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** The first and last instants with a four-digit year in UTC, the only years RFC 822 and RFC 3339 can write. */
const EARLIEST = Date.parse('0000-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

function toDate(iso: string): Date {
  const time = new Date(iso).getTime();
  // Model dates are validated ISO strings; an invalid one here is a bug upstream,
  // and printing "NaN" into a feed would hide it.
  if (Number.isNaN(time)) throw new RangeError(`render: invalid date "${iso}"`);
  // A valid offset can carry a date at either end of the range into year -1 or 10000 in UTC.
  return new Date(Math.min(Math.max(time, EARLIEST), LATEST));
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** RFC 822 (with RFC 1123 four-digit year) in UTC: `Tue, 05 Mar 2024 10:00:00 +0000`. */
export function formatRfc822(iso: string): string {
  const d = toDate(iso);
  const day = DAYS[d.getUTCDay()] ?? 'Sun';
  const month = MONTHS[d.getUTCMonth()] ?? 'Jan';
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${day}, ${pad(d.getUTCDate())} ${month} ${pad(d.getUTCFullYear(), 4)} ${time} +0000`;
}

/** RFC 3339 in UTC, without a fractional part when it is zero: `2024-03-05T10:00:00Z`. */
export function formatIsoUtc(iso: string): string {
  return toDate(iso).toISOString().replace('.000Z', 'Z');
}

/** A compact readable UTC time for people: `2024-03-05 10:00 UTC`. */
export function formatHumanUtc(iso: string): string {
  const d = toDate(iso);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** The latest of some ISO dates, or `fallback` when there are none. */
export function latestIso(dates: readonly string[], fallback: string): string {
  let best = fallback;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const iso of dates) {
    const time = toDate(iso).getTime();
    if (time > bestTime) {
      best = iso;
      bestTime = time;
    }
  }
  return best;
}
