/**
 * The HTTP app as a function from Request to Response (the WHATWG types Node
 * ships), so tests call `app.fetch()` without opening a port; `listen.ts`
 * adapts it to node:http. One central error handler; no route throws out.
 */
import type { SourceHealth } from '../model/index.js';
import type { CachedBody, OutputCache } from './output-cache.js';

export type FeedOutput = 'rss' | 'atom' | 'json' | 'html' | 'sources';

interface Route {
  output: FeedOutput;
  type: string;
  /** Feeds are read cross-origin by web readers; pages are not. */
  cors: boolean;
}

const ROUTES: Record<string, Route> = {
  '/feed.xml': { output: 'rss', type: 'application/rss+xml; charset=utf-8', cors: true },
  '/atom.xml': { output: 'atom', type: 'application/atom+xml; charset=utf-8', cors: true },
  '/feed.json': { output: 'json', type: 'application/feed+json; charset=utf-8', cors: true },
  '/': { output: 'html', type: 'text/html; charset=utf-8', cors: false },
  '/index.html': { output: 'html', type: 'text/html; charset=utf-8', cors: false },
  '/sources': { output: 'sources', type: 'text/html; charset=utf-8', cors: false },
};

export interface AppOptions {
  outputs: OutputCache<FeedOutput>;
  health: () => Promise<SourceHealth[]>;
  /** Shown by /healthz. */
  describe: () => { store: string; sources: number; cycleRunning: boolean };
  onError?: (error: unknown, request: Request) => void;
}

export interface App {
  fetch(request: Request): Promise<Response>;
}

const CACHE_CONTROL = 'public, max-age=300';

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

function notModified(request: Request, body: CachedBody): boolean {
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

function serveBody(request: Request, route: Route, body: CachedBody): Response {
  const headers = new Headers({
    'Content-Type': route.type,
    ETag: body.etag,
    'Last-Modified': body.lastModified.toUTCString(),
    'Cache-Control': CACHE_CONTROL,
    Vary: 'Accept-Encoding',
  });
  if (route.cors) headers.set('Access-Control-Allow-Origin', '*');
  if (notModified(request, body)) return new Response(null, { status: 304, headers });
  const encoding = chooseEncoding(request.headers.get('accept-encoding'));
  const bytes = encoding ? body[encoding] : body.raw;
  if (encoding) headers.set('Content-Encoding', encoding);
  headers.set('Content-Length', String(bytes.length));
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(bytes), { status: 200, headers });
}

function json(value: unknown, status = 200): Response {
  return new Response(`${JSON.stringify(value, null, 2)}\n`, {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' },
  });
}

/** Creates the app over its dependencies. */
export function createApp(options: AppOptions): App {
  const handle = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed\n', { status: 405, headers: { Allow: 'GET, HEAD' } });
    }
    const { pathname } = new URL(request.url);
    if (pathname === '/healthz') return json({ ok: true, ...options.describe() });
    if (pathname === '/sources.json') return json(await options.health());
    const route = ROUTES[pathname];
    if (!route) return new Response('not found\n', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return serveBody(request, route, await options.outputs.get(route.output));
  };

  return {
    async fetch(request) {
      try {
        return await handle(request);
      } catch (error) {
        options.onError?.(error, request);
        return new Response('internal error\n', { status: 500, headers: { 'Content-Type': 'text/plain' } });
      }
    },
  };
}
