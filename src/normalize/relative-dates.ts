/**
 * The relative and partial dates Chinese-language sites print instead of a
 * full timestamp: `刚刚`, `3小时前`, `昨天 09:05`, `11月26日 14:30`. None of them
 * names an instant on its own; each is read against the time of the fetch.
 * Pure: the clock comes in as `now`.
 */
import { CHINESE_NUMERAL_CHARACTERS, chineseNumeral, daysInMonth, foldFullWidth } from './date-words.js';

/**
 * China time, UTC+8 (no daylight saving). A site that writes `昨天 09:05` or
 * `11月26日` means its own calendar, and the sites that write these forms are
 * Chinese; reading them as UTC would put every such item eight hours late and
 * shift "today" at 08:00 China time instead of at midnight.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_MS = 86_400_000;
/** The longest month, and the longest year: how far `N个月前` and `N年前` may be from the item's time. */
const MONTH_MARGIN_MS = 31 * DAY_MS;
const YEAR_MARGIN_MS = 366 * DAY_MS;

/**
 * What one unit of `N…前` means: a fixed span, or a number of calendar
 * months (a month or a year ago is the same day of an earlier month in
 * China, not a multiple of 30 days). Simplified and traditional characters.
 */
type AgoUnit = { ms: number } | { months: number };
const UNITS: ReadonlyMap<string, AgoUnit> = new Map<string, AgoUnit>([
  ...['秒', '秒钟', '秒鐘'].map((unit) => [unit, { ms: SECOND_MS }] as const),
  ...['分', '分钟', '分鐘'].map((unit) => [unit, { ms: MINUTE_MS }] as const),
  ...['小时', '小時', '个小时', '個小時', '钟头', '鐘頭', '个钟头', '個鐘頭'].map((unit) => [unit, { ms: 3_600_000 }] as const),
  ...['天', '日'].map((unit) => [unit, { ms: DAY_MS }] as const),
  ...['周', '週', '星期', '个星期', '個星期', '礼拜', '禮拜', '个礼拜', '個禮拜'].map((unit) => [unit, { ms: 7 * DAY_MS }] as const),
  ...['个月', '個月'].map((unit) => [unit, { months: 1 }] as const),
  ['年', { months: 12 }],
]);

/**
 * How far a reading of one unit may be from the item's time: sites print the
 * count whole (`3小时前` for anything from three hours to just under four), so
 * up to one unit.
 */
function unitMargin(unit: AgoUnit): number {
  if ('ms' in unit) return unit.ms;
  return unit.months === 12 ? YEAR_MARGIN_MS : MONTH_MARGIN_MS;
}

/**
 * `N…前` further back than this is not a relative date but noise
 * (`99999天前`). It is generous on purpose: an old item whose `2年前` went
 * unread would be dated at the fetch and surface as new.
 */
const MAX_AGO_MS = 10 * 366 * DAY_MS;

