/**
 * Chooses an article's lead image from what the item offers, in order of how
 * deliberately the publisher chose it: media:content, an image enclosure, the
 * thumbnail, and only then the first picture in the body.
 */
import type { Image, RawItem } from '../model/index.js';
import { isDecorativeImage, isTrackingPixel, MIN_LEAD_IMAGE_SIDE } from './images.js';
import { resolveUrl } from './urls.js';
import { extensionOf } from './file-extension.js';

const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  avif: 'image/avif', svg: 'image/svg+xml', bmp: 'image/bmp',
};

/**
 * The lead image: the widest image media:content (medium `image` or an
 * `image/*` type), else the first image enclosure, else the thumbnail, else the
 * first `<img>` of the sanitized content. URLs are made absolute against `base`;
 * `type` and `length` come from the enclosure/media when given, else the type is
 * guessed from the file extension.
 */
export function pickLeadImage(item: RawItem, sanitizedHtml: string, base: string | null): Image | null {
  return fromMedia(item, base) ?? fromEnclosures(item, base) ?? fromThumbnail(item, base) ?? fromContent(sanitizedHtml);
}

/**
 * pickLeadImage for callers that already know the URL of the content's first
 * image (the sanitizer reports it), sparing a search of the HTML.
 */
export function leadImageWith(item: RawItem, firstContentImage: string | null, base: string | null): Image | null {
  return (
    fromMedia(item, base) ?? fromEnclosures(item, base) ?? fromThumbnail(item, base) ??
    (firstContentImage ? image(firstContentImage, null, null) : null)
  );
}

function fromMedia(item: RawItem, base: string | null): Image | null {
  let best: { url: string; type: string | null; width: number; length: number | null } | null = null;
  for (const media of item.media) {
    if (!isImage(media.url, media.type, media.medium)) continue;
    const width = typeof media.width === 'number' && Number.isFinite(media.width) ? media.width : 0;
    // A declared width of 1 is a beacon's; a small one an icon's.
    if (media.width !== null && width <= MIN_LEAD_IMAGE_SIDE) continue;
    const url = usableImageUrl(media.url, base);
    if (!url) continue;
    if (best === null || width > best.width) best = { url, type: media.type, width, length: media.fileSize };
  }
  return best ? image(best.url, best.type, best.length) : null;
}

function fromEnclosures(item: RawItem, base: string | null): Image | null {
  for (const enclosure of item.enclosures) {
    if (!isImage(enclosure.url, enclosure.type, null)) continue;
    const url = usableImageUrl(enclosure.url, base);
    if (url) return image(url, enclosure.type, enclosure.length);
  }
  return null;
}

function fromThumbnail(item: RawItem, base: string | null): Image | null {
  const url = item.thumbnail ? usableImageUrl(item.thumbnail, base) : null;
  return url ? image(url, null, null) : null;
}

/** The sanitizer already resolved and vetted every `src`, so the first one is usable as is. */
function fromContent(html: string): Image | null {
  const match = /<img\s[^>]*?\bsrc="([^"]+)"/.exec(html);
  if (!match?.[1]) return null;
  const url = match[1].replace(/&(amp|quot|lt|gt);/g, (_m, name: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>' })[name] ?? '');
  return image(url, null, null);
}

/**
 * An image by medium or MIME type; with neither stated, by file extension
 * (media:content often carries only a URL).
 */
function isImage(url: string, type: string | null, medium: string | null): boolean {
  const mime = type?.trim().toLowerCase() ?? '';
  const kind = medium?.trim().toLowerCase() ?? '';
  if (kind !== '') return kind === 'image';
  if (mime !== '') return mime.startsWith('image/');
  return typeFromExtension(url) !== null;
}

function usableImageUrl(url: string, base: string | null): string | null {
  const resolved = resolveUrl(url, base);
  return resolved && !isTrackingPixel(resolved, {}) && !isDecorativeImage(resolved, {}) ? resolved : null;
}

function image(url: string, type: string | null, length: number | null): Image {
  const mime = type?.trim().toLowerCase();
  return {
    url,
    type: mime && /^image\/[\w.+-]+$/.test(mime) ? mime : typeFromExtension(url),
    // Feeds write length="0" (or garbage) when they do not know it.
    length: typeof length === 'number' && Number.isSafeInteger(length) && length > 0 ? length : null,
  };
}

function typeFromExtension(url: string): string | null {
  const extension = extensionOf(url);
  return extension ? (IMAGE_EXTENSIONS[extension] ?? null) : null;
}
