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
  if (!cstIsGuessed(raw)) return CHINESE_FEED_ZONE_NAMES;
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
 * Whether what the feed means by `CST` is guessed from its dates at this
 * fetch (any feed but a Chinese-language one). The guess rests on the newest
 * items: a day later, with none of them recent, the same feed reads as US
 * time, and a date read both ways is 14 hours apart.
 */
export function cstIsGuessed(raw: Pick<RawFeed, 'language'>): boolean {
  return raw.language === null || !CHINESE_LANGUAGE.test(raw.language.trim());
}

/** A numeric offset, RFC 822's (` +0800`) or ISO 8601's (`+08:00`): it says the zone, whatever name follows. */
const NUMERIC_OFFSET = /\s[+-]\d{4}\b|[+-]\d{2}:\d{2}\b/;

/** Whether a date's zone is the name `CST` alone, with no numeric offset beside it. */
export function mentionsCst(value: string): boolean {
  return CST.test(value) && !NUMERIC_OFFSET.test(value);
}
