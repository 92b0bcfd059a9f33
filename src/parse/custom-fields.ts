/**
 * The rss-parser `customFields` byline asks for. Every element is requested
 * with keepArray under a private key (`x:<name>`), so we get the raw xml2js
 * nodes of all occurrences rather than rss-parser's first-value shortcuts.
 */
import { HIDDEN_PREFIX } from './names.js';

const KEY_PREFIX = 'x:';

/** The key under which rss-parser hands back all `name` children of a channel, feed, item or entry. */
export function rawKey(name: string): string {
  return KEY_PREFIX + name;
}

const SHARED = [
  'title', 'description', 'language', 'author', 'id', 'category',
  'dc:title', 'dc:description', 'dc:language', 'dc:creator', 'dc:subject', 'dc:date', 'dc:identifier',
  'dcterms:issued', 'dcterms:created', 'dcterms:modified',
  'atom:link', 'atom:published', 'atom:updated', 'link',
  `${HIDDEN_PREFIX}link`, `${HIDDEN_PREFIX}published`, `${HIDDEN_PREFIX}updated`,
];

/** Children read from RSS items and Atom entries. */
export const ITEM_FIELDS = [
  ...SHARED,
  'guid', 'pubDate', 'content:encoded', 'xhtml:body', 'body', 'fullitem', 'dc:author', 'source', 'enclosure', 'summary', 'content',
  'issued', 'modified', 'created', 'itunes:author', 'itunes:image',
  'media:content', 'media:thumbnail', 'media:group', 'media:description',
];

/** Children read from an RSS channel or an Atom feed element. */
export const FEED_FIELDS = [...SHARED, 'subtitle', 'tagline', 'ttl', 'sy:updatePeriod', 'sy:updateFrequency'];

/** `customFields` entries in rss-parser's `[from, to, { keepArray }]` form. */
export function customFieldSpecs(names: readonly string[]): [string, string, { keepArray: boolean }][] {
  return names.map((name) => [name, rawKey(name), { keepArray: true }]);
}
