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
import { articleAuthors, articleCategories, originalUrl, publicFeedUrl, rightsText } from './credit.js';
import { formatRfc822 } from './dates.js';
import { contentParts, renderFooter } from './footer.js';
import { escapeHtml, isWebUrl } from './html-escape.js';
import { enclosureType, FALLBACK_ENCLOSURE_TYPE, imageType, mediumOf, publishedEnclosure } from './media.js';
import { FEED_HISTORY_NS, writeHistory } from './history.js';
import { FeedMetaSchema, type FeedMeta } from './meta.js';
import { XmlWriter } from './xml-writer.js';

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

/**
 * The lead image and the audio/video file. RSS allows one `<enclosure>`, and
 * podcast apps read only that: the audio/video file takes it when there is
 * one, and the image is then given by Media RSS alone (content and thumbnail).
 */
function writeMedia(w: XmlWriter, article: Article): void {
  const { image } = article;
  const media = publishedEnclosure(article);
  // RSS enclosures must be http URLs; anything else is left out rather than emitted broken.
  if (image && isWebUrl(image.url)) {
    const type = imageType(image);
    // A lead image is an image even when its type is unknown; Media RSS lets the type be left out.
    w.empty('media:content', { url: image.url, type: type ?? undefined, medium: type ? mediumOf(type) : 'image', fileSize: image.length ?? undefined });
    // RSS requires a length and a type; 0 is the accepted value for an unknown length.
    if (media === null) w.empty('enclosure', { url: image.url, length: image.length ?? 0, type: type ?? FALLBACK_ENCLOSURE_TYPE });
    else w.empty('media:thumbnail', { url: image.url });
  }
  if (media !== null) w.empty('enclosure', { url: media.url, length: media.length ?? 0, type: enclosureType(media) });
}

function writeViaLinks(w: XmlWriter, article: Article): void {
  for (const via of article.credit.via) {
    const href = via.url ?? via.feedUrl;
    if (isWebUrl(href)) w.empty('atom:link', { rel: 'via', href });
  }
}

function description(meta: FeedMeta, article: Article, profile: RssProfile): string | null {
  // RSS <description> is HTML by convention, so the plain summary is
  // HTML-escaped first: readers then show "<b>" as text instead of markup.
  const summary = article.summary?.trim() ? escapeHtml(article.summary) : null;
  if (profile === 'feed') return summary;
  const footer = renderFooter(meta.footerTemplate, article).html;
  return [summary === null ? null : `<p>${summary}</p>`, footer || null].filter((part) => part !== null).join('\n') || null;
}

function writeItem(w: XmlWriter, meta: FeedMeta, article: Article, profile: RssProfile): void {
  const { credit } = article;
  const date = profile === 'newsletter' ? article.firstSeen : article.published;
  w.open('item');
  w.text('title', article.title);
  w.text('link', originalUrl(article));
  // A tag: URI is not a permalink, so isPermaLink is always "false".
  w.text('guid', article.guid, { isPermaLink: 'false' });
  w.text('pubDate', formatRfc822(date));
  w.text('description', description(meta, article, profile));
  w.cdata('content:encoded', contentParts(meta.footerTemplate, article, profile === 'newsletter'));
  for (const name of articleAuthors(article)) w.text('dc:creator', name);
  for (const category of articleCategories(article)) w.text('category', category);
  // `url` is required: a feed read from a file is pointed to by the source's site instead, and
  // with neither, the name stays in the footer and the rights.
  const sourceUrl = publicFeedUrl(credit) ?? (isWebUrl(credit.sourceSite) ? credit.sourceSite : null);
  if (sourceUrl !== null) w.text('source', credit.sourceName, { url: sourceUrl });
  w.text('dc:rights', rightsText(credit));
  writeViaLinks(w, article);
  writeMedia(w, article);
  w.close();
}

/**
 * Renders the combined feed as RSS 2.0 (UTF-8, with declaration). Articles are
 * emitted in the order given. `meta` is validated with FeedMetaSchema; its
 * `selfUrls.rss` is the document's own URL (the newsletter's or an archive
 * page's when rendering those).
 */
export function renderRss(meta: FeedMeta, articles: Article[], profile: RssProfile = 'feed'): string {
  const m = FeedMetaSchema.parse(meta);
  const w = new XmlWriter({ stylesheetHref: m.stylesheetUrl });
  w.root('rss', { version: '2.0' }, RSS_NAMESPACES);
  w.open('channel');
  w.text('title', m.title);
  w.text('link', m.homeUrl);
  w.text('description', m.description);
  w.text('language', m.language);
  w.text('lastBuildDate', formatRfc822(m.updated));
  w.text('generator', m.generator);
  w.text('docs', RSS_DOCS);
  w.empty('atom:link', { href: m.selfUrls.rss, rel: 'self', type: 'application/rss+xml' });
  if (m.hubUrl) w.empty('atom:link', { href: m.hubUrl, rel: 'hub' });
  writeHistory(w, m.paging, 'rss', 'atom:link');
  for (const article of articles) writeItem(w, m, article, profile);
  return w.finish();
}
