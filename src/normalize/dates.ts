/**
 * Turns the date strings feeds actually contain into instants: RFC 822/1123/2822,
 * ISO 8601 / RFC 3339 (extended and basic), epoch digits, and the common
 * locale-ish forms generators emit. Anything ambiguous beyond repair is `null`,
 * never a guess dressed up as a date. A date without a zone is read as UTC,
 * unless the feed's zone names say otherwise (see ZoneNames).
 * Full-width digits read as ASCII; `3小时前` and `11月26日` are relative-dates.ts's.
 */
import { FILLER_WORDS, MONTHS, WEEKDAYS, ZONE_NAMES, daysInMonth, foldFullWidth, militaryZoneOffset, rewriteCjkDate } from './date-words.js';

interface Fields {
  year: number | null;
  month: number | null;
  day: number | null;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC. */
  offset: number | null;
  /** A numeric offset outranks a zone name ("GMT+0800", "+0800 (CST)"). */
  offsetIsNumeric: boolean;
  meridiem: 'am' | 'pm' | null;
  hasTime: boolean;
}

const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

/** Offsets in minutes east of UTC by lower-case zone name; the empty name is a zone-less date's (else UTC). */
export type ZoneNames = ReadonlyMap<string, number>;

/**
 * Parses a feed date string into a Date, or `null` when it is missing or not a
 * date we can read without guessing. Years below 1000 (e.g. the `0001-01-01`
 * "zero date" some generators write) count as missing, and so does the Unix
 * epoch itself (`Thu, 01 Jan 1970 00:00:00 +0000`, what a generator prints for
 * a timestamp of 0 when it has no date). `zones` says what the feed means by a
 * zone name (see feed-zones.ts).
 */
export function parseDate(value: string | null | undefined, zones: ZoneNames = ZONE_NAMES): Date | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 200) return null;
  const text = foldFullWidth(trimmed);
  try {
    const zoneless = zones.get('') ?? 0;
    return parseCommonShape(text, zones, zoneless) ?? parseDigitsOnly(text, zoneless) ?? parseIsoBasic(text, zoneless) ?? parseTokens(text, zones, zoneless);
  } catch {
    // Defensive: a parser bug must read as "no date", never take down a feed.
    return null;
  }
}

// The two shapes nearly every feed writes, read in one match. parseTokens reads them the same way.
const RFC_1123 = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:(GMT|UTC|UT|Z|[ECMP][SD]T)|([+-]\d{4}))$/;
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-]\d{2}:\d{2}))$/;

/** `Thu, 26 Nov 2026 08:00:00 GMT` and `2026-11-26T08:00:00.5+01:00`, without tokenizing; null for anything else. */
function parseCommonShape(text: string, zones: ZoneNames, zoneless: number): Date | null {
  const rfc = RFC_1123.exec(text);
  // Either way: year, month, day, hour, minute, second, fraction, zone name, numeric offset.
  const parts = rfc
    ? [rfc[3], String(MONTHS.get((rfc[2] ?? '').toLowerCase())), rfc[1], rfc[4], rfc[5], rfc[6], undefined, rfc[7], rfc[8]]
    : RFC_3339.exec(text)?.slice(1);
  if (!parts) return null;
  const [year, month, day, hour, minute, second, fraction, zoneName, offset] = parts;
  const fields = fieldsWith({ year: Number(year), month: Number(month), day: Number(day) });
  Object.assign(fields, { hasTime: true, hour: Number(hour), minute: Number(minute), second: Number(second) });
  fields.millisecond = fraction ? fractionToMs(fraction) : 0;
  if (zoneName) fields.offset = zones.get(zoneName.toLowerCase()) ?? null;
  if (offset) Object.assign(fields, { offset: numericOffset(offset), offsetIsNumeric: true });
  return build(fields, zoneless);
}

