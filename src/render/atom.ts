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
import { authorsOrSource, originalUrl, rightsText } from './credit.js';
import { formatIsoUtc, latestIso } from './dates.js';
import { contentWithFooter } from './footer.js';
import { isWebUrl } from './html-escape.js';
import { FEED_HISTORY_NS, historyNodes } from './history.js';
import { imageType } from './media.js';
import { FeedMetaSchema, type FeedMeta } from './meta.js';
import { declareNamespaces, el, serializeXmlDocument, textEl, type XmlNode } from './xml.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

function entryUpdated(article: Article): string {
  return article.updated ?? article.published;
}

function sourceNode(article: Article): XmlNode {
  const { credit } = article;
  return el(
    'source',
    null,
    textEl('id', credit.feedUrl),
    textEl('title', credit.sourceName, { type: 'text' }),
    // The source feed's own update time is not kept; this entry's time is a
    // lower bound for it, which is what RFC 4287 §4.2.11 asks to preserve.
    textEl('updated', formatIsoUtc(entryUpdated(article))),
    el('link', { rel: 'self', href: credit.feedUrl }),
    isWebUrl(credit.sourceSite) ? el('link', { rel: 'alternate', type: 'text/html', href: credit.sourceSite }) : null,
  );
}

function viaLinks(article: Article): XmlNode[] {
  return article.credit.via
    .map((via) => via.url ?? via.feedUrl)
    .filter((href): href is string => isWebUrl(href))
    .map((href) => el('link', { rel: 'via', href }));
}

function enclosureLink(article: Article): XmlNode | null {
  const { image } = article;
  if (!image || !isWebUrl(image.url)) return null;
  return el('link', { rel: 'enclosure', href: image.url, type: imageType(image), length: image.length ?? undefined });
}

function entryNode(meta: FeedMeta, article: Article): XmlNode {
  const summary = article.summary?.trim() ? article.summary : null;
  return el(
    'entry',
    null,
    textEl('id', article.guid),
    textEl('title', article.title, { type: 'text' }),
    el('link', { rel: 'alternate', type: 'text/html', href: originalUrl(article) }),
    ...viaLinks(article),
    enclosureLink(article),
    textEl('published', formatIsoUtc(article.published)),
    textEl('updated', formatIsoUtc(entryUpdated(article))),
    ...authorsOrSource(article).map((name) => el('author', null, textEl('name', name))),
    ...article.categories.filter((c) => c.trim() !== '').map((term) => el('category', { term })),
    textEl('summary', summary, { type: 'text' }),
    textEl('content', contentWithFooter(meta.footerTemplate, article), { type: 'html' }),
    textEl('rights', rightsText(article.credit), { type: 'text' }),
    sourceNode(article),
  );
}

/**
 * Renders the combined feed as Atom 1.0. The feed's `updated` is the latest
 * entry update (meta.updated when there are no entries). Entries keep the
 * order given. `meta` is validated with FeedMetaSchema.
 */
export function renderAtom(meta: FeedMeta, articles: Article[]): string {
  const m = FeedMetaSchema.parse(meta);
  const updated = latestIso(articles.map(entryUpdated), m.updated);
  const root = el(
    'feed',
    { xmlns: ATOM_NS, 'xml:lang': m.language },
    textEl('id', m.selfUrls.atom),
    textEl('title', m.title, { type: 'text' }),
    m.description.trim() ? textEl('subtitle', m.description, { type: 'text' }) : null,
    textEl('updated', formatIsoUtc(updated)),
    el('link', { rel: 'self', type: 'application/atom+xml', href: m.selfUrls.atom }),
    el('link', { rel: 'alternate', type: 'text/html', href: m.homeUrl }),
    m.hubUrl ? el('link', { rel: 'hub', href: m.hubUrl }) : null,
    ...historyNodes(m.paging, 'atom', 'link'),
    textEl('generator', m.generator),
    ...articles.map((article) => entryNode(m, article)),
  );
  return serializeXmlDocument(declareNamespaces(root, { fh: FEED_HISTORY_NS }));
}
