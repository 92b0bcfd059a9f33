/**
 * Lead-image byte lengths and types for enclosures. Most sources do not say
 * how large an article's image is, and RSS wants a length; many image URLs
 * (CDN ids, `?w=800`) have no extension to tell the type by. So, when
 * publishing, byline sends a HEAD request for each lead image whose length or
 * type is unknown and keeps the answer in memory for the life of the process
 * (an image at a URL rarely changes, and a wrong length only costs a
 * podcatcher a progress bar). Renderers never do I/O: they read what was
 * learned here.
 *
 * Requests are few and short: bounded concurrency, a short deadline, one
 * attempt per URL per process (failures are remembered as unknown), at most
 * a few redirects, and the SSRF rule of feed fetches. A host that cannot be
 * reached at all (no address, refused, timed out) is asked once per fill: a
 * source's images usually share one host, and a dead image host must not hold
 * a build or a cycle's publishing for a deadline per image.
 */
import type { Article } from '../model/index.js';
import { sendOutbound } from './outbound.js';

/** Options of {@link createImageLengths}. */
export interface ImageLengthOptions {
  allowPrivateAddresses: boolean;
  /** Per request. */
  timeoutMs?: number;
  /** HEAD requests in flight at once. */
  concurrency?: number;
  /** URLs remembered; the oldest are forgotten first. */
  maxEntries?: number;
  userAgent?: string;
}

/** What one HEAD answer told about an image; either may be unknown. */
export interface LearnedImage {
  length: number | null;
  /** An `image/*` type, lower case, parameters left off. */
  type: string | null;
}

/** The lengths and types learned so far, and the step that learns more. */
export interface ImageLengths {
  /** Bytes of the image at `url`; `null` when unknown (never asked, or the answer had no usable length). */
  get(url: string): number | null;
  /** The type the image's server gave for `url`; `null` when unknown or not an image type. */
  typeOf(url: string): string | null;
  /**
   * HEADs every http(s) URL not asked about yet, but no more URLs of a host
   * once one of them failed below HTTP; resolves with how many lengths were learned.
   */
  fill(urls: readonly string[], signal?: AbortSignal): Promise<number>;
  /** Bumped whenever a length or type is learned, so output caches know to re-render. */
  readonly version: number;
  /** Everything learned so far, by URL (for a render thread, which publishes with a copy). */
  learned(): Array<[string, LearnedImage]>;
}

const MAX_REDIRECTS = 3;

function lengthFrom(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^\d{1,15}$/.test(value.trim())) return null;
  const length = Number(value.trim());
  return length > 0 ? length : null;
}

/**
 * The image type of a Content-Type header. Anything but `image/*` (an HTML
 * error page, `application/octet-stream`) says nothing about the image.
 */
function imageTypeFrom(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type && /^image\/[a-z0-9][a-z0-9.+-]*$/.test(type) ? type : null;
}

const UNKNOWN: LearnedImage = { length: null, type: null };

/** Scheme, host and port; a URL that does not parse is its own origin (the request refuses it anyway). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Creates an empty in-memory store of image lengths. */
export function createImageLengths(options: ImageLengthOptions): ImageLengths {
  const timeoutMs = options.timeoutMs ?? 3000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxEntries = options.maxEntries ?? 5000;
  // A missing key = never asked; UNKNOWN = asked, nothing usable learned.
  const known = new Map<string, LearnedImage>();
  // Two fills running at once (a cycle and a build) must not HEAD one URL twice.
  const inFlight = new Set<string>();
  let version = 0;

  const remember = (url: string, image: LearnedImage): void => {
    known.set(url, image);
    while (known.size > maxEntries) {
      const oldest = known.keys().next().value;
      if (oldest === undefined) break;
      known.delete(oldest);
    }
    if (image.length !== null || image.type !== null) version++;
  };

  const head = async (url: string, signal: AbortSignal | undefined): Promise<LearnedImage> => {
    let target = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await sendOutbound({
        method: 'HEAD',
        url: target,
        timeoutMs,
        allowPrivateAddresses: options.allowPrivateAddresses,
        ...(signal ? { signal } : {}),
        headers: { Accept: 'image/*', ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}) },
      });
      const location = response.headers.location;
      if (response.status >= 300 && response.status < 400 && location) {
        target = new URL(location, target).toString();
        continue;
      }
      if (response.status < 200 || response.status >= 300) return UNKNOWN;
      return { length: lengthFrom(response.headers['content-length']), type: imageTypeFrom(response.headers['content-type']) };
    }
    return UNKNOWN;
  };

  return {
    get: (url) => known.get(url)?.length ?? null,
    typeOf: (url) => known.get(url)?.type ?? null,
    learned: () => [...known].filter((entry) => entry[1].length !== null || entry[1].type !== null),
    get version() {
      return version;
    },
    async fill(urls, signal) {
      const pending = [...new Set(urls)].filter((url) => /^https?:\/\//i.test(url) && !known.has(url) && !inFlight.has(url));
      for (const url of pending) inFlight.add(url);
      // Origins that failed below HTTP in this fill; their other URLs wait for the next fill, unasked.
      const unreachable = new Set<string>();
      let learned = 0;
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < pending.length) {
          const url = pending[next++]!;
          const origin = originOf(url);
          if (unreachable.has(origin)) {
            inFlight.delete(url);
            continue;
          }
          let image = UNKNOWN;
          try {
            image = await head(url, signal);
          } catch {
            unreachable.add(origin);
          }
          inFlight.delete(url);
          // Cancelled is not an answer: the URL is asked again next time.
          if (signal?.aborted) continue;
          remember(url, image);
          if (image.length !== null) learned++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
      return learned;
    },
  };
}

/** Lead-image URLs of articles whose image length or type neither the source nor the URL's extension gave. */
export function unknownImageUrls(articles: readonly Article[]): string[] {
  return articles.flatMap((article) => (article.image && (article.image.length === null || article.image.type === null) ? [article.image.url] : []));
}

/**
 * The article with its image's unknown length and type filled in from what
 * was learned (unchanged when nothing is known). What the source stated wins.
 */
export function withLearnedImage(article: Article, lengths: Pick<ImageLengths, 'get' | 'typeOf'> | null): Article {
  const { image } = article;
  if (!lengths || !image || (image.length !== null && image.type !== null)) return article;
  const length = image.length ?? lengths.get(image.url);
  const type = image.type ?? lengths.typeOf(image.url);
  return length === image.length && type === image.type ? article : { ...article, image: { ...image, length, type } };
}
