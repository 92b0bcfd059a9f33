/**
 * A real node:http server on 127.0.0.1 (port 0) for the fetch tests. Tests
 * register a handler per path (a fresh path per test keeps their state apart)
 * and read back what each request carried.
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchError } from '../../src/errors.js';
import type { FetcherOptions } from '../../src/fetch/index.js';
import { caught } from '../helpers/caught.js';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** What the server saw of one request. */
export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FixtureServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Registers `handler` for `path` (query ignored); returns the full URL. */
  route(path: string, handler: Handler): string;
  /** Requests received for `path`, oldest first. */
  seen(path: string): SeenRequest[];
  close(): Promise<void>;
}

let counter = 0;

/** A path no other test uses. */
export function uniquePath(name: string): string {
  counter += 1;
  return `/${name}-${counter}`;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, Handler>();
  const log = new Map<string, SeenRequest[]>();
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://fixture').pathname;
    const seen = log.get(path) ?? [];
    seen.push({ path, headers: request.headers });
    log.set(path, seen);
    const handler = routes.get(path);
    if (handler) handler(request, response);
    else response.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such fixture');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    route(path, handler) {
      routes.set(path, handler);
      return `${origin}${path}`;
    },
    seen: (path) => log.get(path) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Streams `total` zero bytes in 64 KiB chunks, honouring backpressure, so a big
 * body is never allocated. Resolves with how many bytes were handed to the socket
 * before it finished or the client went away.
 */
export function streamZeros(response: ServerResponse, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  return new Promise((resolve) => {
    const finish = (): void => resolve(written);
    response.once('close', finish);
    const pump = (): void => {
      while (written < total && !response.destroyed) {
        const piece = total - written >= chunk.length ? chunk : chunk.subarray(0, total - written);
        written += piece.length;
        if (!response.write(piece)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!response.destroyed) response.end();
    };
    pump();
  });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fetcher options for tests against this loopback server: private addresses allowed, a 5 s budget. */
export const OPEN: FetcherOptions = { allowPrivateAddresses: true, timeoutMs: 5000 };

/** Awaits a fetch that must fail and returns its FetchError. */
export const failure = (promise: Promise<unknown>): Promise<FetchError> => caught(promise, FetchError);
