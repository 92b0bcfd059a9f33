/**
 * JSON Feed 1.1 output. Each item credits its source with the `_byline`
 * extension object (source, original URL, credit line, license, upstream via
 * chain) and the credit footer inside `content_html`. Older items are reached
 * through `next_url`, which leads to the archive pages (newest first).
 */
import type { Article } from '../model/index.js';
import { authorsOrSource, originalUrl } from './credit.js';
import { formatIsoUtc } from './dates.js';
import { contentWithFooter } from './footer.js';
import { isWebUrl } from './html-escape.js';
import { FeedMetaSchema, type FeedMeta } from './meta.js';
import { stripInvalidXmlChars } from './xml.js';

const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

function itemObject(meta: FeedMeta, article: Article): Record<string, unknown> {
  const { credit } = article;
  const categories = article.categories.filter((c) => c.trim() !== '');
  return {
    id: article.guid,
    url: originalUrl(article),
    title: article.title,
    content_html: contentWithFooter(meta.footerTemplate, article),
    ...(article.summary?.trim() ? { summary: article.summary } : {}),
    ...(article.image && isWebUrl(article.image.url) ? { image: article.image.url } : {}),
    date_published: formatIsoUtc(article.published),
    ...(article.updated ? { date_modified: formatIsoUtc(article.updated) } : {}),
    // Always explicit: an item without authors would inherit the feed's
    // authors, crediting the aggregator instead of the source.
    authors: authorsOrSource(article).map((name) => ({ name })),
    ...(categories.length > 0 ? { tags: categories } : {}),
    // Articles do not record their own language; the feed's, when configured, is the best statement we have.
    ...(meta.language ? { language: meta.language } : {}),
    _byline: {
      source: {
        id: credit.sourceId,
        name: credit.sourceName,
        home_page_url: credit.sourceSite,
        feed_url: credit.feedUrl,
      },
      // The same URL as `url`, the RSS/Atom links and the footer: one original per article.
      original_url: originalUrl(article),
      credit: credit.creditLine,
      license: credit.license,
      via: credit.via.map((via) => ({ name: via.name, url: via.url, feed_url: via.feedUrl })),
    },
  };
}

/** Drops characters XML forbids from every string, so all three formats carry the same text. */
function cleanStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? stripInvalidXmlChars(value) : value;
}

/**
 * Renders the combined feed as JSON Feed 1.1 (pretty-printed). Items keep the
 * order given. `meta` is validated with FeedMetaSchema.
 */
export function renderJsonFeed(meta: FeedMeta, articles: Article[]): string {
  const m = FeedMetaSchema.parse(meta);
  const feed = {
    version: JSON_FEED_VERSION,
    title: m.title,
    home_page_url: m.homeUrl,
    feed_url: m.selfUrls.json,
    ...(m.description.trim() ? { description: m.description } : {}),
    ...(m.language ? { language: m.language } : {}),
    // The aggregate feed is published by the site itself; items name their own authors.
    authors: [{ name: m.title, url: m.homeUrl }],
    ...(m.hubUrl ? { hubs: [{ type: 'WebSub', url: m.hubUrl }] } : {}),
    // JSON Feed pages backwards in time: the next page holds older items.
    ...(m.paging?.prevArchive ? { next_url: m.paging.prevArchive.json } : {}),
    items: articles.map((article) => itemObject(m, article)),
  };
  return `${JSON.stringify(feed, cleanStrings, 2)}\n`;
}
