/**
 * RFC 5005 feed history in the XML formats: `fh:archive` on archive pages and
 * the `current`, `prev-archive` and `next-archive` links, written as
 * `atom:link` in RSS and `link` in Atom.
 */
import type { Paging } from './meta.js';
import { el, type XmlNode } from './xml.js';

/** The feed-history namespace (RFC 5005 §5). */
export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/**
 * The history nodes of one document in one format. `linkName` is the element
 * that carries links there (`atom:link` in RSS, `link` in Atom).
 */
export function historyNodes(paging: Paging | null, format: 'rss' | 'atom', linkName: string): XmlNode[] {
  if (!paging) return [];
  const link = (rel: string, href: string | undefined): XmlNode | null => (href ? el(linkName, { rel, href }) : null);
  return [
    paging.archive ? el('fh:archive', null) : null,
    link('current', paging.current?.[format]),
    link('prev-archive', paging.prevArchive?.[format]),
    link('next-archive', paging.nextArchive?.[format]),
  ].filter((node): node is XmlNode => node !== null);
}
