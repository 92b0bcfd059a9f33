/**
 * The HTTP app as a function from Request to Response (the WHATWG types Node
 * ships), so tests call `app.fetch()` without opening a port; `listen.ts`
 * adapts it to node:http. Cached outputs that are already built are also
 * answered by `serve`, straight from node:http's request, without the
 * Request/Response objects: the same answers, by the same responder. One
 * central error handler; no route throws out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SourceHealth } from '../model/index.js';
import type { CachedBody } from './encode.js';
import type { OutputCache } from './output-cache.js';
import { createResponder, serveCached, type Responder, type WebSubHeaders } from './respond.js';
import { routeFor, type Route } from './routes.js';

export { chooseEncoding } from './negotiate.js';
export { routeFor, type Route } from './routes.js';

/** What an error report names: the request being answered, or the output path rebuilt in the background. */
export interface ErrorContext {
  method: string;
  url: string;
}

/** Options of {@link createApp}. */
export interface AppOptions {
  outputs: OutputCache;
  health: () => Promise<SourceHealth[]>;
  /** Shown by /healthz. */
  describe: () => { store: string; sources: number; cycleRunning: boolean };
  /**
   * One read of the store, for /healthz: when it fails or takes longer than
   * {@link PROBE_TIMEOUT_MS}, /healthz answers 503 with the reason, so a
   * supervisor sees a byline that serves old outputs from a store it can no
   * longer read. Without it /healthz reports only that the process answers.
   */
  probe?: () => Promise<unknown>;
  /**
   * A WebSub hub: feed responses then carry `Link: <hub>; rel="hub"` and
   * `<self>; rel="self"`, where `selfUrl` maps an output path to its public URL.
   */
  websub?: WebSubHeaders | null;
  onError?: (error: unknown, request: ErrorContext) => void;
}

/** The app: every request through `fetch`; `serve` is an optional node:http shortcut. */
export interface App {
  fetch(request: Request): Promise<Response>;
  /**
   * Answers from node:http directly when it can (a built output); returns
   * `false`, having written nothing, when the request needs `fetch`.
   */
  serve?(req: IncomingMessage, res: ServerResponse): boolean;
}

function serveBody(request: Request, route: Route, body: CachedBody, responder: Responder): Response {
  const headers = request.headers;
  const answer = responder.answer(route, body, {
    method: request.method,
    accept: headers.get('accept'),
    acceptEncoding: headers.get('accept-encoding'),
    ifNoneMatch: headers.get('if-none-match'),
    ifModifiedSince: headers.get('if-modified-since'),
  });
  const pairs: [string, string][] = [];
  for (let i = 0; i < answer.headers.length; i += 2) pairs.push([answer.headers[i]!, answer.headers[i + 1]!]);
  return new Response(answer.bytes ? new Uint8Array(answer.bytes) : null, { status: answer.status, headers: pairs });
}

function json(value: unknown, status = 200): Response {
  return new Response(`${JSON.stringify(value, null, 2)}\n`, {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' },
  });
}

/** How long /healthz waits for the store's answer. */
export const PROBE_TIMEOUT_MS = 2000;

/** The store's answer to the probe: null when it read, else why not. */
async function probeStore(probe: () => Promise<unknown>): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer from the store within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
  });
  const read = probe().then(
    () => null,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

function notFound(): Response {
  return new Response('not found\n', { status: 404, headers: { 'Content-Type': 'text/plain' } });
}

/** Creates the app over its dependencies. */
export function createApp(options: AppOptions): App {
  const responder = createResponder(options.websub ?? null);

  const handle = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed\n', { status: 405, headers: { Allow: 'GET, HEAD' } });
    }
    const { pathname } = new URL(request.url);
    if (pathname === '/healthz') {
      const failure = options.probe ? await probeStore(options.probe) : null;
      return failure === null ? json({ ok: true, ...options.describe() }) : json({ ok: false, error: failure, ...options.describe() }, 503);
    }
    if (pathname === '/sources.json') return json(await options.health());
    const route = routeFor(pathname);
    if (!route) return notFound();
    const body = await options.outputs.get(route.path);
    return body ? serveBody(request, route, body, responder) : notFound();
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
    serve(req, res) {
      return serveCached(req, res, options.outputs, responder);
    },
  };
}
