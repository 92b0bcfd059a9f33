/**
 * The render baseline: the least a feed writer can do with the same articles.
 * One string template per format: escaped text, content in CDATA (or a JSON
 * string) with a one-line credit, the source named. No tree, no validation,
 * no namespaces bookkeeping.
 */
import type { Article } from '../../src/model/index.js';

/** What the templates need to say about the feed itself. */
export interface TemplateMeta {
  title: string;
  homeUrl: string;
  selfUrl: string;
  updated: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => ESCAPES[c]!);
const cdata = (text: string): string => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
const credit = (a: Article): string => `<p>Source: ${escape(a.credit.sourceName)} · <a href="${escape(a.url)}">original</a></p>`;

/** RSS 2.0. */
export function templateRss(meta: TemplateMeta, articles: readonly Article[]): string {
  const items = articles.map(
    (a) =>
      `<item><title>${escape(a.title)}</title><link>${escape(a.url)}</link><guid isPermaLink="false">${escape(a.guid)}</guid>` +
      `<pubDate>${new Date(a.published).toUTCString()}</pubDate><description>${escape(a.summary ?? '')}</description>` +
      `<content:encoded>${cdata(a.contentHtml + credit(a))}</content:encoded>` +
      `<source url="${escape(a.credit.feedUrl)}">${escape(a.credit.sourceName)}</source></item>`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>` +
    `<title>${escape(meta.title)}</title><link>${escape(meta.homeUrl)}</link><description/>${items.join('\n')}</channel></rss>\n`
  );
}

/** Atom 1.0. */
export function templateAtom(meta: TemplateMeta, articles: readonly Article[]): string {
  const entries = articles.map(
    (a) =>
      `<entry><title>${escape(a.title)}</title><link href="${escape(a.url)}"/><id>${escape(a.guid)}</id>` +
      `<published>${a.published}</published><updated>${a.updated ?? a.published}</updated><summary>${escape(a.summary ?? '')}</summary>` +
      `<content type="html">${escape(a.contentHtml + credit(a))}</content>` +
      `<source><id>${escape(a.credit.feedUrl)}</id><title>${escape(a.credit.sourceName)}</title></source></entry>`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>${escape(meta.title)}</title>` +
    `<id>${escape(meta.selfUrl)}</id><updated>${meta.updated}</updated>${entries.join('\n')}</feed>\n`
  );
}

/** JSON Feed 1.1. */
export function templateJson(meta: TemplateMeta, articles: readonly Article[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.homeUrl,
    feed_url: meta.selfUrl,
    items: articles.map((a) => ({
      id: a.guid,
      url: a.url,
      title: a.title,
      summary: a.summary ?? undefined,
      content_html: a.contentHtml + credit(a),
      date_published: a.published,
      _byline: { source: { name: a.credit.sourceName, feed_url: a.credit.feedUrl } },
    })),
  });
}
