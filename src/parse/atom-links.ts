/**
 * Choosing among Atom `<link>` elements: the alternate (rel="alternate" or no
 * rel), preferring an HTML page, the `self` link, and enclosures. A link
 * written as text (`<link>https://…</link>`, invalid Atom but common) counts
 * as an alternate. When the caller knows each link's xml:base, hrefs come
 * back resolved against it (a link's base can differ from the content's).
 */
import type { RawEnclosure } from '../model/index.js';
import { resolveAgainst } from './xml-base.js';
import { attr, cleanText, textOf, toNumber, type XmlNode } from './xml-node.js';

const IANA_RELATION = 'http://www.iana.org/assignments/relation/';

/** The xml:base in force on the `index`-th link, when known. */
export type LinkBase = (index: number) => string | null;

const NO_BASE: LinkBase = () => null;

function relOf(node: XmlNode): string {
  const rel = attr(node, 'rel')?.trim().toLowerCase() ?? '';
  return rel.startsWith(IANA_RELATION) ? rel.slice(IANA_RELATION.length) : rel || 'alternate';
}

function hrefOf(node: XmlNode): string | null {
  return cleanText(attr(node, 'href')) ?? (attr(node, 'href') === null ? textOf(node) : null);
}

function isHtmlType(node: XmlNode): boolean {
  const type = attr(node, 'type')?.trim().toLowerCase();
  return !type || type === 'text/html' || type === 'application/xhtml+xml';
}

/** href of the first link with this relation, preferring HTML for `alternate`; null when none. */
export function atomLink(links: readonly XmlNode[], rel: 'alternate' | 'self', baseOf: LinkBase = NO_BASE): string | null {
  const candidates = links.flatMap((node, index) => (relOf(node) === rel && hrefOf(node) !== null ? [{ node, index }] : []));
  const chosen = (rel === 'alternate' ? candidates.find(({ node }) => isHtmlType(node)) : undefined) ?? candidates[0];
  if (chosen === undefined) return null;
  const href = hrefOf(chosen.node);
  return href === null ? null : resolveAgainst(href, baseOf(chosen.index));
}

/** Atom `<link rel="enclosure">` elements, in order. */
export function atomEnclosures(links: readonly XmlNode[], baseOf: LinkBase = NO_BASE): RawEnclosure[] {
  return links.flatMap((node, index) => {
    const url = cleanText(attr(node, 'href'));
    if (!url || relOf(node) !== 'enclosure') return [];
    return [{ url: resolveAgainst(url, baseOf(index)), type: cleanText(attr(node, 'type')), length: toNumber(attr(node, 'length')) }];
  });
}
