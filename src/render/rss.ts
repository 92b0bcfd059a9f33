/**
 * RSS 2.0 output. Each item credits its source three ways: `<source url>`
 * naming the source feed, `<dc:rights>` with the credit line and license, and
 * the credit footer inside `<content:encoded>`. Upstream publishers (via) are
 * listed as `<dc:source>` (Dublin Core: "a related resource from which the
 * described resource is derived") and as a footer line.
 */
import type { Article } from '../model/index.js';
import { articleAuthors, originalUrl, rightsText } from './credit.js';
import { formatRfc822 } from './dates.js';
import { escapeHtml, isWebUrl } from './html-escape.js';
import { contentWithFooter } from './footer.js';
import { imageType, mediumOf } from './media.js';
import { FeedMetaSchema, type FeedMeta } from './meta.js';
import { cdata, declareNamespaces, el, serializeXmlDocument, textEl, type XmlNode } from './xml.js';

/** Every namespace the RSS output may use; only those actually used are declared. */
const RSS_NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  media: 'http://search.yahoo.com/mrss/',
} as const;

const RSS_DOCS = 'https://www.rssboard.org/rss-specification';

function imageNodes(article: Article): XmlNode[] {
  const { image } = article;
  // RSS enclosures must be http URLs; anything else is left out rather than emitted broken.
  if (!image || !isWebUrl(image.url)) return [];
  const type = imageType(image);
  return [
    el('media:content', { url: image.url, type, medium: mediumOf(type), fileSize: image.length ?? undefined }),
    el('enclosure', { url: image.url, length: image.length ?? 0, type }),
  ];
}

function itemNode(meta: FeedMeta, article: Article): XmlNode {
  const { credit } = article;
  // RSS <description> is HTML by convention, so the plain summary is
  // HTML-escaped first: readers then show "<b>" as text instead of markup.
  const description = article.summary?.trim() ? escapeHtml(article.summary) : null;
  return el(
    'item',
    null,
    textEl('title', article.title),
    textEl('link', originalUrl(article)),
    textEl('guid', article.guid, { isPermaLink: 'false' }),
    textEl('pubDate', formatRfc822(article.published)),
    textEl('description', description),
    el('content:encoded', null, cdata(contentWithFooter(meta.footerTemplate, article))),
    ...articleAuthors(article).map((name) => textEl('dc:creator', name)),
    ...article.categories.filter((c) => c.trim() !== '').map((category) => textEl('category', category)),
    textEl('source', credit.sourceName, { url: credit.feedUrl }),
    textEl('dc:rights', rightsText(credit)),
    ...credit.via.map((via) => textEl('dc:source', via.url ?? via.feedUrl ?? via.name)),
    ...imageNodes(article),
  );
}

/**
 * Renders the combined feed as RSS 2.0 (UTF-8, with declaration). Articles are
 * emitted in the order given. `meta` is validated with FeedMetaSchema.
 */
export function renderRss(meta: FeedMeta, articles: Article[]): string {
  const m = FeedMetaSchema.parse(meta);
  const channel = el(
    'channel',
    null,
    textEl('title', m.title),
    textEl('link', m.homeUrl),
    textEl('description', m.description),
    textEl('language', m.language),
    textEl('lastBuildDate', formatRfc822(m.updated)),
    textEl('generator', m.generator),
    textEl('docs', RSS_DOCS),
    el('atom:link', { href: m.selfUrls.rss, rel: 'self', type: 'application/rss+xml' }),
    m.hubUrl ? el('atom:link', { href: m.hubUrl, rel: 'hub' }) : null,
    ...articles.map((article) => itemNode(m, article)),
  );
  const root = declareNamespaces(el('rss', { version: '2.0' }, channel), RSS_NAMESPACES);
  return serializeXmlDocument(root, { stylesheetHref: m.stylesheetUrl });
}
