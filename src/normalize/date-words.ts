/**
 * The vocabulary of date strings found in feeds: month and weekday names, named
 * time zones and military zone letters, plus the CJK rewrites that turn
 * `2026年11月26日 下午 8:00` into a form the token parser in dates.ts reads.
 */

/**
 * Month number (1-12) by lower-case name or abbreviation: English, plus the
 * Portuguese, Spanish, French and German forms that do not collide with an
 * English one (real feeds write "Seg, 24 Set 2018" and "05 Okt 2022").
 */
export const MONTHS: ReadonlyMap<string, number> = new Map([
  ['jan', 1], ['january', 1],
  ['feb', 2], ['february', 2],
  ['mar', 3], ['march', 3],
  ['apr', 4], ['april', 4],
  ['may', 5],
  ['jun', 6], ['june', 6],
  ['jul', 7], ['july', 7],
  ['aug', 8], ['august', 8],
  ['sep', 9], ['sept', 9], ['september', 9],
  ['oct', 10], ['october', 10],
  ['nov', 11], ['november', 11],
  ['dec', 12], ['december', 12],
  // pt / es / fr / de
  ['ene', 1], ['enero', 1], ['janeiro', 1], ['janv', 1], ['janvier', 1], ['januar', 1], ['jän', 1],
  ['fev', 2], ['fevereiro', 2], ['febrero', 2], ['févr', 2], ['fevr', 2], ['février', 2], ['februar', 2],
  ['março', 3], ['marzo', 3], ['mars', 3], ['mär', 3], ['märz', 3], ['mrz', 3],
  ['abr', 4], ['abril', 4], ['avr', 4], ['avril', 4],
  ['mai', 5], ['maio', 5], ['mayo', 5],
  ['junho', 6], ['junio', 6], ['juin', 6], ['juni', 6],
  ['julho', 7], ['julio', 7], ['juil', 7], ['juillet', 7], ['juli', 7],
  ['ago', 8], ['agosto', 8], ['août', 8], ['aout', 8],
  ['set', 9], ['setembro', 9], ['septiembre', 9], ['septembre', 9],
  ['out', 10], ['outubro', 10], ['octubre', 10], ['octobre', 10], ['okt', 10], ['oktober', 10],
  ['novembro', 11], ['noviembre', 11], ['novembre', 11],
  ['dez', 12], ['dezembro', 12], ['dic', 12], ['diciembre', 12], ['déc', 12], ['decembre', 12], ['décembre', 12],
  ['dezember', 12],
]);

/** Weekday names: accepted and ignored (feeds often state the wrong weekday). */
export const WEEKDAYS: ReadonlySet<string> = new Set([
  'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'weds', 'wednesday', 'thu', 'thur', 'thurs', 'thursday',
  'fri', 'friday', 'sat', 'saturday', 'sun', 'sunday',
  // pt / es / fr / de abbreviations ("mar" stays March: Spanish/French Tuesday loses that collision)
  'dom', 'seg', 'ter', 'qua', 'qui', 'sex', 'sáb', 'sab', 'lun', 'mié', 'mie', 'jue', 'vie',
  'mer', 'jeu', 'ven', 'sam', 'dim', 'mo', 'di', 'mi', 'do', 'fr', 'sa', 'so',
]);

/** Filler words seen between date parts ("November 26, 2026 at 8:00 PM"). */
export const FILLER_WORDS: ReadonlySet<string> = new Set(['at', 'on', 'of', 'the']);

/**
 * Offsets in minutes east of UTC for zone names. The RFC 822 North American
 * names take precedence over other meanings (CST is US Central), unless a feed
 * shows it means China Standard Time (feed-zones.ts). A numeric offset always
 * wins over a name.
 */
export const ZONE_NAMES: ReadonlyMap<string, number> = new Map([
  ['gmt', 0], ['ut', 0], ['utc', 0], ['z', 0], ['wet', 0],
  ['est', -300], ['edt', -240],
  ['cst', -360], ['cdt', -300],
  ['mst', -420], ['mdt', -360],
  ['pst', -480], ['pdt', -420],
  ['akst', -540], ['akdt', -480], ['hst', -600],
  ['bst', 60], ['cet', 60], ['cest', 120], ['west', 60], ['eet', 120], ['eest', 180], ['msk', 180],
  ['ist', 330], ['hkt', 480], ['sgt', 480], ['awst', 480], ['jst', 540], ['kst', 540],
  ['acst', 570], ['aest', 600], ['aedt', 660], ['nzst', 720], ['nzdt', 780],
]);

/**
 * The zone names as a feed from China or Taiwan means them: `CST` is China
 * Standard Time, which is what Java's date formatting writes there (its `zzz`
 * for Asia/Shanghai and Asia/Taipei), with no numeric offset beside it.
 */
export const CHINA_ZONE_NAMES: ReadonlyMap<string, number> = new Map([...ZONE_NAMES, ['cst', 480]]);

/**
 * The zone names of a Chinese-language feed: China's `CST`, and China time
 * for a date written without any zone (the empty name; see ZoneNames). Such
 * feeds come from sites in China, whose CMSs print `2026-11-26 14:30:00`
 * meaning Beijing time: read as UTC, every recent item was 8 hours ahead,
 * capped at the fetch, and dated together. (Taiwan and Hong Kong are UTC+8
 * too.)
 */
