/**
 * Which URL an `<img>` really shows, and which images are not pictures at all.
 * Lazy-loading markup keeps the real address in `data-*` attributes or `srcset`
 * while `src` holds a placeholder; feed tracking pixels are 1x1 beacons that
 * must not reach readers (they would report every reader back to a tracker).
 */
import { resolveUrl } from './urls.js';

/** Attributes lazy-loading scripts keep the real image address in, most specific first. */
const LAZY_SRC_ATTRIBUTES = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-orig-file', 'data-url'];
const SRCSET_ATTRIBUTES = ['srcset', 'data-srcset', 'data-lazy-srcset'];

/** Every attribute imageSource, isTrackingPixel and isDecorativeImage read. */
export const IMAGE_SOURCE_ATTRIBUTES: readonly string[] = [...LAZY_SRC_ATTRIBUTES, 'src', ...SRCSET_ATTRIBUTES, 'width', 'height', 'class'];

/** Hosts/paths that serve only counting beacons or feed "flare" buttons, never content. */
const PIXEL_PATTERNS: readonly RegExp[] = [
  /^https?:\/\/feeds\.feedburner\.com\/~(?:r|ff)\//i,
  /^https?:\/\/feedproxy\.google\.com\/~(?:r|ff)\//i,
  /^https?:\/\/(?:[a-z0-9-]+\.)*feedblitz\.com\/~\/i\//i,
  /^https?:\/\/(?:pixel\.wp\.com|stats\.wordpress\.com)\//i,
  /^https?:\/\/feeds\.wordpress\.com\/1\.0\//i,
  /^https?:\/\/(?:[a-z0-9-]+\.)?feedsportal\.com\//i,
  /^https?:\/\/(?:www\.|ssl\.)?google-analytics\.com\//i,
  /^https?:\/\/(?:pixel|secure)\.quantserve\.com\//i,
  /^https?:\/\/[a-z]+\.scorecardresearch\.com\//i,
  /^https?:\/\/(?:www\.)?facebook\.com\/tr\b/i,
  /^https?:\/\/ad\.doubleclick\.net\//i,
  /^https?:\/\/blogger\.googleusercontent\.com\/tracker\//i,
  /^https?:\/\/medium\.com\/_\/stat\b/i,
  /^https?:\/\/[^/]+\/(?:[^?#]*\/)?(?:pixel|beacon|tracker|tracking|spacer|blank)\.(?:gif|png)(?:[?#]|$)/i,
];

/** PIXEL_PATTERNS as one expression: one test per image instead of fourteen. */
const ANY_PIXEL_PATTERN = new RegExp(PIXEL_PATTERNS.map((pattern) => `(?:${pattern.source})`).join('|'), 'i');

/**
 * The absolute URL an image displays: a lazy-loading attribute first (its `src`
 * is then a placeholder), else `src`, else the largest `srcset` candidate.
 * `null` when none of them is a usable http(s) URL.
 */
export function imageSource(attribs: Readonly<Record<string, string>>, base: string | null): string | null {
  for (const name of LAZY_SRC_ATTRIBUTES) {
    const value = attribs[name];
    const resolved = value ? resolveUrl(value, base) : null;
    if (resolved) return resolved;
  }
  const src = attribs['src'];
  const resolvedSrc = src ? resolveUrl(src, base) : null;
  if (resolvedSrc) return resolvedSrc;
  for (const name of SRCSET_ATTRIBUTES) {
    const value = attribs[name];
    const largest = value ? largestSrcsetCandidate(value) : null;
    const resolved = largest ? resolveUrl(largest, base) : null;
    if (resolved) return resolved;
  }
  return null;
}

interface SrcsetCandidate {
  url: string;
  /** Width in pixels (`480w`), when given. */
  width: number | null;
  /** Pixel density (`2x`); 1 when no descriptor is given. */
  density: number;
}

/**
 * Parses a `srcset` the way the HTML spec splits it (a URL runs to whitespace;
 * trailing commas end it) and returns the candidate with the largest width,
 * else the largest density.
 */
export function largestSrcsetCandidate(srcset: string): string | null {
  const candidates = parseSrcset(srcset);
  let best: SrcsetCandidate | null = null;
  for (const candidate of candidates) {
    if (best === null || isLarger(candidate, best)) best = candidate;
  }
  return best ? best.url : null;
}

function isLarger(a: SrcsetCandidate, b: SrcsetCandidate): boolean {
  if (a.width !== null || b.width !== null) return (a.width ?? 0) > (b.width ?? 0);
  return a.density > b.density;
}

function parseSrcset(srcset: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = [];
  let position = 0;
  while (position < srcset.length) {
    while (position < srcset.length && /[\s,]/.test(srcset[position] ?? '')) position++;
    if (position >= srcset.length) break;
    const urlStart = position;
    while (position < srcset.length && !/\s/.test(srcset[position] ?? '')) position++;
    let url = srcset.slice(urlStart, position);
    let descriptors = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const descriptorStart = position;
      while (position < srcset.length && srcset[position] !== ',') position++;
      descriptors = srcset.slice(descriptorStart, position).trim();
    }
    if (url !== '') candidates.push({ url, ...readDescriptors(descriptors) });
  }
  return candidates;
}

function readDescriptors(descriptors: string): { width: number | null; density: number } {
  let width: number | null = null;
  let density = 1;
  for (const descriptor of descriptors.split(/\s+/)) {
    const match = /^(\d+(?:\.\d+)?)([wx])$/i.exec(descriptor);
    if (!match) continue;
    const value = Number(match[1]);
    if (match[2]?.toLowerCase() === 'w') width = value;
    else density = value;
  }
  return { width, density };
}

/**
 * Whether an image is a tracking pixel: declared 1x1 (or zero-sized), or served
 * by a host that only serves beacons and feed-flare buttons.
 */
export function isTrackingPixel(src: string, attribs: Readonly<Record<string, string>>): boolean {
  const width = dimension(attribs['width']);
  const height = dimension(attribs['height']);
  if (width === 0 || height === 0) return true;
  if (width !== null && height !== null && width <= 1 && height <= 1) return true;
  return ANY_PIXEL_PATTERN.test(src);
}

function dimension(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$/i.exec(value);
  return match ? Number(match[1]) : null;
}

/** A declared side this small makes an image an icon, an emoji or an avatar, not an article's picture. */
export const MIN_LEAD_IMAGE_SIDE = 64;

/**
 * Emoji sets, smiley images and avatar services: pictures inside a text, never the picture of an
 * article. GitHub's release and commit feeds give every entry its author's avatar as media:thumbnail.
 */
const DECORATIVE_URL =
  /\/(?:images\/core\/emoji|emoji|twemoji|smilies|wp-smiley)\/|^https?:\/\/(?:(?:[a-z0-9-]+\.)?gravatar\.com\/avatar\/|avatars\d*\.githubusercontent\.com\/)/i;
const DECORATIVE_CLASS = /(?:^|\s)(?:emoji|wp-smiley|avatar|gravatar|icon)(?:\s|$)/i;

/**
 * Whether an image that stays in the content is too small or too incidental
 * to lead the article (the lead image of its newsletter entry and of
 * `media:content`): an emoji or smiley, an avatar, or an image declared at
 * most {@link MIN_LEAD_IMAGE_SIDE} pixels on a side.
 */
export function isDecorativeImage(src: string, attribs: Readonly<Record<string, string>>): boolean {
  const width = dimension(attribs['width']);
  const height = dimension(attribs['height']);
  if ((width !== null && width <= MIN_LEAD_IMAGE_SIDE) || (height !== null && height <= MIN_LEAD_IMAGE_SIDE)) return true;
  const classes = attribs['class'];
  if (classes !== undefined && DECORATIVE_CLASS.test(classes)) return true;
  return DECORATIVE_URL.test(src);
}
