/**
 * Element-name canonicalization shared by the tag scanner and xml2js: maps
 * whatever prefix a document binds to a well-known namespace onto the usual
 * prefix (`mrss:content` -> `media:content`, `atom10:link` -> `atom:link`,
 * `atom:entry` in a prefixed Atom feed -> `entry`).
 */

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss1: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
} as const;

/**
 * Namespaces RSS 2.0 was given at one time or another (UserLand's, then
 * Harvard's). RSS 2.0 itself has none, but a document may still bind one, as
 * a default namespace or to a prefix on every name (`<r:rss xmlns:r=…>`);
 * lenient readers take its names as RSS's own, any UserLand variant included.
 */
export function isRssNamespace(uri: string | undefined): boolean {
  if (uri === undefined) return false;
  const lower = uri.trim().toLowerCase();
  return lower.includes('backend.userland.com/rss') || lower === 'http://blogs.law.harvard.edu/tech/rss';
}

/** Namespace URI -> the prefix feeds conventionally use (and that our readers expect). */
const CANONICAL_PREFIX: Readonly<Record<string, string>> = {
  [NS.atom]: 'atom',
  [NS.atom03]: 'atom',
  [NS.rdf]: 'rdf',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.itunes.com/DTDs/Podcast-1.0.dtd': 'itunes',
  'http://purl.org/rss/1.0/modules/syndication/': 'sy',
  'http://www.w3.org/XML/1998/namespace': 'xml',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
};

/** Which vocabulary the root element belongs to. */
export type RootKind = 'atom' | 'rss' | 'rdf' | 'other';

/** Canonical names for one document's element and attribute names as written. */
export interface NameMapper {
  element(name: string): string;
  attribute(name: string): string;
  /** False when every name maps to itself in this document (then nobody needs to call the mapper). */
  renames: boolean;
}

function splitName(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

/** Namespace of the root element and so the document's vocabulary. */
export function rootKind(rootName: string, namespaces: ReadonlyMap<string, string>): RootKind {
  const [prefix, local] = splitName(rootName);
  const uri = namespaces.get(prefix);
  if (local === 'feed' && (prefix === '' || uri === NS.atom || uri === NS.atom03)) return 'atom';
  if (local === 'RDF' && (uri === NS.rdf || prefix === 'rdf')) return 'rdf';
  if (local === 'rss' && (prefix === '' || isRssNamespace(uri))) return 'rss';
  return 'other';
}

/**
 * A mapper for one document. `namespaces` holds the document's prefix
 * declarations (first binding of each prefix wins; '' is the default namespace
 * of the root). Unprefixed names are kept.
 */
export function createNameMapper(kind: RootKind, namespaces: ReadonlyMap<string, string>): NameMapper {
  const prefixFor = (uri: string | undefined): string | undefined => {
    if (uri === undefined) return undefined;
    // The root vocabulary goes unprefixed, as rss-parser expects (`feed`, `entry`, `item`).
    if (kind === 'atom' && (uri === NS.atom || uri === NS.atom03)) return '';
    if (kind === 'rdf' && (uri === NS.rss1 || uri === NS.rss090)) return '';
    if (kind === 'rss' && isRssNamespace(uri)) return '';
    return CANONICAL_PREFIX[uri];
  };
  const kept = (prefix: string): boolean => !prefix || prefix === 'xml' || prefix === 'xmlns';
  // A name changes only through a declared prefix bound to a namespace whose usual prefix is another one.
  const renames = [...namespaces].some(([prefix, uri]) => {
    const canonical = kept(prefix) ? undefined : prefixFor(uri);
    return canonical !== undefined && canonical !== prefix;
  });
  const rename = (name: string): string => {
    const [prefix, local] = splitName(name);
    if (kept(prefix)) return name;
    const canonical = prefixFor(namespaces.get(prefix));
    if (canonical === undefined) return name;
    return canonical ? `${canonical}:${local}` : local;
  };
  // Element and attribute names map the same way; a document repeats few distinct names many times.
  const cache = new Map<string, string>();
  const mapName = (name: string): string => {
    let mapped = cache.get(name);
    if (mapped === undefined) {
      mapped = rename(name);
      cache.set(name, mapped);
    }
    return mapped;
  };
  return renames ? { element: mapName, attribute: mapName, renames } : { element: keep, attribute: keep, renames };
}

function keep(name: string): string {
  return name;
}