export const CHINESE_FEED_ZONE_NAMES: ReadonlyMap<string, number> = new Map([...CHINA_ZONE_NAMES, ['', 480]]);

/**
 * Military single-letter zones. RFC 822 printed the signs reversed and RFC 2822
 * gave up on them; we use the convention the letters have everywhere else
 * (A = UTC+1 … M = UTC+12, N = UTC-1 … Y = UTC-12, Z = UTC; J is unused).
 */
export function militaryZoneOffset(letter: string): number | null {
  const code = letter.toLowerCase().charCodeAt(0);
  const a = 'a'.charCodeAt(0);
  if (letter.length !== 1 || letter.toLowerCase() === 'j') return null;
  if (letter.toLowerCase() === 'z') return 0;
  if (code >= a && code <= 'i'.charCodeAt(0)) return (code - a + 1) * 60;
  if (code >= 'k'.charCodeAt(0) && code <= 'm'.charCodeAt(0)) return (code - a) * 60;
  if (code >= 'n'.charCodeAt(0) && code <= 'y'.charCodeAt(0)) return -(code - 'n'.charCodeAt(0) + 1) * 60;
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year` in the Gregorian calendar; 0 for a month that does not exist. */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Full-width forms of ASCII (`２０２６`, `１４：３０`), as Chinese text input writes digits and punctuation. */
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;

/** Rewrites full-width digits and punctuation as their ASCII forms, so one set of patterns reads both. */
export function foldFullWidth(value: string): string {
  return value.replace(FULL_WIDTH, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
}

/** The digits of Chinese numerals; 两 (兩) is two when counting things. */
const CHINESE_DIGITS: ReadonlyMap<string, number> = new Map([
  ['一', 1], ['二', 2], ['两', 2], ['兩', 2], ['三', 3], ['四', 4], ['五', 5], ['六', 6], ['七', 7], ['八', 8], ['九', 9],
]);

/** Every character a Chinese numeral below 100 is written with, for a regular expression's class. */
export const CHINESE_NUMERAL_CHARACTERS = `${[...CHINESE_DIGITS.keys()].join('')}十`;

/**
 * A Chinese numeral below 100 (`三`, `十五`, `二十`, `二十五`, `两`) as a number;
 * null for anything else. 两 counts things and is not written before 十.
 */
export function chineseNumeral(written: string): number | null {
  const ten = written.indexOf('十');
  if (ten < 0) return written.length === 1 ? (CHINESE_DIGITS.get(written) ?? null) : null;
  const before = written.slice(0, ten);
  const tens = before === '' ? 1 : before.length === 1 && before !== '两' && before !== '兩' ? CHINESE_DIGITS.get(before) : undefined;
  const rest = written.slice(ten + 1);
  const ones = rest === '' ? 0 : rest.length === 1 ? CHINESE_DIGITS.get(rest) : undefined;
  return tens === undefined || ones === undefined ? null : tens * 10 + ones;
}

const MONTH_ABBREVIATIONS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The English abbreviation of a month written `11月` or `十一月`, as the token parser reads months. */
function monthWord(numeral: string): string {
  const month = /^\d+$/.test(numeral) ? Number(numeral) : (chineseNumeral(numeral) ?? 0);
  return month >= 1 && month <= 12 ? ` ${MONTH_ABBREVIATIONS[month - 1]} ` : ` ${numeral}月 `;
}

/**
 * Rewrites CJK date notation into Latin separators: 年/月/日 (and Korean 년/월/일)
 * become `Y-M-D`, 时分秒 become `H:M:S`, 上午/下午 become AM/PM, weekdays go.
 * RFC 822 dates written under a Chinese locale (`四, 26 11月 2026 …`,
 * `星期四, 26 十一月 2026 …`) get their month as a word and lose the weekday.
 */
export function rewriteCjkDate(value: string): string {
  return value
    .replace(/，/gu, ',')
    .replace(/(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号]?/gu, ' $1-$2-$3 ')
    .replace(/(?<![\d一二三四五六七八九十])(\d{1,2}|十[一二]?|[一二三四五六七八九])月(?![\d\s]*[日号])/gu, (_m, numeral: string) => monthWord(numeral))
    .replace(/^\s*[一二三四五六日]\s*,/u, ' ')
    .replace(/(?:星期|礼拜|禮拜|周|週)[一二三四五六日天]|[（(][一二三四五六日][）)]|[月火水木金土日]曜日?|[월화수목금토일]요일/gu, ' ')
    .replace(/(\d{1,2})\s*[时時点點시]\s*(\d{1,2})\s*[分분]\s*(?:(\d{1,2})\s*[秒초])?/gu, (_m, h: string, m: string, s?: string) =>
      ` ${h}:${m}${s ? `:${s}` : ''} `,
    )
    .replace(/(上午|早上|凌晨|午前|오전)/gu, ' AM ')
    .replace(/(下午|晚上|中午|午後|오후)/gu, ' PM ');
}
