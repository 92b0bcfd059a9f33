/**
 * How often a feed asks to be polled, in minutes: RSS `<ttl>`, else the
 * syndication module's `sy:updatePeriod` / `sy:updateFrequency`; and when it
 * asks not to be polled: RSS `<skipHours>` / `<skipDays>`.
 */
import { allTexts, firstChild, firstText, type XmlNode } from './xml-node.js';

const PERIOD_MINUTES: Readonly<Record<string, number>> = {
  hourly: 60,
  daily: 60 * 24,
  weekly: 60 * 24 * 7,
  monthly: 60 * 24 * 30,
  yearly: 60 * 24 * 365,
};

/** Minutes between updates a channel/feed (as rss-parser returns it with our custom fields) declares, or null when it declares none (or nonsense). */
export function ttlMinutes(feedNode: XmlNode): number | null {
  const ttl = firstText(feedNode, 'ttl');
  if (ttl !== null) {
    const minutes = Number.parseInt(ttl, 10);
    if (Number.isFinite(minutes) && minutes > 0) return minutes;
  }
  const period = firstText(feedNode, 'sy:updatePeriod')?.toLowerCase() ?? null;
  const frequency = firstText(feedNode, 'sy:updateFrequency');
  if (period === null && frequency === null) return null;
  // The module's defaults: daily, once.
  const periodMinutes = PERIOD_MINUTES[period ?? 'daily'];
  const times = frequency === null ? 1 : Number.parseInt(frequency, 10);
  if (periodMinutes === undefined || !Number.isFinite(times) || times <= 0) return null;
  return Math.max(1, Math.round(periodMinutes / times));
}

const DAY_NUMBERS: Readonly<Record<string, number>> = {
  sunday: 0,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
};

/**
 * The hours (0-23, GMT) a channel's `<skipHours>` lists, sorted, each once.
 * RSS 0.91 counted hours 1-24, so 24 is midnight; anything else unreadable is
 * dropped rather than failing the feed.
 */
export function skipHours(channel: XmlNode): number[] {
  const list = firstChild(channel, 'skipHours');
  if (!list) return [];
  const hours = new Set<number>();
  for (const text of allTexts(list, 'hour')) {
    if (!/^\d{1,2}$/.test(text)) continue;
    const hour = Number(text);
    if (hour <= 24) hours.add(hour % 24);
  }
  return [...hours].sort((a, b) => a - b);
}

/** The days (0 = Sunday) a channel's `<skipDays>` lists by English name, sorted, each once. */
export function skipDays(channel: XmlNode): number[] {
  const list = firstChild(channel, 'skipDays');
  if (!list) return [];
  const days = new Set<number>();
  for (const text of allTexts(list, 'day')) {
    const day = DAY_NUMBERS[text.toLowerCase()];
    if (day !== undefined) days.add(day);
  }
  return [...days].sort((a, b) => a - b);
}
