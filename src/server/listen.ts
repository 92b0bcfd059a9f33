/**
 * Adapts the app to node:http: a built output is answered by the app's fast
 * path straight from node:http; everything else goes Request in, Response out.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ListenError } from '../errors.js';
import type { App } from './app.js';

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

/** Starts listening; resolves with the server and the address it bound, rejects with a {@link ListenError}. */
export function listen(app: App, port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
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
  server.keepAliveTimeout = 5000;
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
