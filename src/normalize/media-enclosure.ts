/**
 * Chooses an item's audio or video file (a podcast episode, a video) from its
 * enclosures and Media RSS content, the way podcast apps read a feed: the
 * first enclosure that is audio or video, else the first such media:content.
 */
import type { MediaEnclosure, RawItem } from '../model/index.js';
import { resolveUrl } from './urls.js';
import { extensionOf } from './file-extension.js';

/** Types of the file extensions podcast and video feeds use, for enclosures that state none. */
const MEDIA_EXTENSIONS: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg', m4a: 'audio/mp4', m4b: 'audio/mp4', aac: 'audio/aac', ogg: 'audio/ogg', oga: 'audio/ogg',
  opus: 'audio/ogg', wav: 'audio/wav', flac: 'audio/flac', weba: 'audio/webm',
  mp4: 'video/mp4', m4v: 'video/x-m4v', mov: 'video/quicktime', webm: 'video/webm',
};

/**
 * Types that say only "a file": servers and feed tools write them for an mp3
 * they know nothing about, so the extension decides.
 */
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** What an RSS enclosure needs when Media RSS names only the medium. */
const TYPE_OF_MEDIUM: Readonly<Record<string, string>> = { audio: 'audio/mpeg', video: 'video/mp4' };

/**
 * The item's first audio/video enclosure, else its first audio/video
 * media:content; null when it has neither. The URL is resolved against `base`
 * and kept only when absolute http(s).
 */
export function mediaEnclosureOf(item: RawItem, base: string | null): MediaEnclosure | null {
  for (const enclosure of item.enclosures) {
    const type = mediaType(enclosure.url, enclosure.type, null);
    const url = type === null ? null : resolveUrl(enclosure.url, base);
    if (type !== null && url !== null) return { url, type, length: byteLength(enclosure.length) };
  }
  for (const media of item.media) {
    const type = mediaType(media.url, media.type, media.medium);
    const url = type === null ? null : resolveUrl(media.url, base);
    if (type !== null && url !== null) return { url, type, length: byteLength(media.fileSize) };
  }
  return null;
}

/**
 * The audio/video MIME type of a file, or null when it is something else (an
 * image, a PDF). A stated medium other than audio/video rules the file out; a
 * stated audio/video type is taken (parameters left off); with neither, the
 * extension tells, and a medium alone gives its commonest type.
 */
function mediaType(url: string, type: string | null, medium: string | null): string | null {
  const kind = medium?.trim().toLowerCase() ?? '';
  if (kind !== '' && kind !== 'audio' && kind !== 'video') return null;
  const mime = type?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (/^(?:audio|video)\/[a-z0-9.+-]+$/.test(mime)) return mime;
  if (!UNTYPED.has(mime)) return null;
  return typeFromExtension(url) ?? TYPE_OF_MEDIUM[kind] ?? null;
}

function typeFromExtension(url: string): string | null {
  const extension = extensionOf(url);
  return extension ? (MEDIA_EXTENSIONS[extension] ?? null) : null;
}

/** Feeds write length="0" (or garbage) when they do not know it. */
function byteLength(length: number | null): number | null {
  return typeof length === 'number' && Number.isSafeInteger(length) && length > 0 ? length : null;
}
