/**
 * RSS 2.0, 0.9x and 1.0 (RDF) channels and items -> RawFeed/RawItem, read
 * from the raw nodes rss-parser returns through our custom fields, plus the
 * scanner's outline for xml:base and inline markup.
 */
import type { FeedFormat, RawFeed, RawItem, RawUpstream } from '../model/index.js';
import { atomLink } from './atom-links.js';
import { authorNames, authorsOf } from './authors.js';
import { rawKey } from './custom-fields.js';
import { mediaContents, mediaDescription, rssEnclosures, thumbnail, unique } from './media.js';
import { markupOf } from './text-construct.js';
import { ttlMinutes } from './ttl.js';
import { allTexts, attr, childNodes, cleanText, firstChild, firstText, textOf, type RawSource, type XmlNode } from './xml-node.js';
import type { ContainerOutline } from './xml-outline.js';

/** The first child of `name` with content, read as markup-or-text (with its index for the raw fallback). */
function firstMarkup(node: XmlNode, source: RawSource, name: string): string | null {
  const nodes = childNodes(node, rawKey(name));
  for (let index = 0; index < nodes.length; index++) {
    const value = markupOf(nodes[index], source, name, index);
    if (value !== null) return value;
  }
  return null;
}

/**
 * The RSS `<link>`: a text link, skipping Atom links that landed on the same
 * name through a default namespace (they have an href); else an Atom alternate.
 */
function rssLink(node: XmlNode): string | null {
  const links = childNodes(node, rawKey('link'));
  for (const link of links) {
    const text = attr(link, 'href') === null ? textOf(link) : null;
    if (text !== null) return text;
  }
  const atomLinks = [...links, ...childNodes(node, rawKey('atom:link'))].filter((link) => attr(link, 'href') !== null);
  return atomLink(atomLinks, 'alternate');
}

function selfLink(node: XmlNode): string | null {
  const atomLinks = [...childNodes(node, rawKey('link')), ...childNodes(node, rawKey('atom:link'))];
  return atomLink(atomLinks.filter((link) => attr(link, 'href') !== null), 'self');
}

function isPermaLink(guid: XmlNode): boolean | null {
  const value = attr(guid, 'isPermaLink')?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : null;
}

/** RSS `<source url="feed">Title</source>`: the upstream publisher of an aggregated item. */
function upstreamOf(item: XmlNode): RawUpstream | null {
  const source = firstChild(item, rawKey('source'));
  if (source === undefined) return null;
  const title = textOf(source);
  const feedUrl = cleanText(attr(source, 'url'));
  return title === null && feedUrl === null ? null : { title, url: null, feedUrl };
}

function rssItem(item: XmlNode, outline: ContainerOutline | null, xml: string): RawItem {
  const source: RawSource = { xml, outline };
  const field = rawKey;
  const guidNode = childNodes(item, field('guid')).find((node) => textOf(node) !== null);
  const about = item && typeof item === 'object' ? (item as Record<string, unknown>)['rdf:about'] : undefined;
  const authors = unique(authorsOf(item, field('author'), field('dc:creator'), field('dc:author')));
  const description = firstMarkup(item, source, 'description') ?? firstText(item, field('dc:description'));
  // A non-RSS <summary> is the summary when there is no description, else taken as content.
  const summaryElement = firstMarkup(item, source, 'summary');
  return {
    guid:
      (guidNode === undefined ? null : textOf(guidNode)) ??
      firstText(item, field('dc:identifier')) ??
      cleanText(typeof about === 'string' ? about : null),
    guidIsPermaLink: guidNode === undefined ? null : isPermaLink(guidNode),
    title: firstMarkup(item, source, 'title') ?? firstText(item, field('dc:title')),
    link: rssLink(item),
    base: outline?.base ?? null,
    published: firstText(
      item,
      field('pubDate'),
      field('dc:date'),
      field('dcterms:issued'),
      field('dcterms:created'),
      field('atom:published'),
    ),
    // dc:date is the resource's date without saying which; it stands in for both when nothing more precise is given.
    updated: firstText(item, field('atom:updated'), field('dcterms:modified'), field('dc:date')),
    authors: authors.length > 0 ? authors : unique(authorNames(childNodes(item, field('itunes:author')))),
    summary: description ?? summaryElement ?? mediaDescription(item),
    content:
      firstMarkup(item, source, 'content:encoded') ??
      // XHTML bodies (inline markup) and Radio UserLand's escaped <fullitem> carry the full text too.
      firstMarkup(item, source, 'xhtml:body') ??
      firstMarkup(item, source, 'body') ??
      firstMarkup(item, source, 'fullitem') ??
      (description === null ? null : summaryElement),
    categories: unique([...allTexts(item, field('category')), ...allTexts(item, field('dc:subject'))]),
    enclosures: rssEnclosures(item),
    media: mediaContents(item),
    thumbnail: thumbnail(item),
    upstream: upstreamOf(item),
  };
}

/** What rss-parser returned, reduced to what we read: feed-level raw fields and the items. */
export interface ParsedXml {
  channel: XmlNode;
  items: XmlNode[];
}

/** Maps an RSS 2.0 / 0.9x / 1.0 parse to RawFeed. */
export function rssFeed(
  format: FeedFormat,
  parsed: ParsedXml,
  xml: string,
  outline: { feed: ContainerOutline | null; root: ContainerOutline | null; items: ContainerOutline[] },
): RawFeed {
  const channel = parsed.channel;
  const source: RawSource = { xml, outline: outline.feed };
  return {
    format,
    title: firstMarkup(channel, source, 'title') ?? firstText(channel, rawKey('dc:title')),
    link: rssLink(channel),
    selfUrl: selfLink(channel),
    base: outline.feed?.base ?? outline.root?.base ?? null,
    description: firstMarkup(channel, source, 'description') ?? firstText(channel, rawKey('dc:description')),
    language: firstText(channel, rawKey('language'), rawKey('dc:language')),
    ttlMinutes: ttlMinutes(channel),
    items: parsed.items.map((item, index) => rssItem(item, outline.items[index] ?? null, xml)),
  };
}

