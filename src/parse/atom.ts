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
import { HIDDEN_PREFIX, NS } from './names.js';
import type { ParsedXml } from './rss.js';
import { atomTextConstruct, type ConstructOptions } from './text-construct.js';
import { ttlMinutes } from './ttl.js';
import { allTexts, attr, childNodes, childOutline, cleanText, firstChild, firstText, textOf, type RawSource, type XmlNode } from './xml-node.js';
import type { ContainerOutline } from './xml-outline.js';

const LINK = `${HIDDEN_PREFIX}link`;
const PUBLISHED = `${HIDDEN_PREFIX}published`;
const UPDATED = `${HIDDEN_PREFIX}updated`;

/** The first non-empty text construct among children named `name`. */
function construct(node: XmlNode, source: RawSource, name: string, options: ConstructOptions): string | null {
  const nodes = childNodes(node, rawKey(name));
  for (let index = 0; index < nodes.length; index++) {
    const value = atomTextConstruct(nodes[index], source, name, index, options);
    if (value !== null) return value;
  }
  return null;
}

/** Atom 0.3 (its namespace or `version="0.3"` on the root) keeps inline XML as is; Atom 1.0 unwraps its div. */
function constructOptions(root: ContainerOutline | null): ConstructOptions {
  const attrs = Object.values(root?.attrs ?? {});
  const atom03 = attrs.includes(NS.atom03) || root?.attrs['version']?.trim() === '0.3';
  return { unwrapXhtmlDiv: !atom03 };
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
function upstreamOf(entry: XmlNode, options: ConstructOptions): RawUpstream | null {
  const source = firstChild(entry, rawKey('source'));
  if (source === undefined || typeof source === 'string') return null;
  const links = childNodes(source, LINK);
  // Nested below the entry, so the scanner has no offsets for its markup: the title's text is read from the nodes.
  const noMarkup: RawSource = { xml: '', outline: null };
  const upstream = {
    title: atomTextConstruct(firstChild(source, 'title'), noMarkup, 'title', 0, options),
    url: atomLink(links, 'alternate'),
    feedUrl: atomLink(links, 'self'),
  };
  return upstream.title === null && upstream.url === null && upstream.feedUrl === null ? null : upstream;
}

function atomEntry(
  entry: XmlNode,
  outline: ContainerOutline | null,
  xml: string,
  feedAuthors: string[],
  options: ConstructOptions,
): RawItem {
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
    title: construct(entry, source, 'title', options) ?? firstText(entry, rawKey('dc:title')),
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
    summary: construct(entry, source, 'summary', options) ?? mediaDescription(entry),
    content: construct(entry, source, 'content', options),
    categories: categoriesOf(entry),
    enclosures: atomEnclosures(links, linkBase),
    media: mediaContents(entry),
    thumbnail: thumbnail(entry),
    upstream: upstreamOf(entry, options),
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
  const options = constructOptions(outline.root);
  return {
    format: 'atom',
    title: construct(feed, source, 'title', options),
    link: atomLink(links, 'alternate', linkBase),
    selfUrl: atomLink(links, 'self', linkBase),
    base: outline.root?.base ?? null,
    description: construct(feed, source, 'subtitle', options) ?? construct(feed, source, 'tagline', options),
    language: cleanText(outline.root?.attrs['xml:lang']) ?? firstText(feed, rawKey('dc:language')),
    ttlMinutes: ttlMinutes(feed),
    items: parsed.items.map((entry, index) => atomEntry(entry, outline.items[index] ?? null, xml, feedAuthors, options)),
  };
}
