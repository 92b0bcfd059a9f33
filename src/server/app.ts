/**
 * The HTTP app as a function from Request to Response (the WHATWG types Node
 * ships), so tests call `app.fetch()` without opening a port; `listen.ts`
 * adapts it to node:http. One central error handler; no route throws out.
 */
import type { SourceHealth } from '../model/index.js';
import { chooseEncoding, notModified } from './negotiate.js';
import type { CachedBody, OutputCache } from './output-cache.js';
import { routeFor, type Route } from './routes.js';

export { chooseEncoding } from './negotiate.js';
export { routeFor, type Route } from './routes.js';

/** Options of {@link createApp}. */
export interface AppOptions {
  outputs: OutputCache;
  health: () => Promise<SourceHealth[]>;
  /** Shown by /healthz. */
  describe: () => { store: string; sources: number; cycleRunning: boolean };
  /**
   * A WebSub hub: feed responses then carry `Link: <hub>; rel="hub"` and
   * `<self>; rel="self"`, where `selfUrl` maps an output path to its public URL.
   */
  websub?: { hubUrl: string; selfUrl: (path: string) => string } | null;
  onError?: (error: unknown, request: Request) => void;
}

export interface App {
  fetch(request: Request): Promise<Response>;
}

const CACHE_CONTROL = 'public, max-age=300';

/**
 * Browsers show `application/rss+xml` as plain text and apply the feed's XSL
 * stylesheet only to a generic XML type, so a navigation (which asks for
 * text/html) gets the same bytes labelled `application/xml`.
 */
function contentType(request: Request, route: Route): string {
  const accept = request.headers.get('accept') ?? '';
  return route.browserType && /\btext\/html\b/i.test(accept) ? route.browserType : route.type;
}

function serveBody(request: Request, route: Route, body: CachedBody, options: AppOptions): Response {
  const headers = new Headers({
    'Content-Type': contentType(request, route),
    ETag: body.etag,
    'Last-Modified': body.lastModified.toUTCString(),
    'Cache-Control': CACHE_CONTROL,
    Vary: route.browserType ? 'Accept-Encoding, Accept' : 'Accept-Encoding',
  });
  if (route.cors) headers.set('Access-Control-Allow-Origin', '*');
  if (route.feed && options.websub) {
    headers.set('Link', `<${options.websub.hubUrl}>; rel="hub", <${options.websub.selfUrl(route.path)}>; rel="self"`);
  }
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

function notFound(): Response {
  return new Response('not found\n', { status: 404, headers: { 'Content-Type': 'text/plain' } });
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
    const route = routeFor(pathname);
    if (!route) return notFound();
    const body = await options.outputs.get(route.path);
    return body ? serveBody(request, route, body, options) : notFound();
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
