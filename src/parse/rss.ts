/**
 * RSS 2.0, 0.9x and 1.0 (RDF) channels and items -> RawFeed/RawItem, read
 * from the xml2js nodes rss-parser hands back (node-parser.ts), plus the
 * scanner's outline for xml:base and inline markup.
 */
import type { FeedFormat, RawFeed, RawItem, RawUpstream } from '../model/index.js';
import { atomLink } from './atom-links.js';
import { authorNames, authorsOf } from './authors.js';
import type { DocumentOutline } from './document-outline.js';
import { mediaContents, mediaDescription, originalLink, rssEnclosures, thumbnail, unique, withOriginalEnclosure } from './media.js';
import type { ParsedXml } from './xml-nodes.js';
import { escapeHtml, markupOf } from './text-construct.js';
import { skipDays, skipHours, ttlMinutes } from './ttl.js';
import { allTexts, attr, childBase, childNodes, cleanText, containerBase, firstChild, firstText, textOf, type RawSource, type XmlNode } from './xml-node.js';

/** HTML's element names, the current ones and the obsolete ones feeds still carry. */
const HTML_ELEMENTS =
  'a|abbr|acronym|address|area|article|aside|audio|b|base|bdi|bdo|big|blink|blockquote|body|br|button|canvas|caption|center|cite|code|col|colgroup|' +
  'data|datalist|dd|del|details|dfn|dialog|dir|div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|frame|frameset|h[1-6]|head|header|' +
  'hgroup|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|map|mark|marquee|math|menu|meta|meter|nav|noscript|object|ol|optgroup|' +
  'option|output|p|param|picture|pre|progress|q|rp|rt|ruby|s|samp|script|search|section|select|slot|small|source|span|strike|strong|style|sub|' +
  'summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|title|tr|track|tt|u|ul|var|video|wbr';

/**
 * What tells markup in an RSS title from text that merely has angle brackets:
 * a whole tag of an HTML element, or a character reference (double-escaped
 * text). RSS does not say which a title is; "The <think> token", "Vec<T>" or
 * "a<b" in an AI feed's title are words, while anything that is HTML is read
 * (and so sanitized) as HTML.
 */
const TITLE_MARKUP = new RegExp(`<\\/?(?:${HTML_ELEMENTS})(?:\\s[^<>]*)?\\/?>|&(?:#\\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);`, 'i');

/** A title as RawItem text reads (HTML): its markup when it has some, else its text escaped. */
function rssTitle(node: XmlNode, source: RawSource): string | null {
  const markup = firstMarkup(node, source, 'title');
  const title = markup ?? firstText(node, 'dc:title');
  return title === null || (markup !== null && TITLE_MARKUP.test(title)) ? title : escapeHtml(title);
}

/** Markup read from one child, with the xml:base in force inside it. */
interface Markup {
  value: string;
  base: string | null;
}

/** The first child of `name` with content, read as markup-or-text (with its index for the raw fallback and its base). */
function firstMarkupOf(node: XmlNode, source: RawSource, name: string): Markup | null {
  const nodes = childNodes(node, name);
  for (let index = 0; index < nodes.length; index++) {
    const value = markupOf(nodes[index], source, name, index);
    if (value !== null) return { value, base: childBase(source, name, index) };
  }
  return null;
}

function firstMarkup(node: XmlNode, source: RawSource, name: string): string | null {
  return firstMarkupOf(node, source, name)?.value ?? null;
}

/**
 * The RSS `<link>`: a text link, skipping Atom links that landed on the same
 * name through a default namespace (they have an href); else an Atom alternate.
 */
function rssLink(node: XmlNode): string | null {
  const links = childNodes(node, 'link');
  for (const link of links) {
    const text = attr(link, 'href') === null ? textOf(link) : null;
    if (text !== null) return text;
  }
  const atomLinks = [...links, ...childNodes(node, 'atom:link')].filter((link) => attr(link, 'href') !== null);
  return atomLink(atomLinks, 'alternate');
}

function selfLink(node: XmlNode): string | null {
  const atomLinks = [...childNodes(node, 'link'), ...childNodes(node, 'atom:link')];
  return atomLink(atomLinks.filter((link) => attr(link, 'href') !== null), 'self');
}

function isPermaLink(guid: XmlNode): boolean | null {
  const value = attr(guid, 'isPermaLink')?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : null;
}

