/**
 * Attachments and pictures of an item, the same in RSS and Atom: enclosures,
 * Media RSS (`media:content`, `media:group`, `media:thumbnail`) and
 * `itunes:image`. Every occurrence is kept, in document order.
 */
import type { RawEnclosure, RawMedia } from '../model/index.js';
import { escapeHtml } from './text-construct.js';
import { attr, childNodes, cleanText, textOf, toNumber, type XmlNode } from './xml-node.js';

/** RSS `<enclosure url type length>` elements (all of them). */
export function rssEnclosures(item: XmlNode): RawEnclosure[] {
  return childNodes(item, 'enclosure').flatMap((node) => {
    const url = cleanText(attr(node, 'url'));
    return url ? [{ url, type: cleanText(attr(node, 'type')), length: toNumber(attr(node, 'length')) }] : [];
  });
}

/**
 * Addresses of FeedBurner's redirecting proxy, which rewrote the links and
 * enclosures of the feeds it served: on its own hosts, or under `/~r/` on a
 * publisher's domain it served (`feeds.jn.pt/~r/…`).
 */
const FEEDBURNER_PROXY = /^https?:\/\/(?:feedproxy\.google\.com\/|(?:[\w-]+\.)*feedburner\.com\/|[^/\s]+\/~r\/)/i;

/**
 * The enclosures with FeedBurner's proxied address of the item's attachment
 * replaced by the publisher's own (`feedburner:origEnclosureLink`, which
 * FeedBurner writes for the enclosure it rewrote).
 */
export function withOriginalEnclosure(enclosures: RawEnclosure[], item: XmlNode): RawEnclosure[] {
  const original = firstOriginal(item, 'feedburner:origEnclosureLink');
  if (original === null) return enclosures;
  const proxied = enclosures.findIndex((enclosure) => FEEDBURNER_PROXY.test(enclosure.url));
  if (proxied < 0) return enclosures;
  return enclosures.map((enclosure, index) => (index === proxied ? { ...enclosure, url: original } : enclosure));
}

/** The publisher's own address of an item whose link FeedBurner rewrote (`feedburner:origLink`), when absolute. */
export function originalLink(item: XmlNode): string | null {
  return firstOriginal(item, 'feedburner:origLink');
}

/** The first absolute http(s) address written in a child `name`: a relative one has no base FeedBurner vouches for. */
function firstOriginal(item: XmlNode, name: string): string | null {
  for (const node of childNodes(item, name)) {
    const text = textOf(node);
    if (text !== null && /^https?:\/\/[^\s]+$/i.test(text)) return text;
  }
  return null;
}

function mediaOf(node: XmlNode): RawMedia | null {
  const url = cleanText(attr(node, 'url'));
  if (!url) return null;
  return {
    url,
    type: cleanText(attr(node, 'type')),
    medium: cleanText(attr(node, 'medium')),
    width: toNumber(attr(node, 'width')),
    fileSize: byteCount(attr(node, 'fileSize')),
  };
}

/**
 * A byte count as Media RSS writes it, digits only. Anything else ("12 MB",
 * "1.5", "-1", or a number past what a double holds exactly) is a value the
 * publisher got wrong, so the size is unknown rather than guessed.
 */
function byteCount(value: string | null): number | null {
  const digits = value?.trim() ?? '';
  if (!/^\d+$/.test(digits)) return null;
  const count = Number(digits);
  return Number.isSafeInteger(count) ? count : null;
}

/** `media:content`, directly in the item and inside each `media:group`. */
export function mediaContents(item: XmlNode): RawMedia[] {
  const direct = childNodes(item, 'media:content');
  const grouped = childNodes(item, 'media:group').flatMap((group) => childNodes(group, 'media:content'));
  return [...direct, ...grouped].map(mediaOf).filter((media): media is RawMedia => media !== null);
}

function thumbnailUrl(nodes: readonly XmlNode[]): string | null {
  for (const node of nodes) {
    const url = cleanText(attr(node, 'url'));
    if (url) return url;
  }
  return null;
}

/**
 * The item's picture: `media:thumbnail` (in the item, its `media:group` or its
 * `media:content`), else `itunes:image`.
 */
export function thumbnail(item: XmlNode): string | null {
  const groups = childNodes(item, 'media:group');
  const fromMedia =
    thumbnailUrl(childNodes(item, 'media:thumbnail')) ??
    thumbnailUrl(groups.flatMap((group) => childNodes(group, 'media:thumbnail'))) ??
    thumbnailUrl(
      [...childNodes(item, 'media:content'), ...groups.flatMap((g) => childNodes(g, 'media:content'))].flatMap((content) =>
        childNodes(content, 'media:thumbnail'),
      ),
    );
  if (fromMedia) return fromMedia;
  for (const node of childNodes(item, 'itunes:image')) {
    const url = cleanText(attr(node, 'href')) ?? textOf(node);
    if (url) return url;
  }
  return null;
}

/** Media RSS description as HTML (YouTube puts the only summary there); plain unless `type="html"`. */
export function mediaDescription(item: XmlNode): string | null {
  const direct = childNodes(item, 'media:description');
  const grouped = childNodes(item, 'media:group').flatMap((group) => childNodes(group, 'media:description'));
  for (const node of [...direct, ...grouped]) {
    const text = textOf(node);
    if (text !== null) return attr(node, 'type')?.trim().toLowerCase() === 'html' ? text : escapeHtml(text);
  }
  return null;
}

/** Order-preserving de-duplication. */
export function unique(values: readonly string[]): string[] {
  // Most lists hold one value or none; a Set is only worth building for more.
  return values.length < 2 ? [...values] : [...new Set(values)];
}