/** `20260101` is a basic-format date; other all-digit strings are epoch seconds or milliseconds. */
function parseDigitsOnly(text: string, zoneless: number): Date | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const [, whole = '', fraction] = match;
  if (whole.length === 8 && fraction === undefined) {
    return build(fieldsWith({ year: Number(whole.slice(0, 4)), month: Number(whole.slice(4, 6)), day: Number(whole.slice(6, 8)) }), zoneless);
  }
  if (whole.length < 9 || whole.length > 14) return null;
  // 9-11 digits are seconds (1973-5138), 12-14 are milliseconds.
  const number = Number(`${whole}.${fraction ?? '0'}`);
  const milliseconds = whole.length >= 12 ? number : number * 1000;
  return dateInRange(new Date(Math.floor(milliseconds)));
}

/** ISO 8601 basic format: `20260101T120000Z`, `20260101T1200+0800`, `20260101T120000.5`. */
function parseIsoBasic(text: string, zoneless: number): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})[Tt ](\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const fields = fieldsWith({ year: Number(y), month: Number(mo), day: Number(d) });
  fields.hour = Number(h);
  fields.minute = Number(mi);
  fields.second = s ? Number(s) : 0;
  fields.millisecond = frac ? fractionToMs(frac) : 0;
  fields.hasTime = true;
  if (zone) {
    fields.offset = zone.toLowerCase() === 'z' ? 0 : numericOffset(zone);
    fields.offsetIsNumeric = true;
  }
  return build(fields, zoneless);
}

// Sticky token patterns tried in order at each position of the string.
const YMD = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/y;
const DMY = /(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)/y;
const TIME = /[Tt]?(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?!\d)/y;
const OFFSET = /([+-])(\d{2}):?(\d{2})(?!\d)|([+-])(\d{1,2})(?![\d:])/y;
const WORD = /(\p{L}+)\.?/uy;
const NUMBER = /(\d+)(?:st|nd|rd|th)?(?![\p{L}\d])/uy;
const SEPARATOR = /[\s,;/.]+|[-+](?!\d)/y;
/** A sign before digits is an offset once the time is known; before it, a date separator ("06-Nov-94"). */
const SIGN = /[-+]/y;

/** The general case: scan the string as date, time, zone and word tokens. */
function parseTokens(input: string, zones: ZoneNames, zoneless: number): Date | null {
  const text = rewriteCjkDate(input.normalize('NFC'))
    .replace(/\([^()]*\)/g, ' ') // "(CST)", "(China Standard Time)": comments, never authoritative
    .replace(/\b([ap])\.m\.?/gi, '$1m')
    .trim();
  const fields = fieldsWith({});
  let position = 0;
  while (position < text.length) {
    const step = readToken(text, position, fields, zones);
    if (step === null) return null;
    position = step;
  }
  return build(fields, zoneless);
}

/** Consumes one token at `position` into `fields`; returns the next position, or null when unreadable. */
function readToken(text: string, position: number, fields: Fields, zones: ZoneNames): number | null {
  let m = match(YMD, text, position);
  if (m) {
    if (!setDate(fields, Number(m[1]), Number(m[2]), Number(m[3]))) return null;
    return position + m[0].length;
  }
  m = match(DMY, text, position);
  if (m) {
    const [first, second] = [Number(m[1]), Number(m[3])];
    // Day first when it cannot be a month, or with dots (the European habit); else month first.
    const dayFirst = first > 12 || (second <= 12 && m[2] === '.');
    const [month, day] = dayFirst ? [second, first] : [first, second];
    if (!setDate(fields, expandYear(m[4] ?? ''), month, day)) return null;
    return position + m[0].length;
  }
  m = match(TIME, text, position);
  if (m) {
    if (fields.hasTime) return null;
    fields.hasTime = true;
    fields.hour = Number(m[1]);
    fields.minute = Number(m[2]);
    fields.second = m[3] ? Number(m[3]) : 0;
    fields.millisecond = m[4] ? fractionToMs(m[4]) : 0;
    return position + m[0].length;
  }
  if (fields.hasTime) {
    m = match(OFFSET, text, position);
    if (m) {
      if (fields.offsetIsNumeric) return null;
      fields.offset = numericOffset(m[0]);
      fields.offsetIsNumeric = true;
      return position + m[0].length;
    }
  }
  m = match(WORD, text, position);
  if (m) return readWord(fields, (m[1] ?? '').toLowerCase(), zones) ? position + m[0].length : null;
  m = match(NUMBER, text, position);
  if (m) return readNumber(fields, m[1] ?? '') ? position + m[0].length : null;
  m = match(SEPARATOR, text, position) ?? (fields.hasTime ? null : match(SIGN, text, position));
  return m ? position + m[0].length : null;
}

