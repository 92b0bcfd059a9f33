/**
 * HTTP negotiation for cached outputs: which precompressed form to send for
 * an Accept-Encoding header, and whether a conditional request can be
 * answered with 304.
 */
import type { CachedBody } from './output-cache.js';

/** Picks the best encoding we hold for an Accept-Encoding header (q-values honoured). */
export function chooseEncoding(header: string | null): 'br' | 'gzip' | null {
  if (!header) return null;
  const weights = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    weights.set(name.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const weight = (name: string): number => weights.get(name) ?? weights.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return null;
}

/**
 * Whether the client's copy is current: If-None-Match (weak comparison, `*`
 * included) wins; otherwise If-Modified-Since against Last-Modified.
 */
export function notModified(request: Request, body: CachedBody): boolean {
  const inm = request.headers.get('if-none-match');
  if (inm !== null) {
    const tags = inm.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(body.etag);
  }
  const ims = request.headers.get('if-modified-since');
  if (ims !== null) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && body.lastModified.getTime() <= since;
  }
  return false;
}