const JUST_NOW = /^(?:刚刚|剛剛)$/u;
const AGO_UNITS = [...UNITS.keys()].sort((a, b) => b.length - a.length).join('|');
const AGO = new RegExp(String.raw`^(\d{1,9}|[${CHINESE_NUMERAL_CHARACTERS}]{1,3}|半)\s*(${AGO_UNITS})\s*前$`, 'u');
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?`;
const DAY_WORD = new RegExp(String.raw`^(今天|昨天|前天)(?:\s*${TIME})?$`, 'u');
const MONTH_DAY = new RegExp(String.raw`^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號](?:\s*${TIME})?$`, 'u');

/** How many days before today each day word means. */
const DAYS_BACK: ReadonlyMap<string, number> = new Map([
  ['今天', 0],
  ['昨天', 1],
  ['前天', 2],
]);

/**
 * A relative or partial date read against the fetch, and how far it may be
 * from the time the site means, in milliseconds: the unit of `N…前`, a
 * minute for `刚刚` and for a day with its time of day (`昨天 09:05`,
 * `11月26日 14:30`; a second with the seconds), a day for a day alone.
 */
export interface RelativeReading {
  date: Date;
  margin: number;
}

/** The instant of {@link readRelativeDate}, without its margin. */
export function parseRelativeDate(value: string | null | undefined, now: Date): Date | null {
  return readRelativeDate(value, now)?.date ?? null;
}

/**
 * Reads a relative or partial Chinese date against `now`, the time of the
 * fetch: `刚刚`; `N秒前` through `N年前` (seconds, minutes, hours, days,
 * weeks, months, years; N in digits, in Chinese numerals up to 九十九, or
 * `半` for a half); `今天/昨天/前天`, alone (that day's start) or with
 * `HH:MM[:SS]`; and `M月D日 [HH:MM[:SS]]`, in ASCII or full-width digits.
 * Day words, month-days and months back are China time. A month-day is the
 * latest such day up to tomorrow in China (so on 31 December, `1月1日` is
 * the coming year's). Anything else, or an impossible field, is `null`.
 */
export function readRelativeDate(value: string | null | undefined, now: Date): RelativeReading | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 40) return null;
  const text = foldFullWidth(trimmed).replace(/\s+/gu, ' ');
  const reference = now.getTime();
  if (!Number.isFinite(reference)) return null;
  const reading = JUST_NOW.test(text)
    ? { time: reference, margin: MINUTE_MS }
    : (ago(text, reference) ?? dayWord(text, reference) ?? monthDay(text, reference));
  return reading === null || !Number.isFinite(reading.time) ? null : { date: new Date(reading.time), margin: reading.margin };
}

/** An instant read from the text (epoch ms), and its margin. */
interface Reading {
  time: number;
  margin: number;
}

/** `3小时前`, `两个月前`, `半年前`: `now` less the amount, months counted on China's calendar. */
function ago(text: string, reference: number): Reading | null {
  const match = AGO.exec(text);
  const unit = match ? UNITS.get(match[2] ?? '') : undefined;
  const amount = match ? countOf(match[1] ?? '') : null;
  if (!unit || amount === null) return null;
  let time: number;
  if ('ms' in unit) time = reference - amount * unit.ms;
  else if (Number.isInteger(amount * unit.months)) time = monthsBefore(reference, amount * unit.months);
  // 半个月: half a month has no calendar day of its own.
  else time = reference - 15 * DAY_MS;
  return reference - time <= MAX_AGO_MS ? { time, margin: unitMargin(unit) } : null;
}

/** The count of `N…前`: ASCII digits, a Chinese numeral below 100, or 0.5 for `半`. */
function countOf(written: string): number | null {
  if (written === '半') return 0.5;
  if (/^\d+$/u.test(written)) return Number(written);
  return chineseNumeral(written);
}

/** The same China-time day and time of day `months` calendar months earlier; the 31st becomes the month's last day. */
function monthsBefore(reference: number, months: number): number {
  const today = chinaCalendar(reference);
  const clock = (reference + CHINA_OFFSET_MS) % DAY_MS;
  const first = new Date(Date.UTC(today.year, today.month - 1 - months, 1));
  const year = first.getUTCFullYear();
  const month = first.getUTCMonth() + 1;
  return chinaInstant(year, month, Math.min(today.day, daysInMonth(year, month)), clock);
}

/** `昨天 09:05`: that time of the day so many days before today in China; `昨天` alone is the day's start. */
function dayWord(text: string, reference: number): Reading | null {
  const match = DAY_WORD.exec(text);
  if (!match) return null;
  const today = chinaCalendar(reference);
  const clock = match[2] === undefined ? 0 : clockOf(match[2], match[3], match[4]);
  if (clock === null) return null;
  const time = chinaInstant(today.year, today.month, today.day - (DAYS_BACK.get(match[1] ?? '') ?? 0), clock);
  return { time, margin: clockMargin(match[2], match[4]) };
}

/**
 * `11月26日 14:30`: the latest such day up to tomorrow in China. Tomorrow,
 * not today: a site whose clock or zone runs a little ahead writes
 * tomorrow's date before our midnight, and on 31 December `1月1日` is
 * the coming year's, not one a year old.
 */
function monthDay(text: string, reference: number): Reading | null {
  const match = MONTH_DAY.exec(text);
  if (!match) return null;
  const month = Number(match[1]);
  const day = Number(match[2]);
  const clock = match[3] === undefined ? 0 : clockOf(match[3], match[4], match[5]);
  if (clock === null || month < 1 || month > 12 || day < 1) return null;
  const today = chinaCalendar(reference);
  const tomorrow = Date.UTC(today.year, today.month - 1, today.day + 1);
  for (const year of [today.year + 1, today.year, today.year - 1]) {
    if (day > daysInMonth(year, month)) continue;
    if (Date.UTC(year, month - 1, day) <= tomorrow) return { time: chinaInstant(year, month, day, clock), margin: clockMargin(match[3], match[5]) };
  }
  return null;
}

/** How far a day read with this time of day (hours, seconds as matched) may be off: the last digit written. */
function clockMargin(hours: string | undefined, seconds: string | undefined): number {
  if (hours === undefined) return DAY_MS;
  return seconds === undefined ? MINUTE_MS : SECOND_MS;
}

/** Milliseconds into the day of `HH:MM[:SS]`, or null for an impossible time (`25:61`). */
function clockOf(hours: string | undefined, minutes: string | undefined, seconds: string | undefined): number | null {
  const [h, m, s] = [Number(hours), Number(minutes), seconds === undefined ? 0 : Number(seconds)];
  if (!(h <= 23 && m <= 59 && s <= 59)) return null;
  return ((h * 60 + m) * 60 + s) * SECOND_MS;
}

/** The calendar date in China at `reference`. */
function chinaCalendar(reference: number): { year: number; month: number; day: number } {
  const local = new Date(reference + CHINA_OFFSET_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** The instant of a China-time date and time of day; Date.UTC carries a day of 0 or less into the month before. */
function chinaInstant(year: number, month: number, day: number, clock: number): number {
  return Date.UTC(year, month - 1, day) + clock - CHINA_OFFSET_MS;
}
