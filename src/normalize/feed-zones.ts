/**
 * What one feed means by `CST`. RFC 822 defines it as US Central time
 * (-0600), but servers in China and Taiwan write it for China Standard Time
 * (+0800) with no offset beside it. Read the RFC's way, such a feed's news is
 * 14 hours in the future, is capped at the time of the fetch, and every item
 * of it lands at the top of the combined feed with the same date.
 */
import type { RawFeed } from '../model/index.js';
import { CHINA_ZONE_NAMES, CHINESE_FEED_ZONE_NAMES, ZONE_NAMES } from './date-words.js';
import { parseDate, type ZoneNames } from './dates.js';

/** `zh`, `zh-CN`, `zh_TW`, `zh-Hant-HK` (the underscore form is common in Chinese feeds). */
const CHINESE_LANGUAGE = /^zh(?:$|[-_])/i;

const CST = /\bcst\b/i;

/**
 * How far a `CST` date read as US time for want of evidence may be from the
 * time meant: China Standard Time (+0800) is 14 hours ahead of US Central (-0600).
 */
export const CST_GUESS_MARGIN_MS = 14 * 60 * 60 * 1000;

/** A date this far past the fetch is a misread zone, not a clock a little fast. */
const FUTURE_SLACK_MS = 60 * 60 * 1000;

/**
 * China's meaning of `CST` for a feed whose language is Chinese, or whose
 * `CST` dates put an item in the future read as US Central time and none read
 * as China's; the RFC's meaning otherwise. One reading holds for the whole
 * feed, since one generator wrote all its dates: an older item is read the
 * way the newest ones show.
 */
export function zoneNamesOf(raw: Pick<RawFeed, 'language' | 'items'>, now: Date): ZoneNames {
  if (isChineseLanguage(raw)) return CHINESE_FEED_ZONE_NAMES;
  const limit = now.getTime() + FUTURE_SLACK_MS;
  let aheadAsCentral = false;
  for (const item of raw.items) {
    for (const value of [item.published, item.updated]) {
      if (value === null || !CST.test(value)) continue;
      const asChina = parseDate(value, CHINA_ZONE_NAMES);
      // In the future either way: the zone explains nothing.
      if (asChina !== null && asChina.getTime() > limit) return ZONE_NAMES;
      const asCentral = parseDate(value, ZONE_NAMES);
      if (asCentral !== null && asCentral.getTime() > limit) aheadAsCentral = true;
    }
  }
  return aheadAsCentral ? CHINA_ZONE_NAMES : ZONE_NAMES;
}

/**
 * Whether this fetch read the feed's `CST` as US time for want of evidence:
 * any feed but a Chinese-language one whose items show nothing either way.
 * The evidence rests on the newest items, so a day later, with none of them
 * recent, a feed from China reads as US time and each such date moves 14
 * hours; a reading as China time always rests on evidence.
 */
export function cstIsGuessed(raw: Pick<RawFeed, 'language'>, zones: ZoneNames): boolean {
  return !isChineseLanguage(raw) && zones.get('cst') !== CHINA_ZONE_NAMES.get('cst');
}

/**
 * Whether a `CST` date of this feed is read by evidence that changes from
 * fetch to fetch (any feed but a Chinese-language one): such a date, however
 * this fetch reads it, names no item's identity.
 */
export function cstIsAmbiguous(raw: Pick<RawFeed, 'language'>): boolean {
  return !isChineseLanguage(raw);
}

function isChineseLanguage(raw: Pick<RawFeed, 'language'>): boolean {
  return raw.language !== null && CHINESE_LANGUAGE.test(raw.language.trim());
}

/**
 * A numeric offset after the time of day, RFC 822's (` +0800`, `GMT-0600`,
 * `CST+0800`) or ISO 8601's (`+08:00`): it says the zone, whatever name
 * comes with it. After the time only, so a date's own hyphens are not one.
 */
const NUMERIC_OFFSET = /\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[a-z]{1,5}\s*)?[+-]\d{2}:?\d{2}(?!\d)/i;

/** Whether a date's zone is the name `CST` alone, with no numeric offset beside it. */
export function mentionsCst(value: string): boolean {
  return CST.test(value) && !NUMERIC_OFFSET.test(value);
}
