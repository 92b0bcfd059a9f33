/**
 * Feeds of a search engine's alerts and of a publisher that list the same
 * page: the alert's item links to it through the engine's click redirector,
 * the publisher's own item directly, with the whole article.
 */
import type { FixtureSource } from './fixture-feeds.js';

export const PAGE = 'https://pub.example/2026/11/new-model.html';
export const OTHER_PAGE = 'https://elsewhere.example/2026/11/other.html';
export const ALERT_GUID = 'tag:google.com,2013:googlealerts/feed:10293847561234';

/** Google's click-redirector link to `target`, as Google Alerts writes it (XML-escaped). */
export const googleLink = (target: string): string =>
  `https://www.google.com/url?rct=j&amp;sa=t&amp;url=${encodeURIComponent(target)}&amp;ct=ga&amp;cd=CAIyHDQ5ZjM&amp;usg=AOvVaw0abc`;

export interface AlertEntry {
  guid: string;
  page: string;
  /** HTML, as Google marks the matched words. */
  title: string;
  snippet: string;
}

const escapeHtml = (html: string): string => html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An alerts feed as Google serves it: Atom, every link through the redirector, a snippet as content. */
export function alertsFeed(entries: AlertEntry[]): string {
  const body = entries.map(
    (entry) => `<entry><id>${entry.guid}</id><title type="html">${escapeHtml(entry.title)}</title>
      <link href="${googleLink(entry.page)}"/><published>2026-11-25T09:30:00Z</published><updated>2026-11-25T09:30:00Z</updated>
      <content type="html">${escapeHtml(entry.snippet)}</content><author><name></name></author></entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
    <id>tag:google.com,2005:reader/user/0123/state/com.google/alerts/42</id><title>Google Alert - new model</title>
    <link href="https://www.google.com/alerts/feeds/0123/42" rel="self"/><updated>2026-11-25T09:30:00Z</updated>${body.join('')}</feed>`;
}

export interface PublisherItem {
  guid: string;
  link: string;
  title: string;
  /** RFC 822; 25 Nov 2026 08:00 GMT when not given. */
  date?: string;
}

/** The publisher's own RSS feed: the whole article and its author. */
export function publisherFeed(items: PublisherItem[]): string {
  const body = items.map(
    (item) => `<item><title>${item.title}</title><link>${item.link}</link><guid isPermaLink="false">${item.guid}</guid>
      <author>jane@pub.example (Jane Roe)</author><pubDate>${item.date ?? 'Wed, 25 Nov 2026 08:00:00 GMT'}</pubDate>
      <description><![CDATA[<p>The whole article about ${item.title}, as the publisher wrote it.</p><p>Second paragraph.</p>]]></description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Pub News</title><link>https://pub.example/</link>
    <description>d</description>${body.join('')}</channel></rss>`;
}

export const ALERT: AlertEntry = { guid: ALERT_GUID, page: PAGE, title: 'A <b>new model</b> from Pub', snippet: 'Pub released a <b>new model</b> today ...' };
export const PUB_ITEM: PublisherItem = { guid: 'pub-1', link: PAGE, title: 'Pub releases a new model' };

/** The alert first, then the publisher, with its site and credit line. */
export const ALERT_SOURCES: FixtureSource[] = [
  { id: 'alerts', name: 'Google Alerts - new model', path: '/alerts.xml' },
  { id: 'pub', name: 'Pub News', path: '/pub.xml', site: 'https://pub.example/', credit: 'Please credit Pub News.' },
];
