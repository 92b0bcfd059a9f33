/**
 * The feeds an OPML subscription list names (what feed readers export and
 * `/opml.xml` publishes): every `<outline>` with an `xmlUrl`, at any depth
 * of folders, with its title and its web page. Pure: bytes in, list out.
 */
import type { OpmlFeed } from '../model/index.js';
import { decodeFeedBytes } from './decode.js';
import { parseAttributes, xmlTokens } from './xml-tokens.js';

/** OPML's root element, and `outlineDocument`, its name before 1.0, which the specification asks readers to accept. */
const OPML_ROOTS = new Set(['opml', 'outlinedocument']);

/** An attribute by name, ignoring case: exporters write `xmlUrl`, `xmlurl` and `XMLURL`. */
function attribute(attrs: Record<string, string>, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(attrs)) if (key.toLowerCase() === wanted) return value.trim();
  return null;
}

/**
 * The feeds of an OPML document, in document order, or null when the bytes
 * are not a whole OPML document: no `<opml>` or `<outlineDocument>` root, or
 * one that never ends (a list cut short would import only some of its feeds
 * without a word). The charset is found as for a feed (BOM, XML declaration,
 * else UTF-8).
 */
export function parseOpml(bytes: Uint8Array): OpmlFeed[] | null {
  const { text } = decodeFeedBytes(bytes, null);
  const feeds: OpmlFeed[] = [];
  let root: string | null = null;
  for (const token of xmlTokens(text)) {
    if (token.kind === 'doctype') continue;
    if (root === null) {
      if (token.kind !== 'start' || !OPML_ROOTS.has(token.name.toLowerCase())) return null;
      if (token.selfClosing) return feeds;
      root = token.name;
      continue;
    }
    // Whatever follows the root's end is not part of the list.
    if (token.kind === 'end' && token.name === root) return feeds;
    // Folders are outlines too; only the outlines that name a feed are kept.
    if (token.kind !== 'start' || token.name.toLowerCase() !== 'outline') continue;
    const attrs = parseAttributes(token.attrSource);
    const xmlUrl = attribute(attrs, 'xmlUrl');
    if (!xmlUrl) continue;
    // Exporters copy titles from HTML pages, references and all (`Caf&eacute;`, `&nbsp;`): read them as a browser would.
    const titles = parseAttributes(token.attrSource, { html: true });
    const title = attribute(titles, 'title') || attribute(titles, 'text') || '';
    feeds.push({ title, xmlUrl, htmlUrl: attribute(attrs, 'htmlUrl') || null });
  }
  return null;
}
