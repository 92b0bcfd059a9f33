/**
 * HTTP negotiation for cached outputs: which precompressed form to send for
 * an Accept-Encoding header, whether a conditional request can be answered
 * with 304 (by the ETag of the form that would be sent), and which media type
 * a browser navigation gets. Everything works on the raw header strings, so
 * the node:http fast path and the Request-based app decide the same way.
 */
import type { CachedBody, Coding } from './encode.js';

/** An encoding we hold a precompressed form for. */
export type Encoding = Exclude<Coding, 'identity'>;

/** The members of an Accept-style header (lower case) with their q-values, 1 where none is given, in order. */
function weighted(header: string): Array<[name: string, weight: number]> {
  const members: Array<[string, number]> = [];
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    members.push([name.trim(), q ? Number(q.slice(2)) || 0 : 1]);
  }
  return members;
}

/** Picks the best encoding we hold for an Accept-Encoding header (q-values honoured). */
export function chooseEncoding(header: string | null | undefined): Encoding | null {
  if (!header) return null;
  const weights = new Map(weighted(header));
  const weight = (name: string): number => weights.get(name) ?? weights.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

// Clients send a handful of distinct Accept-Encoding strings; the bound keeps
// a client that sends a new one with every request from growing the map.
const ENCODING_MEMO_LIMIT = 256;
const encodingMemo = new Map<string, Encoding | null>();

/** {@link chooseEncoding}, remembered per raw header string. */
export function encodingFor(header: string | undefined): Encoding | null {
  if (!header) return null;
  const known = encodingMemo.get(header);
  if (known !== undefined) return known;
  const chosen = chooseEncoding(header);
  if (encodingMemo.size >= ENCODING_MEMO_LIMIT) encodingMemo.clear();
  encodingMemo.set(header, chosen);
  return chosen;
}

/**
 * The three forms of HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, the obsolete
 * RFC 850 form and asctime. Date.parse alone would take `2099` for a date.
 */
const HTTP_DATE = /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/;

/**
 * Whether the client's copy is current, from the raw If-None-Match and
 * If-Modified-Since values, for the body in the content coding `coding` (the
 * one this request would be sent): If-None-Match (weak comparison, `*`
 * included) against that coding's ETag wins, so a copy in another coding is
 * not current; otherwise If-Modified-Since against Last-Modified, when it is
 * an HTTP-date and the date tells this body from the one before it.
 */
export function isNotModified(ifNoneMatch: string | null | undefined, ifModifiedSince: string | null | undefined, body: CachedBody, coding: Coding): boolean {
  if (ifNoneMatch != null) {
    const etag = body.etags[coding];
    // The usual revalidation sends back exactly the tag it was given.
    if (ifNoneMatch === etag) return true;
    // Weak comparison: a tag held from before the compressed forms' tags were weak still matches.
    const opaque = etag.replace(/^W\//, '');
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(opaque);
  }
  if (ifModifiedSince != null && body.sharesLastModified !== true) {
    const text = ifModifiedSince.trim();
    // asctime has no zone, and is GMT all the same.
    const since = HTTP_DATE.test(text) ? Date.parse(text.endsWith('GMT') ? text : `${text} GMT`) : Number.NaN;
    return Number.isFinite(since) && body.lastModified.getTime() <= since;
  }
  return false;
}

/** {@link isNotModified} for a WHATWG Request, for the coding its Accept-Encoding chooses. */
export function notModified(request: Request, body: CachedBody): boolean {
  const coding = encodingFor(request.headers.get('accept-encoding') ?? undefined) ?? 'identity';
  return isNotModified(request.headers.get('if-none-match'), request.headers.get('if-modified-since'), body, coding);
}

const HTML_TYPE = /^(?:text\/html|application\/xhtml\+xml)$/;
const FEED_TYPE = /^(?:application\/(?:rss|atom|rdf)\+xml|application\/xml|text\/xml)$/;

/**
 * Whether an Accept header is a browser navigation's: it prefers HTML to any
 * XML or feed type. Feed readers often list text/html too, after the feed
 * types (`application/rss+xml, …, text/html;q=0.7`), and keep the feed's own
 * media type.
 */
export function prefersHtml(accept: string): boolean {
  let html = 0;
  let feed = 0;
  for (const [name, weight] of weighted(accept)) {
    if (HTML_TYPE.test(name)) html = Math.max(html, weight);
    else if (FEED_TYPE.test(name)) feed = Math.max(feed, weight);
  }
  return html > 0 && html > feed;
}

// Like Accept-Encoding, a handful of distinct Accept strings come by, and each is read once.
const htmlMemo = new Map<string, boolean>();

/** {@link prefersHtml}, remembered per raw header string; false without a header. */
export function wantsHtml(accept: string | null | undefined): boolean {
  if (!accept) return false;
  let wanted = htmlMemo.get(accept);
  if (wanted === undefined) {
    wanted = prefersHtml(accept);
    if (htmlMemo.size >= ENCODING_MEMO_LIMIT) htmlMemo.clear();
    htmlMemo.set(accept, wanted);
  }
  return wanted;
}