function readWord(fields: Fields, word: string, zones: ZoneNames): boolean {
  const month = MONTHS.get(word);
  if (month !== undefined) {
    if (fields.month !== null) return false;
    fields.month = month;
    return true;
  }
  if (WEEKDAYS.has(word) || FILLER_WORDS.has(word)) return true;
  if (word === 'am' || word === 'pm') {
    fields.meridiem = word;
    return true;
  }
  const zone = zones.get(word) ?? militaryZoneOffset(word);
  if (zone !== null && zone !== undefined) {
    // A name after a numeric offset is a comment ("+0800 CST"); the number stands.
    if (!fields.offsetIsNumeric) {
      if (fields.offset !== null) return false;
      fields.offset = zone;
    }
    return true;
  }
  return false;
}

/** A bare number is the year when it has four digits or day and month are known, else the day. */
function readNumber(fields: Fields, digits: string): boolean {
  const value = Number(digits);
  if (digits.length === 4 || (fields.day !== null && fields.year === null && digits.length <= 3)) {
    if (fields.year !== null) return false;
    fields.year = digits.length === 4 ? value : expandYear(digits);
    return true;
  }
  if (digits.length <= 2 && fields.day === null) {
    fields.day = value;
    return true;
  }
  return false;
}

function setDate(fields: Fields, year: number, month: number, day: number): boolean {
  if (fields.year !== null || fields.month !== null || fields.day !== null) return false;
  fields.year = year;
  fields.month = month;
  fields.day = day;
  return true;
}

/** RFC 2822: two-digit years below 50 are 20xx, the rest 19xx; three-digit years add 1900. */
function expandYear(digits: string): number {
  const value = Number(digits);
  if (digits.length === 2) return value < 50 ? 2000 + value : 1900 + value;
  if (digits.length === 3) return 1900 + value;
  return value;
}

function numericOffset(token: string): number | null {
  const match = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(token);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = match[3] ? Number(match[3]) : 0;
  if (hours > 14 || minutes > 59) return null;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function fractionToMs(digits: string): number {
  return Math.floor(Number(`0.${digits}`) * 1000);
}

function fieldsWith(date: { year?: number; month?: number; day?: number }): Fields {
  return {
    year: date.year ?? null,
    month: date.month ?? null,
    day: date.day ?? null,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
    offset: null,
    offsetIsNumeric: false,
    meridiem: null,
    hasTime: false,
  };
}

function match(pattern: RegExp, text: string, position: number): RegExpExecArray | null {
  pattern.lastIndex = position;
  return pattern.exec(text);
}

/**
 * Validates every field and assembles the instant; null when any part is
 * impossible. `zoneless` is the offset (minutes east of UTC) when the fields
 * name no zone.
 */
function build(fields: Fields, zoneless: number): Date | null {
  const { year, month, day, minute, millisecond } = fields;
  let { hour, second } = fields;
  if (year === null || month === null || day === null) return null;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (fields.meridiem !== null && !fields.hasTime) return null;
  if (fields.meridiem !== null && hour >= 1 && hour <= 12) {
    // An AM/PM on a 24-hour time ("20:00 PM") is noise and ignored.
    if (fields.meridiem === 'pm' && hour < 12) hour += 12;
    if (fields.meridiem === 'am' && hour === 12) hour = 0;
  }
  if (second === 60) second = 59; // a leap second is close enough to its neighbour
  const endOfDay = hour === 24 && minute === 0 && second === 0 && millisecond === 0;
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) return null;
  if (fields.offsetIsNumeric && fields.offset === null) return null;
  // Years are 1000-9999 here, so Date.UTC never reads them as 19xx.
  const time = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  return dateInRange(new Date(time - (fields.offset ?? zoneless) * 60_000));
}

/** Keeps results inside what ISO strings with four-digit years can express, and not at the epoch (see parseDate). */
function dateInRange(date: Date): Date | null {
  const time = date.getTime();
  if (Number.isNaN(time) || time === 0) return null;
  const year = date.getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR ? date : null;
}
