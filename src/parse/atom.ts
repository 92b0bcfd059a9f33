/**
 * Atom 1.0 and 0.3 feeds and entries -> RawFeed/RawItem. Links, dates and
 * authors are read from the raw nodes (rss-parser keeps only the first author,
 * falls back to any link when there is no alternate, and throws on some
 * dates); text constructs follow their `type` (see text-construct.ts).
 */
import type { RawFeed, RawItem, RawUpstream } from '../model/index.js';
import { atomEnclosures, atomLink, type LinkBase } from './atom-links.js';
import { authorsOf } from './authors.js';
import { rawKey } from './custom-fields.js';
import { mediaContents, mediaDescription, thumbnail, unique } from './media.js';
import { HIDDEN_PREFIX } from './names.js';
import type { ParsedXml } from './rss.js';
import { atomTextConstruct } from './text-construct.js';
import { ttlMinutes } from './ttl.js';
import { allTexts, attr, childNodes, childOutline, cleanText, firstChild, firstText, textOf, type RawSource, type XmlNode } from './xml-node.js';
import type { ContainerOutline } from './xml-outline.js';

const LINK = `${HIDDEN_PREFIX}link`;
const PUBLISHED = `${HIDDEN_PREFIX}published`;
const UPDATED = `${HIDDEN_PREFIX}updated`;

/** The first non-empty text construct among children named `name`. */
function construct(node: XmlNode, source: RawSource, name: string): string | null {
  const nodes = childNodes(node, rawKey(name));
  for (let index = 0; index < nodes.length; index++) {
    const value = atomTextConstruct(nodes[index], source, name, index);
    if (value !== null) return value;
  }
  return null;
}

/** Categories: the human label when given, else the term; Atom 0.3 feeds used text and dc:subject. */
function categoriesOf(entry: XmlNode): string[] {
  const own = childNodes(entry, rawKey('category')).flatMap((node) => {
    const value = cleanText(attr(node, 'label')) ?? cleanText(attr(node, 'term')) ?? textOf(node);
    return value === null ? [] : [value];
  });
  return unique([...own, ...allTexts(entry, rawKey('dc:subject'))]);
}

/** atom:source: the feed an entry was copied from (an aggregator's upstream). */
function upstreamOf(entry: XmlNode): RawUpstream | null {
  const source = firstChild(entry, rawKey('source'));
  if (source === undefined || typeof source === 'string') return null;
  const links = childNodes(source, LINK);
  const upstream = {
    title: firstText(source, 'title'),
    url: atomLink(links, 'alternate'),
    feedUrl: atomLink(links, 'self'),
  };
  return upstream.title === null && upstream.url === null && upstream.feedUrl === null ? null : upstream;
}

function atomEntry(entry: XmlNode, outline: ContainerOutline | null, xml: string, feedAuthors: string[]): RawItem {
  const source: RawSource = { xml, outline };
  const links = childNodes(entry, rawKey(LINK));
  const linkBase: LinkBase = (index) => childOutline(source, LINK, index)?.base ?? null;
  const authors = unique(authorsOf(entry, rawKey('author'), rawKey('dc:creator')));
  // `base` is the one in force for the content (its own xml:base when it has one); links are resolved
  // against their own base here because it can differ from the content's.
  const contentBase = childOutline(source, 'content', 0)?.base ?? childOutline(source, 'summary', 0)?.base;
  return {
    guid: firstText(entry, rawKey('id')),
    guidIsPermaLink: null,
    title: construct(entry, source, 'title') ?? firstText(entry, rawKey('dc:title')),
    link: atomLink(links, 'alternate', linkBase),
    base: contentBase ?? outline?.base ?? null,
    published: firstText(
      entry,
      rawKey(PUBLISHED),
      rawKey('issued'),
      rawKey('created'),
      rawKey('dc:date'),
      rawKey('dcterms:issued'),
    ),
    updated: firstText(entry, rawKey(UPDATED), rawKey('modified'), rawKey('dcterms:modified')),
    // RFC 4287: an entry without authors takes the feed's.
    authors: authors.length > 0 ? authors : feedAuthors,
    summary: construct(entry, source, 'summary') ?? mediaDescription(entry),
    content: construct(entry, source, 'content'),
    categories: categoriesOf(entry),
    enclosures: atomEnclosures(links, linkBase),
    media: mediaContents(entry),
    thumbnail: thumbnail(entry),
    upstream: upstreamOf(entry),
  };
}

/** Maps an Atom 1.0 / 0.3 parse to RawFeed. */
export function atomFeed(
  parsed: ParsedXml,
  xml: string,
  outline: { feed: ContainerOutline | null; root: ContainerOutline | null; items: ContainerOutline[] },
): RawFeed {
  const feed = parsed.channel;
  const source: RawSource = { xml, outline: outline.feed };
  const links = childNodes(feed, rawKey(LINK));
  const linkBase: LinkBase = (index) => childOutline(source, LINK, index)?.base ?? null;
  const feedAuthors = unique(authorsOf(feed, rawKey('author'), rawKey('dc:creator')));
  return {
    format: 'atom',
    title: construct(feed, source, 'title'),
    link: atomLink(links, 'alternate', linkBase),
    selfUrl: atomLink(links, 'self', linkBase),
    base: outline.root?.base ?? null,
    description: construct(feed, source, 'subtitle') ?? construct(feed, source, 'tagline'),
    language: cleanText(outline.root?.attrs['xml:lang']) ?? firstText(feed, rawKey('dc:language')),
    ttlMinutes: ttlMinutes(feed),
    items: parsed.items.map((entry, index) => atomEntry(entry, outline.items[index] ?? null, xml, feedAuthors)),
  };
}
