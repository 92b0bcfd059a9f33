/**
 * Where an item points: its own canonical link (out of a click redirector or
 * a proxy), the article URL published for it, the base its relative URLs
 * resolve against, and the links of a document that do not name one article.
 */
import type { RawFeed, RawItem } from '../model/index.js';
import type { NormalizeContext } from './normalize-feed.js';
import { unwrapRedirector } from './redirectors.js';
import { canonicalizeUrl, earlierCanonicalUrl, resolveUrl } from './urls.js';

/** The base URLs in force for a feed, each already absolute (or null). */
export interface FeedBases {
  feedUrl: string | null;
  /** xml:base of the root element, resolved against the feed URL. */
  feedBase: string | null;
  /** The feed's home-page link. */
  feedLink: string | null;
}

/** Where one item points and what its relative URLs resolve against. */
export interface ItemAddresses {
  /** The item's own canonical link (its link, or a permalink guid); null when it has none. */
  ownUrl: string | null;
  /**
   * The publisher's own canonical address of an item whose link a proxy wrote
   * (RawItem.originalLink): where the article is, while `ownUrl`, the proxy's
   * address, stays what names it (see aliasKeysFor).
   */
  originalUrl: string | null;
  /** The article URL: its original, else its own, else the feed's home page, the configured site or the feed URL. */
  url: string;
  /** What relative URLs in its content resolve against. */
  contentBase: string | null;
  /**
   * What its enclosures, media and thumbnail resolve against: as the content,
   * less the content element's own xml:base, which is not in force on them.
   */
  mediaBase: string | null;
  /**
   * `ownUrl` as earlier versions keyed it, when that differs: the click
   * redirector's link it was taken out of, or its form under the first
   * canonical rules (see earlierCanonicalUrl).
   */
  earlierOwnUrl: string | null;
}

/** The feed-level bases of a parsed feed fetched from `feedUrl`. */
export function feedBasesOf(raw: RawFeed, feedUrl: string): FeedBases {
  const absoluteFeedUrl = resolveUrl(feedUrl);
  const feedBase = raw.base ? resolveUrl(raw.base, absoluteFeedUrl ?? feedUrl) : null;
  const feedLink = raw.link ? canonicalizeUrl(raw.link, feedBase ?? absoluteFeedUrl ?? feedUrl) : null;
  return { feedUrl: absoluteFeedUrl, feedBase, feedLink };
}

/**
 * Links that do not name one article: the feed's own home page, and a link
 * that items with different guids share (a podcast whose every episode links
 * to the show, a live blog's updates). Such an item is known by its guid, not
 * its link, or every one of them would be stored as the first.
 */
export function sharedLinks(items: readonly RawItem[], addresses: readonly ItemAddresses[], feedLink: string | null): Set<string> {
  const shared = new Set<string>();
  const guidOf = new Map<string, string | null>();
  for (const [index, item] of items.entries()) {
    const link = addresses[index]!.ownUrl;
    if (link === null) continue;
    const guid = item.guid?.trim() || null;
    if (link === feedLink) shared.add(link);
    else if (!guidOf.has(link)) guidOf.set(link, guid);
    else if (guidOf.get(link) !== guid) shared.add(link);
  }
  return shared;
}

/**
 * Original addresses that do not name one article: the feed's home page, and
 * one that more than one item names. A proxy gives every item a link of its
 * own, so items naming one original (every episode the show's page) are
 * distinct items, guid or not, and none of them may be known by it.
 */
export function repeatedOriginals(addresses: readonly ItemAddresses[], feedLink: string | null): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { originalUrl } of addresses) {
    if (originalUrl === null) continue;
    if (seen.has(originalUrl) || originalUrl === feedLink) repeated.add(originalUrl);
    seen.add(originalUrl);
  }
  return repeated;
}

/** The addresses of one item given its feed's bases (see ItemAddresses). */
export function itemAddresses(item: RawItem, bases: FeedBases, context: Pick<NormalizeContext, 'source' | 'feedUrl'>): ItemAddresses {
  // An item's base and its content's are each the whole xml:base chain in force (the feed's included),
  // so a relative one is relative to the document, never to the feed's base: that would apply it twice.
  const documentUrl = bases.feedUrl ?? context.feedUrl;
  const itemBase = item.base ? resolveUrl(item.base, documentUrl) : null;
  const linkBase = itemBase ?? bases.feedBase ?? bases.feedLink ?? bases.feedUrl;
  const own = ownLink(item, item.guid?.trim() || null, linkBase);
  const ownUrl = own?.url ?? null;
  const original = item.originalLink ? canonicalizeUrl(item.originalLink) : null;
  const originalUrl = original !== ownUrl ? original : null;
  const url = originalUrl ?? ownUrl ?? bases.feedLink ?? context.source.site ?? context.feedUrl;
  // Relative URLs in content mean the page the content came from unless xml:base says otherwise.
  const ownContentBase = item.contentBase ? resolveUrl(item.contentBase, documentUrl) : null;
  const mediaBase = itemBase ?? bases.feedBase ?? originalUrl ?? ownUrl ?? bases.feedLink ?? bases.feedUrl;
  const contentBase = ownContentBase ?? mediaBase;
  const earlierOwnUrl = own ? (own.wrapped ?? earlierCanonicalUrl(own.written, own.base)) : null;
  return { ownUrl, originalUrl, url, contentBase, mediaBase, earlierOwnUrl };
}

/** The item's own canonical URL (its link, out of a click redirector, else a guid that is a permalink URL), with what it was made from. */
function ownLink(item: RawItem, guid: string | null, base: string | null): { url: string; written: string; base: string | null; wrapped: string | null } | null {
  const raw = item.link;
  const written = raw ? unwrapRedirector(raw) : null;
  const link = written ? canonicalizeUrl(written, base) : null;
  if (link && written && raw) return { url: link, written, base, wrapped: written === raw ? null : canonicalizeUrl(raw, base) };
  const permalink = guid && item.guidIsPermaLink !== false && /^https?:\/\//i.test(guid) ? canonicalizeUrl(guid) : null;
  return permalink && guid ? { url: permalink, written: guid, base: null, wrapped: null } : null;
}
