/**
 * Answers for cached outputs. The header lists of a body (its 304 and its
 * 200 in each encoding, each with that encoding's own ETag) are built once
 * per body and media type and reused by every request, so the node:http fast
 * path writes a response with one `writeHead` and no per-request objects.
 * The Request-based app builds its Response from the very same lists, so both
 * paths send the same headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CachedBody, Coding } from './encode.js';
import { encodingFor, isNotModified, wantsHtml } from './negotiate.js';
import type { OutputCache } from './output-cache.js';
import { routeFor, type Route } from './routes.js';

const CACHE_CONTROL = 'public, max-age=300';

/** A WebSub hub announced on feeds; `selfUrl` maps an output path to its public URL. */
export interface WebSubHeaders {
  hubUrl: string;
  selfUrl: (path: string) => string;
}

/** Header lists of one body under one media type, as flat `[name, value, …]` arrays (what `writeHead` takes). */
export interface PreparedHeaders {
  notModified: Record<Coding, string[]>;
  full: Record<Coding, string[]>;
}

/** What a cached output is answered with. */
export interface CachedAnswer {
  status: 200 | 304;
  headers: string[];
  /** The bytes to send; `null` for a 304 or a HEAD. */
  bytes: Buffer | null;
}

/** Builds and keeps the header lists of cached bodies. */
export interface Responder {
  /** The answer to a GET or HEAD for `body` at `route`, from the raw request header values. */
  answer(
    route: Route,
    body: CachedBody,
    request: { method: string; accept: string | null | undefined; acceptEncoding: string | null | undefined; ifNoneMatch: string | null | undefined; ifModifiedSince: string | null | undefined },
  ): CachedAnswer;
}

/**
 * Browsers show `application/rss+xml` as plain text and apply the feed's XSL
 * stylesheet only to a generic XML type, so a navigation (which asks for
 * text/html) gets the same bytes labelled `application/xml`.
 */
function contentType(route: Route, accept: string | null | undefined): string {
  return route.browserType && wantsHtml(accept) ? route.browserType : route.type;
}

/** Creates a responder; header lists live as long as their body. */
export function createResponder(websub: WebSubHeaders | null): Responder {
  // Keyed by body, then media type: a body belongs to one output path, whose route fixes every other header.
  const prepared = new WeakMap<CachedBody, Map<string, PreparedHeaders>>();

  const prepare = (route: Route, body: CachedBody, type: string): PreparedHeaders => {
    // Names in lower case and sorted, as a WHATWG Headers object lists them.
    const common: string[] = [];
    if (route.cors) common.push('access-control-allow-origin', '*');
    common.push('cache-control', CACHE_CONTROL);
    const after: string[] = ['last-modified', body.lastModified.toUTCString()];
    if (route.feed && websub) after.push('link', `<${websub.hubUrl}>; rel="hub", <${websub.selfUrl(route.path)}>; rel="self"`);
    after.push('vary', route.browserType ? 'Accept-Encoding, Accept' : 'Accept-Encoding');
    // A 304 carries the ETag the 200 it stands for would have (RFC 9110 §15.4.5).
    const rest = (coding: Coding): string[] => ['content-type', type, 'etag', body.etags[coding], ...after];
    const full = (coding: Coding, bytes: Buffer): string[] => [
      ...common,
      ...(coding === 'identity' ? [] : ['content-encoding', coding]),
      'content-length',
      String(bytes.length),
      ...rest(coding),
    ];
    return {
      notModified: { identity: [...common, ...rest('identity')], gzip: [...common, ...rest('gzip')], br: [...common, ...rest('br')] },
      full: { identity: full('identity', body.raw), gzip: full('gzip', body.gzip), br: full('br', body.br) },
    };
  };

  return {
    answer(route, body, request) {
      const type = contentType(route, request.accept);
      let byType = prepared.get(body);
      if (!byType) prepared.set(body, (byType = new Map()));
      let headers = byType.get(type);
      if (!headers) byType.set(type, (headers = prepare(route, body, type)));
      // The validator compared is the one of the coding this request would be sent.
      const coding = encodingFor(request.acceptEncoding ?? undefined) ?? 'identity';
      if (isNotModified(request.ifNoneMatch, request.ifModifiedSince, body, coding)) return { status: 304, headers: headers.notModified[coding], bytes: null };
      const bytes = coding === 'identity' ? body.raw : body[coding];
      return { status: 200, headers: headers.full[coding], bytes: request.method === 'HEAD' ? null : bytes };
    },
  };
}

/**
 * The node:http fast path: answers a GET or HEAD for an output that already
 * has a complete body, straight from the cache. Returns `false` (and writes
 * nothing) for anything else, which then takes the Request-based path: other
 * methods, paths that need URL normalizing, /healthz, outputs not built yet.
 */
export function serveCached(req: IncomingMessage, res: ServerResponse, outputs: OutputCache, responder: Responder): boolean {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD') return false;
  const url = req.url ?? '';
  // Only a plain origin-form path: anything a URL parser would rewrite goes the long way.
  if (url.charCodeAt(0) !== 47 /* / */) return false;
  const query = url.indexOf('?');
  const route = routeFor(query === -1 ? url : url.slice(0, query));
  if (!route) return false;
  const body = outputs.peek(route.path);
  if (!body) return false;
  const headers = req.headers;
  const answer = responder.answer(route, body, {
    method,
    accept: headers.accept,
    acceptEncoding: headers['accept-encoding'],
    ifNoneMatch: headers['if-none-match'],
    ifModifiedSince: headers['if-modified-since'],
  });
  res.writeHead(answer.status, answer.headers);
  if (answer.bytes) res.end(answer.bytes);
  else res.end();
  return true;
}
