/**
 * The relative and partial dates Chinese-language sites print instead of a
 * full timestamp: `刚刚`, `3小时前`, `昨天 09:05`, `11月26日 14:30`. None of them
 * names an instant on its own; each is read against the time of the fetch.
 * Pure: the clock comes in as `now`.
 */
import { daysInMonth, foldFullWidth } from './date-words.js';

/**
 * China time, UTC+8 (no daylight saving). A site that writes `昨天 09:05` or
 * `11月26日` means its own calendar, and the sites that write these forms are
 * Chinese; reading them as UTC would put every such item eight hours late and
 * shift "today" at 08:00 China time instead of at midnight.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

/** Milliseconds per unit of `N…前`, in simplified and traditional characters. */
const UNITS: ReadonlyMap<string, number> = new Map([
  ['秒', SECOND_MS],
  ['秒钟', SECOND_MS],
  ['秒鐘', SECOND_MS],
  ['分钟', 60 * SECOND_MS],
  ['分鐘', 60 * SECOND_MS],
  ['小时', 3_600_000],
  ['小時', 3_600_000],
  ['个小时', 3_600_000],
  ['個小時', 3_600_000],
  ['天', DAY_MS],
]);

/** `N…前` further back than this is not a relative date but noise (`99999天前`). */
const MAX_AGO_MS = 366 * DAY_MS;

const JUST_NOW = /^(?:刚刚|剛剛)$/u;
const AGO = /^(\d{1,9})\s*(秒钟|秒鐘|秒|分钟|分鐘|个小时|個小時|小时|小時|天)\s*前$/u;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?`;
const DAY_WORD = new RegExp(String.raw`^(今天|昨天|前天)\s*${TIME}$`, 'u');
const MONTH_DAY = new RegExp(String.raw`^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號](?:\s*${TIME})?$`, 'u');

/** How many days before today each day word means. */
const DAYS_BACK: ReadonlyMap<string, number> = new Map([
  ['今天', 0],
  ['昨天', 1],
  ['前天', 2],
]);

/**
 * Reads a relative or partial Chinese date against `now`, the time of the
 * fetch: `刚刚`, `N秒前`, `N分钟前`, `N小时前`, `N天前`, `今天/昨天/前天 HH:MM[:SS]`
 * and `M月D日 [HH:MM[:SS]]`, in ASCII or full-width digits. Day words and
 * month-days are China time. A month-day is the latest such day up to
 * tomorrow in China (so on 31 December, `1月1日` is the coming year's).
 * Anything else, or an impossible field, is `null`.
 */
export function parseRelativeDate(value: string | null | undefined, now: Date): Date | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 40) return null;
  const text = foldFullWidth(trimmed).replace(/\s+/gu, ' ');
  const reference = now.getTime();
  if (!Number.isFinite(reference)) return null;
  const time = JUST_NOW.test(text) ? reference : (ago(text, reference) ?? dayWord(text, reference) ?? monthDay(text, reference));
  return time === null || !Number.isFinite(time) ? null : new Date(time);
}

/** `3小时前`: `now` less the amount. */
function ago(text: string, reference: number): number | null {
  const match = AGO.exec(text);
  if (!match) return null;
  const amount = Number(match[1]) * (UNITS.get(match[2] ?? '') ?? Number.NaN);
  return amount <= MAX_AGO_MS ? reference - amount : null;
}

/** `昨天 09:05`: that time of the day so many days before today in China. */
function dayWord(text: string, reference: number): number | null {
  const match = DAY_WORD.exec(text);
  if (!match) return null;
  const today = chinaCalendar(reference);
  const clock = clockOf(match[2], match[3], match[4]);
  if (clock === null) return null;
  return chinaInstant(today.year, today.month, today.day - (DAYS_BACK.get(match[1] ?? '') ?? 0), clock);
}

/**
 * `11月26日 14:30`: the latest such day up to tomorrow in China. Tomorrow,
 * not today: a site whose clock or zone runs a little ahead writes
 * tomorrow's date before our midnight, and on 31 December `1月1日` is
 * the coming year's, not one a year old.
 */
function monthDay(text: string, reference: number): number | null {
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
    if (Date.UTC(year, month - 1, day) <= tomorrow) return chinaInstant(year, month, day, clock);
  }
  return null;
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
