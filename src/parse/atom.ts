/**
 * Atom 1.0 and 0.3 feeds and entries -> RawFeed/RawItem, read from the xml2js
 * nodes rss-parser hands back (node-parser.ts): links chosen by relation and
 * type, every author, dates as written; text constructs follow their `type`
 * (see text-construct.ts).
 */
import type { RawFeed, RawItem, RawUpstream } from '../model/index.js';
import { atomEnclosures, atomLink, type LinkBase } from './atom-links.js';
import { authorsOf } from './authors.js';
import type { DocumentOutline } from './document-outline.js';
import { mediaContents, mediaDescription, originalLink, thumbnail, unique, withOriginalEnclosure } from './media.js';
import { NS } from './names.js';
import type { ParsedXml } from './xml-nodes.js';
import { atomTextConstruct, type ConstructOptions } from './text-construct.js';
import { ttlMinutes } from './ttl.js';
import {
  allTexts,
  attr,
  childBase,
  childNodes,
  cleanText,
  containerBase,
  firstChild,
  firstText,
  textOf,
  type RawSource,
  type XmlNode,
} from './xml-node.js';
import type { ContainerOutline } from './xml-outline.js';

/** The first non-empty text construct among children named `name`. */
function construct(node: XmlNode, source: RawSource, name: string, options: ConstructOptions): string | null {
  const nodes = childNodes(node, name);
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
  const own = childNodes(entry, 'category').flatMap((node) => {
    const value = cleanText(attr(node, 'label')) ?? cleanText(attr(node, 'term')) ?? textOf(node);
    return value === null ? [] : [value];
  });
  return unique([...own, ...allTexts(entry, 'dc:subject')]);
}

/** atom:source: the feed an entry was copied from (an aggregator's upstream). */
function upstreamOf(entry: XmlNode, options: ConstructOptions): RawUpstream | null {
  const source = firstChild(entry, 'source');
  if (source === undefined || typeof source === 'string') return null;
  const links = childNodes(source, 'link');
  // Nested below the entry, so the scanner has no offsets for its markup: the title's text is read from the nodes.
  const noMarkup: RawSource = { xml: '', outline: () => null, bases: false };
  const upstream = {
    title: atomTextConstruct(firstChild(source, 'title'), noMarkup, 'title', 0, options),
    url: atomLink(links, 'alternate'),
    feedUrl: atomLink(links, 'self'),
  };
  return upstream.title === null && upstream.url === null && upstream.feedUrl === null ? null : upstream;
}

function atomEntry(entry: XmlNode, source: RawSource, feedAuthors: string[], options: ConstructOptions): RawItem {
  const links = childNodes(entry, 'link');
  const linkBase: LinkBase = (index) => childBase(source, 'link', index);
  const authors = unique(authorsOf(entry, 'author', 'dc:creator'));
  // Links are resolved against their own base here; the content's may differ from both theirs and the entry's.
  const entryBase = containerBase(source);
  const contentBase = childBase(source, 'content', 0) ?? childBase(source, 'summary', 0);
  return {
    guid: firstText(entry, 'id'),
    guidIsPermaLink: null,
    title: construct(entry, source, 'title', options) ?? firstText(entry, 'dc:title'),
    link: atomLink(links, 'alternate', linkBase),
    originalLink: originalLink(entry),
    base: entryBase,
    contentBase: contentBase !== entryBase ? contentBase : null,
    published: firstText(
      entry,
      'published',
      'issued',
      'created',
      'dc:date',
      'dcterms:issued',
    ),
    updated: firstText(entry, 'updated', 'modified', 'dcterms:modified'),
    // RFC 4287: an entry without authors takes the feed's.
    authors: authors.length > 0 ? authors : feedAuthors,
    summary: construct(entry, source, 'summary', options) ?? mediaDescription(entry),
    content: construct(entry, source, 'content', options),
    categories: categoriesOf(entry),
    enclosures: withOriginalEnclosure(atomEnclosures(links, linkBase), entry),
    media: mediaContents(entry),
    thumbnail: thumbnail(entry),
    upstream: upstreamOf(entry, options),
  };
}

/** Maps an Atom 1.0 / 0.3 parse to RawFeed. */
export function atomFeed(parsed: ParsedXml, outline: DocumentOutline): RawFeed {
  const feed = parsed.channel;
  const source = outline.feedSource();
  const root = outline.prolog.root;
  const links = childNodes(feed, 'link');
  const linkBase: LinkBase = (index) => childBase(source, 'link', index);
  const feedAuthors = unique(authorsOf(feed, 'author', 'dc:creator'));
  const options = constructOptions(root);
  return {
    format: 'atom',
    title: construct(feed, source, 'title', options),
    link: atomLink(links, 'alternate', linkBase),
    selfUrl: atomLink(links, 'self', linkBase),
    base: root?.base ?? null,
    description: construct(feed, source, 'subtitle', options) ?? construct(feed, source, 'tagline', options),
    language: cleanText(root?.attrs['xml:lang']) ?? firstText(feed, 'dc:language'),
    ttlMinutes: ttlMinutes(feed),
    // Atom has no skipHours/skipDays.
    skipHours: [],
    skipDays: [],
    items: parsed.items.map((entry, index) => atomEntry(entry, outline.itemSource(index), feedAuthors, options)),
  };
}
