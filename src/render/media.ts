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

/** A MIME type without parameters, lower case: what a type written into a feed must look like. */
const MIME_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;

/**
 * The image's MIME type: as given when it looks like one (parameters such as
 * `; charset=…` left off; the source's own, or what its server answered),
 * else guessed from the URL's extension; null when neither tells.
 */
export function imageType(image: Image): string | null {
  const given = image.type?.split(';')[0]?.trim().toLowerCase();
  if (given && MIME_TYPE.test(given)) return given;
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
  return MIME_TYPE.test(type) ? type : 'application/octet-stream';
}

/** Format names readers know a file by, where the MIME subtype is not that name. */
const FORMAT_NAMES: Readonly<Record<string, string>> = {
  'audio/mpeg': 'MP3',
  'audio/mp3': 'MP3',
  'audio/mp4': 'M4A',
  'audio/x-m4a': 'M4A',
  'video/quicktime': 'MOV',
};

/**
 * The file format as a reader names it (MP3, M4A, MP4, OGG); null when the
 * subtype is no such short name (vnd.* types, long names), which the label
 * then leaves out rather than show a MIME token.
 */
export function formatName(type: string): string | null {
  const known = FORMAT_NAMES[type];
  if (known !== undefined) return known;
  const subtype = type.slice(type.indexOf('/') + 1).replace(/^x-/, '');
  return /^[a-z0-9]{2,5}$/.test(subtype) ? subtype.toUpperCase() : null;
}

/** Decimal units, as players and download dialogs show file sizes. */
const SIZE_UNITS: ReadonlyArray<[unit: string, bytes: number]> = [['GB', 1e9], ['MB', 1e6], ['kB', 1e3]];

/** A byte count as people read it: "24 MB", "2.5 MB", "800 kB". */
export function sizeLabel(bytes: number): string {
  for (const [unit, size] of SIZE_UNITS) {
    if (bytes < size) continue;
    // Whole units from 10 up, else one decimal; the feed's XSL view rounds the same way.
    const value = bytes < 10 * size ? Math.round(bytes / (size / 10)) / 10 : Math.round(bytes / size);
    return `${value} ${unit}`;
  }
  return `${bytes} bytes`;
}

/**
 * What a page's link to the enclosure says: "Listen (MP3, 24 MB)" for audio,
 * "Watch (MP4)" for video, with the format and size when known. The feed's
 * XSL view builds the same label from the RSS enclosure.
 */
export function enclosureLabel(enclosure: MediaEnclosure): string {
  const type = enclosureType(enclosure);
  const verb = mediumOf(type) === 'video' ? 'Watch' : 'Listen';
  const details = [formatName(type), enclosure.length !== null && enclosure.length > 0 ? sizeLabel(enclosure.length) : null].filter(
    (part): part is string => part !== null,
  );
  return details.length > 0 ? `${verb} (${details.join(', ')})` : verb;
}
