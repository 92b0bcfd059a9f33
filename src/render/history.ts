/**
 * RFC 5005 feed history in the XML formats: `fh:archive` on archive pages and
 * the `current`, `prev-archive` and `next-archive` links, written as
 * `atom:link` in RSS and `link` in Atom.
 */
import type { Paging } from './meta.js';
import type { XmlWriter } from './xml-writer.js';

/** The feed-history namespace (RFC 5005 §5). */
export const FEED_HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/**
 * Writes the history elements of one document in one format. `linkName` is
 * the element that carries links there (`atom:link` in RSS, `link` in Atom).
 */
export function writeHistory(writer: XmlWriter, paging: Paging | null, format: 'rss' | 'atom', linkName: string): void {
  if (!paging) return;
  if (paging.archive) writer.empty('fh:archive');
  const links: Array<[string, string | undefined]> = [
    ['current', paging.current?.[format]],
    ['prev-archive', paging.prevArchive?.[format]],
    ['next-archive', paging.nextArchive?.[format]],
  ];
  for (const [rel, href] of links) if (href) writer.empty(linkName, { rel, href });
}
