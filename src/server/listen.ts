/**
 * Adapts the app to node:http: a built output is answered by the app's fast
 * path straight from node:http; everything else goes Request in, Response out.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ListenError } from '../errors.js';
import type { App } from './app.js';

/**
 * How long a client may take, and how many may be connected at once. Node's
 * defaults suit an application server behind a proxy, not a feed server
 * facing the internet: 60 s for a request's headers (checked every 30 s, so
 * up to 90 s) and no limit on a client that stops reading, so anyone opening
 * connections and sending headers a byte at a time could hold them all. Every
 * request byline answers is a GET or HEAD without a body, sent at once by a
 * feed reader, so a whole request gets a few seconds' worth of slack at most.
 * Nothing here bounds the time a response takes: a live reader on a slow
 * link gets a 2 MB feed however long it takes, as long as it keeps reading
 * (node does not count a connection idle while a write to it progresses).
 */
export interface ServerLimits {
  /** A request's head must arrive within this (node answers 408 and closes). */
  headersTimeoutMs: number;
  /** A whole request must arrive within this; a response being sent is not counted. */
  requestTimeoutMs: number;
  /** How often the two limits above are checked: a client is cut off at most this much after its limit. */
  checkIntervalMs: number;
  /**
   * A connection on which nothing moves for this long is closed: a client
   * that sends nothing, or stopped reading its response. Also the longest a
   * request may wait for its answer (a first render of the outputs).
   */
  idleTimeoutMs: number;
  /** How long a kept-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
  /**
   * Connections beyond this are closed as they arrive, so no client can take
   * every file descriptor the process needs for its store and its fetches
   * (a common limit is 1024 in all).
   */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = {
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 30_000,
  checkIntervalMs: 2_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
};

/** What an operator can do about the usual ways of failing to listen, by the system's error code. */
const LISTEN_FAILURES: Readonly<Record<string, string>> = {
  EADDRINUSE: 'another process (another byline?) is listening on that port; choose another with --port',
  EACCES: 'not permitted (ports below 1024 need privileges); choose another with --port',
  EADDRNOTAVAIL: 'no network interface of this machine has that address; check --host',
  ENOTFOUND: 'that host name does not resolve; check --host',
};

function listenFailure(error: NodeJS.ErrnoException, address: string): ListenError {
  const reason = (error.code !== undefined ? LISTEN_FAILURES[error.code] : undefined) ?? error.message;
  return new ListenError(`cannot listen on ${address}: ${reason}`, { cause: error });
}

/**
 * Only the path and query of a request matter to the app, so the URL is read
 * against a fixed origin: a client's Host header, or a target such as `//x`
 * that a URL parser would take for a host, can then neither fail the parse nor
 * change the path.
 */
const REQUEST_ORIGIN = 'http://byline.invalid';

/** A request the app can answer, or the status that refuses it (a method or target the Fetch API cannot carry). */
function toRequest(req: IncomingMessage): Request | 400 | 405 {
  const method = req.method ?? 'GET';
  // Every route is GET or HEAD, so bodies are never read; the app answers other methods it can represent.
  const target = req.url ?? '/';
  let url: URL;
  try {
    url = target.startsWith('/') ? new URL(`${REQUEST_ORIGIN}${target}`) : new URL(target);
  } catch {
    return 400;
  }
  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    return new Request(url, { method, headers });
  } catch {
    // TRACE, CONNECT and TRACK are forbidden methods of the Fetch API; anything else failing here is the header set.
    return /^(?:CONNECT|TRACE|TRACK)$/i.test(method) ? 405 : 400;
  }
}

function refuse(res: ServerResponse, status: 400 | 405): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    ...(status === 405 ? { Allow: 'GET, HEAD' } : {}),
  });
  res.end(status === 405 ? 'method not allowed\n' : 'bad request\n');
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) {
    res.end();
    return;
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  res.end(bytes);
}

/**
 * Starts listening; resolves with the server and the address it bound, rejects
 * with a {@link ListenError}. `limits` overrides {@link DEFAULT_SERVER_LIMITS}.
 */
export function listen(app: App, port: number, host: string, limits: Partial<ServerLimits> = {}): Promise<{ server: Server; url: string }> {
  const { headersTimeoutMs, requestTimeoutMs, checkIntervalMs, idleTimeoutMs, keepAliveTimeoutMs, maxConnections } = {
    ...DEFAULT_SERVER_LIMITS,
    ...limits,
  };
  const serverOptions = {
    headersTimeout: headersTimeoutMs,
    // node refuses a request limit shorter than the headers' one.
    requestTimeout: Math.max(requestTimeoutMs, headersTimeoutMs),
    connectionsCheckingInterval: checkIntervalMs,
    keepAliveTimeout: keepAliveTimeoutMs,
  };
  const server = createServer(serverOptions, (req, res) => {
    try {
      if (app.serve?.(req, res)) return;
    } catch {
      // Thrown before anything was written (a header it could not write): the long way answers, or reports
      // the error; thrown after, the connection is dropped.
      if (res.headersSent) {
        res.destroy();
        return;
      }
    }
    const request = toRequest(req);
    if (typeof request === 'number') {
      refuse(res, request);
      return;
    }
    app
      .fetch(request)
      .then((response) => send(response, res))
      .catch(() => {
        res.statusCode = 500;
        res.end();
      });
  });
  server.timeout = idleTimeoutMs;
  server.maxConnections = maxConnections;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => reject(listenFailure(error, `${shownHost}:${port}`));
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve({ server, url: `http://${shownHost}:${bound}/` });
    });
  });
}
