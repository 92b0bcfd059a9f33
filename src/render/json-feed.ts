/**
 * JSON Feed 1.1 output. Each item credits its source with the `_byline`
 * extension object (source, original URL, credit line, license, upstream via
 * chain) and the credit footer inside `content_html`. Older items are reached
 * through `next_url`, which leads to the archive pages (newest first).
 */
import type { Article, MediaEnclosure } from '../model/index.js';
import { articleCategories, authorsOrSource, originalUrl, publicFeedUrl } from './credit.js';
import { formatIsoUtc } from './dates.js';
import { contentParts } from './footer.js';
import { isWebUrl } from './html-escape.js';
import { enclosureType, publishedEnclosure } from './media.js';
import { FeedMetaSchema, type FeedMeta } from './meta.js';
import { OutputBuffer } from './output-buffer.js';
import { stripInvalidXmlChars } from './xml-escape.js';

const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/**
 * Every string in the feed goes through here, so all three formats carry the
 * same text (characters XML forbids dropped). Cleaning while the objects are
 * built, rather than with a JSON.stringify replacer, keeps stringify on its
 * native fast path.
 */
const clean = stripInvalidXmlChars;

function cleanOrNull(value: string | null): string | null {
  return value === null ? null : clean(value);
}

function contentHtml(meta: FeedMeta, article: Article): string {
  // Cleaned piece by piece: the pieces meet at a line break, so no surrogate
  // pair can be split between them, and the 5 KB body is scanned only once.
  return contentParts(meta.footerTemplate, article).map(clean).join('');
}

function attachment(media: MediaEnclosure): Record<string, unknown> {
  return { url: clean(media.url), mime_type: enclosureType(media), ...(media.length !== null ? { size_in_bytes: media.length } : {}) };
}

function itemObject(meta: FeedMeta, article: Article): Record<string, unknown> {
  const { credit } = article;
  const categories = articleCategories(article);
  const url = cleanOrNull(originalUrl(article));
  const media = publishedEnclosure(article);
  return {
    id: clean(article.guid),
    ...(url !== null ? { url } : {}),
    title: clean(article.title),
    content_html: contentHtml(meta, article),
    ...(article.summary?.trim() ? { summary: clean(article.summary) } : {}),
    ...(article.image && isWebUrl(article.image.url) ? { image: clean(article.image.url) } : {}),
    ...(media !== null ? { attachments: [attachment(media)] } : {}),
    date_published: formatIsoUtc(article.published),
    ...(article.updated ? { date_modified: formatIsoUtc(article.updated) } : {}),
    // Always explicit: an item without authors would inherit the feed's
    // authors, crediting the aggregator instead of the source.
    authors: authorsOrSource(article).map((name) => ({ name: clean(name) })),
    ...(categories.length > 0 ? { tags: categories } : {}),
    // Articles do not record their own language; the feed's, when configured, is the best statement we have.
    ...(meta.language ? { language: clean(meta.language) } : {}),
    _byline: {
      source: {
        id: clean(credit.sourceId),
        name: clean(credit.sourceName),
        home_page_url: cleanOrNull(credit.sourceSite),
        feed_url: cleanOrNull(publicFeedUrl(credit)),
      },
      // The same URL as `url`, the RSS/Atom links and the footer: one original per article.
      original_url: url,
      credit: cleanOrNull(credit.creditLine),
      license: cleanOrNull(credit.license),
      via: credit.via.map((via) => ({ name: clean(via.name), url: cleanOrNull(via.url), feed_url: cleanOrNull(via.feedUrl) })),
    },
  };
}

/**
 * One item as it appears in the pretty-printed feed (indented two levels).
 * Stringified inside a stand-in `{ "items": [...] }` and cut out of it, so it
 * carries exactly the indentation JSON.stringify gives it within the feed.
 */
function itemJson(meta: FeedMeta, article: Article): string {
  const text = JSON.stringify({ items: [itemObject(meta, article)] }, null, 2);
  return text.slice(ITEM_OPENING.length, text.length - ITEM_CLOSING.length);
}

const ITEM_OPENING = '{\n  "items": [\n';
const ITEM_CLOSING = '\n  ]\n}';
const EMPTY_ITEMS_END = '[]\n}';

/**
 * Renders the combined feed as JSON Feed 1.1 (pretty-printed). Items keep the
 * order given. `meta` is validated with FeedMetaSchema.
 *
 * The output is what `JSON.stringify(feed, null, 2)` gives, but written item
 * by item: a feed's worth of item objects (and their 5 KB bodies) is never
 * held at once.
 */
export function renderJsonFeed(meta: FeedMeta, articles: Article[]): string {
  const m = FeedMetaSchema.parse(meta);
  const feed = {
    version: JSON_FEED_VERSION,
    title: clean(m.title),
    home_page_url: clean(m.homeUrl),
    feed_url: clean(m.selfUrls.json),
    ...(m.description.trim() ? { description: clean(m.description) } : {}),
    ...(m.language ? { language: clean(m.language) } : {}),
    // The aggregate feed is published by the site itself; items name their own authors.
    authors: [{ name: clean(m.title), url: clean(m.homeUrl) }],
    ...(m.hubUrl ? { hubs: [{ type: 'WebSub', url: clean(m.hubUrl) }] } : {}),
    // JSON Feed pages backwards in time: the next page holds older items.
    ...(m.paging?.prevArchive ? { next_url: clean(m.paging.prevArchive.json) } : {}),
    items: [],
  };
  // `"items": []` is the last member, so the document ends with `[]` and `}`.
  const empty = JSON.stringify(feed, null, 2);
  if (articles.length === 0) return `${empty}\n`;
  const out = new OutputBuffer();
  for (const [index, article] of articles.entries()) {
    const item = itemJson(m, article);
    if (index > 0) out.parts.push(',\n');
    out.pushCopy(item);
    out.settle();
  }
  return out.finish([empty.slice(0, -EMPTY_ITEMS_END.length), '[\n'], ['\n  ]\n}\n']);
}
