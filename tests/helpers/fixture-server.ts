/**
 * A real HTTP server on 127.0.0.1 for tests: serves fixed bodies with
 * validators (answering 304 like a well-behaved origin), or custom handlers,
 * and records every request so tests can assert what byline sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticRoute {
  body: string | Uint8Array;
  type?: string;
  status?: number;
  headers?: Record<string, string>;
  /** Serve ETag/Last-Modified and honour conditional requests (default true). */
  validators?: boolean;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface FixtureServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  url(path: string): string;
  /** Serves `route` at `path` (query ignored); returns the full URL. */
  route(path: string, route: StaticRoute | Handler): string;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  /** The requests received for `path`, oldest first. */
  seen(path: string): RecordedRequest[];
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Wed, 25 Nov 2026 12:00:00 GMT';

function serveStatic(route: StaticRoute, req: IncomingMessage, res: ServerResponse): void {
  const body = typeof route.body === 'string' ? Buffer.from(route.body) : Buffer.from(route.body);
  const etag = `"${body.length.toString(16)}-${hash(body)}"`;
  const headers: Record<string, string> = { 'Content-Type': route.type ?? 'application/xml', ...route.headers };
  if (route.validators !== false) {
    headers.ETag = etag;
    headers['Last-Modified'] = LAST_MODIFIED;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
  }
  res.writeHead(route.status ?? 200, { ...headers, 'Content-Length': String(body.length) }).end(body);
}

function hash(bytes: Buffer): string {
  let h = 0;
  for (const byte of bytes) h = (h * 31 + byte) >>> 0;
  return h.toString(16);
}

/** Starts a server on 127.0.0.1 with a free port. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, StaticRoute | Handler>();
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = routes.get(path);
    if (!route) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    else if (typeof route === 'function') route(req, res);
    else serveStatic(route, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    url: (path) => `${origin}${path}`,
    route(path, route) {
      routes.set(path, route);
      return `${origin}${path}`;
    },
    requests,
    seen: (path) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
