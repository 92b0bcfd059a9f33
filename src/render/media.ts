/**
 * The lead image as the feeds describe it: a MIME type (guessed from the file
 * extension when neither the source nor the image's server said) and the
 * Media RSS `medium`; and the audio/video enclosure, when there is one, as
 * every format publishes it.
 */
import type { Article, Image, MediaEnclosure } from '../model/index.js';
import { isWebUrl } from './html-escape.js';

const TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  ico: 'image/vnd.microsoft.icon',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  heic: 'image/heic',
};

/**
 * The RSS enclosure's type when nothing tells: RSS requires one, and this is
 * by far the commonest lead image type. Formats where the type is optional
 * (Atom's link, Media RSS) leave it out instead of guessing.
 */
export const FALLBACK_ENCLOSURE_TYPE = 'image/jpeg';

/**
 * The image's MIME type: as given when it looks like one (parameters such as
 * `; charset=…` left off; the source's own, or what its server answered),
 * else guessed from the URL's extension; null when neither tells.
 */
export function imageType(image: Image): string | null {
  const given = image.type?.split(';')[0]?.trim().toLowerCase();
  if (given && /^[a-z]+\/[a-z0-9.+-]+$/.test(given)) return given;
  let path = image.url;
  try {
    path = new URL(image.url).pathname;
  } catch {
    // Not absolute: guess from the raw string.
  }
  const match = /\.([a-z0-9]+)$/i.exec(path);
  return (match?.[1] ? TYPE_BY_EXTENSION[match[1].toLowerCase()] : undefined) ?? null;
}

/** Media RSS `medium` for a MIME type, or `null` when the type is none of image/audio/video. */
export function mediumOf(type: string): 'image' | 'audio' | 'video' | null {
  const slash = type.indexOf('/');
  const top = slash < 0 ? type : type.slice(0, slash);
  return top === 'image' || top === 'audio' || top === 'video' ? top : null;
}

/**
 * The article's audio/video file when it can be published (an http(s) URL);
 * null for the many articles without one.
 */
export function publishedEnclosure(article: Article): MediaEnclosure | null {
  const { enclosure } = article;
  return enclosure !== undefined && isWebUrl(enclosure.url) ? enclosure : null;
}

/** The enclosure's MIME type as written; a stored value that is none (hand-edited) becomes the generic one. */
export function enclosureType(enclosure: MediaEnclosure): string {
  const type = enclosure.type.trim().toLowerCase();
  return /^[a-z]+\/[a-z0-9.+-]+$/.test(type) ? type : 'application/octet-stream';
}
