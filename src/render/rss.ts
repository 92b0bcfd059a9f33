/**
 * RSS 2.0 output. Each item credits its source three ways: `<source url>`
 * naming the source feed, `<dc:rights>` with the credit line and license, and
 * the credit footer inside `<content:encoded>`. Upstream publishers (via) are
 * `<atom:link rel="via">` and a footer line; `dc:source` is not used because
 * next to `<source>` validators read it as the same statement made twice.
 *
 * Two profiles share this renderer. `feed` is the subscription feed. The
 * `newsletter` profile is for RSS-to-email tools: items are dated by when
 * byline first saw them (those tools send what is newer than their last run,
 * so a back-dated item would never be mailed), and the credit footer is always
 * complete and also closes `<description>`, which several tools mail instead
 * of `content:encoded`.
 */
import type { Article } from '../model/index.js';
import { articleAuthors, originalUrl, rightsText } from './credit.js';
import { formatRfc822 } from './dates.js';
import { contentWithFooter, renderFooter } from './footer.js';
import { escapeHtml, isWebUrl } from './html-escape.js';
import { imageType, mediumOf } from './media.js';
import { FEED_HISTORY_NS, historyNodes } from './history.js';
import { FeedMetaSchema, type FeedMeta } from './meta.js';
import { cdata, declareNamespaces, el, serializeXmlDocument, textEl, type XmlNode } from './xml.js';

/** Every namespace the RSS output may use; only those actually used are declared. */
const RSS_NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  fh: FEED_HISTORY_NS,
  media: 'http://search.yahoo.com/mrss/',
} as const;

const RSS_DOCS = 'https://www.rssboard.org/rss-specification';

/** Which RSS document is being written; see the module comment. */
export type RssProfile = 'feed' | 'newsletter';

function imageNodes(article: Article): XmlNode[] {
  const { image } = article;
  // RSS enclosures must be http URLs; anything else is left out rather than emitted broken.
  if (!image || !isWebUrl(image.url)) return [];
  const type = imageType(image);
  return [
    el('media:content', { url: image.url, type, medium: mediumOf(type), fileSize: image.length ?? undefined }),
    // RSS requires a length; 0 is the accepted value for "unknown".
    el('enclosure', { url: image.url, length: image.length ?? 0, type }),
  ];
}

function viaLinks(article: Article): XmlNode[] {
  return article.credit.via
    .map((via) => via.url ?? via.feedUrl)
    .filter((href): href is string => isWebUrl(href))
    .map((href) => el('atom:link', { rel: 'via', href }));
}

function description(meta: FeedMeta, article: Article, profile: RssProfile): string | null {
  // RSS <description> is HTML by convention, so the plain summary is
  // HTML-escaped first: readers then show "<b>" as text instead of markup.
  const summary = article.summary?.trim() ? escapeHtml(article.summary) : null;
  if (profile === 'feed') return summary;
  const footer = renderFooter(meta.footerTemplate, article).html;
  return [summary === null ? null : `<p>${summary}</p>`, footer || null].filter((part) => part !== null).join('\n') || null;
}

function itemNode(meta: FeedMeta, article: Article, profile: RssProfile): XmlNode {
  const { credit } = article;
  const date = profile === 'newsletter' ? article.firstSeen : article.published;
  return el(
    'item',
    null,
    textEl('title', article.title),
    textEl('link', originalUrl(article)),
    // A tag: URI is not a permalink, so isPermaLink is always "false".
    textEl('guid', article.guid, { isPermaLink: 'false' }),
    textEl('pubDate', formatRfc822(date)),
    textEl('description', description(meta, article, profile)),
    el('content:encoded', null, cdata(contentWithFooter(meta.footerTemplate, article, profile === 'newsletter'))),
    ...articleAuthors(article).map((name) => textEl('dc:creator', name)),
    ...article.categories.filter((c) => c.trim() !== '').map((category) => textEl('category', category)),
    textEl('source', credit.sourceName, { url: credit.feedUrl }),
    textEl('dc:rights', rightsText(credit)),
    ...viaLinks(article),
    ...imageNodes(article),
  );
}

/**
 * Renders the combined feed as RSS 2.0 (UTF-8, with declaration). Articles are
 * emitted in the order given. `meta` is validated with FeedMetaSchema; its
 * `selfUrls.rss` is the document's own URL (the newsletter's or an archive
 * page's when rendering those).
 */
export function renderRss(meta: FeedMeta, articles: Article[], profile: RssProfile = 'feed'): string {
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
    ...historyNodes(m.paging, 'rss', 'atom:link'),
    ...articles.map((article) => itemNode(m, article, profile)),
  );
  const root = declareNamespaces(el('rss', { version: '2.0' }, channel), RSS_NAMESPACES);
  return serializeXmlDocument(root, { stylesheetHref: m.stylesheetUrl });
}
