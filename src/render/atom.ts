/**
 * Atom 1.0 (RFC 4287) output. Each entry credits its source with an
 * `<source>` element (the source feed's id, title, links), `<rights>` with the
 * credit line and license, and the credit footer inside `<content>`. Upstream
 * publishers appear as `<link rel="via">`.
 *
 * The feed id is the Atom self URL: stable for as long as the feed is served
 * there, which is exactly as long as readers can find it anyway. Archive
 * pages (RFC 5005) are their own documents with their own ids.
 */
import type { Article } from '../model/index.js';
import { articleCategories, authorsOrSource, originalUrl, publicFeedUrl, rightsText } from './credit.js';
import { formatIsoUtc, latestIso } from './dates.js';
import { contentParts } from './footer.js';
import { isWebUrl } from './html-escape.js';
import { FEED_HISTORY_NS, writeHistory } from './history.js';
import { enclosureType, FALLBACK_ENCLOSURE_TYPE, imageType, publishedEnclosure } from './media.js';
import { FeedMetaSchema, type FeedMeta } from './meta.js';
import { XmlWriter } from './xml-writer.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

function entryUpdated(article: Article): string {
  return article.updated ?? article.published;
}

function writeSource(w: XmlWriter, article: Article, updated: string): void {
  const { credit } = article;
  // A feed read from a file has no address to publish; atom:source's id is a SHOULD.
  const feedUrl = publicFeedUrl(credit);
  w.open('source');
  w.text('id', feedUrl);
  w.text('title', credit.sourceName, { type: 'text' });
  // The source feed's own update time is not kept; this entry's time is a
  // lower bound for it, which is what RFC 4287 §4.2.11 asks to preserve.
  w.text('updated', updated);
  if (feedUrl !== null) w.empty('link', { rel: 'self', href: feedUrl });
  if (isWebUrl(credit.sourceSite)) w.empty('link', { rel: 'alternate', type: 'text/html', href: credit.sourceSite });
  w.close();
}

function writeEntry(w: XmlWriter, meta: FeedMeta, article: Article): void {
  const summary = article.summary?.trim() ? article.summary : null;
  const updated = formatIsoUtc(entryUpdated(article));
  const { image } = article;
  w.open('entry');
  w.text('id', article.guid);
  w.text('title', article.title, { type: 'text' });
  const link = originalUrl(article);
  if (link !== null) w.empty('link', { rel: 'alternate', type: 'text/html', href: link });
  for (const via of article.credit.via) {
    const href = via.url ?? via.feedUrl;
    if (isWebUrl(href)) w.empty('link', { rel: 'via', href });
  }
  const media = publishedEnclosure(article);
  // Before the image: readers that play one enclosure take the first.
  if (media !== null) w.empty('link', { rel: 'enclosure', href: media.url, type: enclosureType(media), length: media.length ?? undefined });
  if (image && isWebUrl(image.url)) {
    // Atom's type is optional, but readers take a link without one for HTML (feedparser reports
    // text/html), and an enclosure read as a page is no lead image: the RSS enclosure's fallback.
    w.empty('link', { rel: 'enclosure', href: image.url, type: imageType(image) ?? FALLBACK_ENCLOSURE_TYPE, length: image.length ?? undefined });
  }
  w.text('published', formatIsoUtc(article.published));
  w.text('updated', updated);
  for (const name of authorsOrSource(article)) w.open('author').text('name', name).close();
  for (const term of articleCategories(article)) w.empty('category', { term });
  w.text('summary', summary, { type: 'text' });
  w.textOf('content', contentParts(meta.footerTemplate, article), { type: 'html' });
  w.text('rights', rightsText(article.credit), { type: 'text' });
  writeSource(w, article, updated);
  w.close();
}

/**
 * Renders the combined feed as Atom 1.0. The feed's `updated` is the latest
 * of the entries' updates and meta.updated, which also counts when each item
 * arrived: a back-dated entry changes the feed when byline first sees it,
 * and a reader that compares the feed's date would otherwise pass it over.
 * Entries keep the order given. `meta` is validated with FeedMetaSchema.
 */
export function renderAtom(meta: FeedMeta, articles: Article[]): string {
  const m = FeedMetaSchema.parse(meta);
  const updated = latestIso([m.updated, ...articles.map(entryUpdated)], m.updated);
  const w = new XmlWriter();
  w.root('feed', { xmlns: ATOM_NS, 'xml:lang': m.language }, { fh: FEED_HISTORY_NS });
  w.text('id', m.selfUrls.atom);
  w.text('title', m.title, { type: 'text' });
  if (m.description.trim()) w.text('subtitle', m.description, { type: 'text' });
  w.text('updated', formatIsoUtc(updated));
  w.empty('link', { rel: 'self', type: 'application/atom+xml', href: m.selfUrls.atom });
  w.empty('link', { rel: 'alternate', type: 'text/html', href: m.homeUrl });
  if (m.hubUrl) w.empty('link', { rel: 'hub', href: m.hubUrl });
  writeHistory(w, m.paging, 'atom', 'link');
  w.text('generator', m.generator);
  for (const article of articles) writeEntry(w, m, article);
  return w.finish();
}
