/**
 * Article identity. An article is known by alias keys (its canonical URL, its
 * source-scoped upstream guid); the first key, fixed when the article is first
 * seen, hashes to the id, and the id to the GUID byline publishes. Nothing here
 * depends on a source's name or the configured site, so renaming a source or
 * moving byline never changes a published GUID.
 */
import { hash } from 'node:crypto';

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** Tagging entity of every published GUID (RFC 4151 tag URI). Never change it. */
const GUID_PREFIX = 'tag:byline,2026:';

/**
 * A short, stable id for an identity key: the first 130 bits of its SHA-256 in
 * lower-case base32 (26 characters, safe in URLs, file names and tag URIs).
 */
export function articleIdFor(key: string): string {
  const digest = hash('sha256', key, 'buffer');
  return base32Prefix(digest, 26);
}

/** The GUID published for an article id, e.g. `tag:byline,2026:mzxw6ytboi…`. */
export function guidFor(id: string): string {
  return `${GUID_PREFIX}${id}`;
}

/** Alias key of an article's canonical URL. */
export function urlKey(canonicalUrl: string): string {
  return `url:${canonicalUrl}`;
}

/** Alias key of an upstream guid; scoped to the source because guids are only unique per feed. */
export function guidKey(sourceId: string, guid: string): string {
  return `guid:${sourceId}:${guid}`;
}

/**
 * Last-resort key for an item with neither link nor guid: its source, its text
 * and its publication date, hashed so the key stays short.
 */
export function contentKey(sourceId: string, text: string, published: string | null): string {
  const digest = hash('sha256', `${text}\n${published ?? ''}`, 'buffer');
  return `item:${sourceId}:${base32Prefix(digest, 26)}`;
}

/**
 * The alias keys of one item, primary first: the URL key when the item had its
 * own link (so two items sharing a guid but not a link stay two articles), then
 * the guid key, then the URL key of the link's canonical form under the first
 * rules when that differs (so an article stored under it keeps its id). Falls
 * back to the content key when neither link nor guid exists.
 *
 * The URL key of the publisher's original address, for an item whose link a
 * proxy wrote (FeedBurner's origLink), comes last: an article stored under
 * the proxy's link before the original was read keeps its id and GUID, and
 * the same article read from a feed that links to the publisher directly is
 * still found, not stored twice.
 */
export function aliasKeysFor(input: {
  sourceId: string;
  ownUrl: string | null;
  earlierOwnUrl?: string | null;
  originalUrl?: string | null;
  guid: string | null;
  text: string;
  published: string | null;
}): string[] {
  const keys: string[] = [];
  if (input.ownUrl) keys.push(urlKey(input.ownUrl));
  if (input.guid) keys.push(guidKey(input.sourceId, input.guid));
  if (input.ownUrl && input.earlierOwnUrl) keys.push(urlKey(input.earlierOwnUrl));
  if (keys.length === 0) keys.push(contentKey(input.sourceId, input.text, input.published));
  if (input.originalUrl && !keys.includes(urlKey(input.originalUrl))) keys.push(urlKey(input.originalUrl));
  return keys;
}

/** The first `length` characters of the lower-case base32 (RFC 4648 alphabet, no padding) of `bytes`. */
function base32Prefix(bytes: Uint8Array, length: number): string {
  let output = '';
  let buffer = 0;
  let bits = 0;
  for (let index = 0; output.length < length; ) {
    if (bits < 5) {
      // Past the last byte, zero bits pad the final character.
      buffer = ((buffer << 8) | (bytes[index++] ?? 0)) & 0xffff;
      bits += 8;
    }
    output += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
    bits -= 5;
  }
  return output;
}