/** RSS `<source url="feed">Title</source>`: the upstream publisher of an aggregated item. */
function upstreamOf(item: XmlNode): RawUpstream | null {
  const source = firstChild(item, 'source');
  if (source === undefined) return null;
  const title = textOf(source);
  const feedUrl = cleanText(attr(source, 'url'));
  return title === null && feedUrl === null ? null : { title, url: null, feedUrl };
}

/** Text read without its element's place (a text-only or nested element): the item's own base applies to it. */
function nullableMarkup(value: string | null): Markup | null {
  return value === null ? null : { value, base: null };
}

function rssItem(item: XmlNode, source: RawSource): RawItem {
  const guidNode = childNodes(item, 'guid').find((node) => textOf(node) !== null);
  // atom:author is how .NET's SyndicationFeed writes an author without an e-mail address (as a10:author).
  const authors = unique(authorsOf(item, 'author', 'dc:creator', 'dc:author', 'atom:author'));
  const description = firstMarkupOf(item, source, 'description') ?? nullableMarkup(firstText(item, 'dc:description'));
  // A non-RSS <summary> is the summary when there is no description, else taken as content.
  const summaryElement = firstMarkupOf(item, source, 'summary');
  const summary =
    description ??
    summaryElement ??
    // A podcast episode often describes itself only in itunes:summary (Apple's own sample feed does).
    firstMarkupOf(item, source, 'itunes:summary') ??
    nullableMarkup(mediaDescription(item));
  const content =
    firstMarkupOf(item, source, 'content:encoded') ??
    // XHTML bodies (inline markup) and Radio UserLand's escaped <fullitem> carry the full text too.
    firstMarkupOf(item, source, 'xhtml:body') ??
    firstMarkupOf(item, source, 'body') ??
    firstMarkupOf(item, source, 'fullitem') ??
    (description === null ? null : summaryElement);
  const itemBase = containerBase(source);
  // Relative URLs in the HTML resolve against the xml:base in force where it is written
  // (`<description xml:base>`): the content's, else the summary's.
  const contentBase = (content ?? summary)?.base ?? null;
  return {
    guid:
      (guidNode === undefined ? null : textOf(guidNode)) ??
      firstText(item, 'dc:identifier') ??
      cleanText(attr(item, 'rdf:about')),
    guidIsPermaLink: guidNode === undefined ? null : isPermaLink(guidNode),
    title: rssTitle(item, source),
    link: rssLink(item),
    originalLink: originalLink(item),
    base: itemBase,
    contentBase: contentBase !== null && contentBase !== itemBase ? contentBase : null,
    published: firstText(
      item,
      'pubDate',
      'dc:date',
      'dcterms:issued',
      'dcterms:created',
      'atom:published',
    ),
    // dc:date is the resource's date without saying which; it stands in for both when nothing more precise is given.
    updated: firstText(item, 'atom:updated', 'dcterms:modified', 'dc:date'),
    authors: authors.length > 0 ? authors : unique(authorNames(childNodes(item, 'itunes:author'))),
    summary: summary?.value ?? null,
    content: content?.value ?? null,
    categories: unique([...allTexts(item, 'category'), ...allTexts(item, 'dc:subject')]),
    enclosures: withOriginalEnclosure(rssEnclosures(item), item),
    media: mediaContents(item),
    thumbnail: thumbnail(item),
    upstream: upstreamOf(item),
  };
}

/** Maps an RSS 2.0 / 0.9x / 1.0 parse to RawFeed. */
export function rssFeed(format: FeedFormat, parsed: ParsedXml, outline: DocumentOutline): RawFeed {
  const channel = parsed.channel;
  const source = outline.feedSource();
  // The channel's base is the root's when the channel sets none.
  const rootBase = outline.bases ? (outline.prolog.root?.base ?? null) : null;
  return {
    format,
    title: rssTitle(channel, source),
    link: rssLink(channel),
    selfUrl: selfLink(channel),
    base: containerBase(source) ?? rootBase,
    description: firstMarkup(channel, source, 'description') ?? firstText(channel, 'dc:description'),
    language: firstText(channel, 'language', 'dc:language'),
    ttlMinutes: ttlMinutes(channel),
    skipHours: skipHours(channel),
    skipDays: skipDays(channel),
    items: parsed.items.map((item, index) => rssItem(item, outline.itemSource(index))),
  };
}

