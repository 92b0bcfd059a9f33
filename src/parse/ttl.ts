/**
 * How often a feed asks to be polled, in minutes: RSS `<ttl>`, else the
 * syndication module's `sy:updatePeriod` / `sy:updateFrequency`.
 */
import { firstText, type XmlNode } from './xml-node.js';

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
