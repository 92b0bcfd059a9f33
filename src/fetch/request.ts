/**
 * One HTTP(S) GET hop with node:http/https: opens (or reuses) a connection
 * through the guarded lookup, enforces the headers timeout, and hands back the
 * response with its body unread. Redirects, status handling and the body
 * belong to the caller.
 */
import http, { type Agent, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { FetchFailure } from './failure.js';
import { guardConnectedSocket } from './guard.js';

/** What one hop needs besides the URL. */
export interface HopOptions {
  headers: OutgoingHttpHeaders;
  lookup: LookupFunction;
  /** Check the connected peer address as well (SSRF guard on). */
  guardSocket: boolean;
  headersTimeoutMs: number;
  /** Fires on total timeout or caller cancel; the request is destroyed with its reason. */
  signal: AbortSignal;
  /** Keep-alive pools per protocol; without them every hop opens a fresh connection. */
  agents?: { http: Agent; https: Agent };
}

/**
 * Errors that mean a pooled connection was closed by the server while idle
 * (the request never reached it), so sending again on a fresh one is safe.
 */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function isStaleReuse(request: ClientRequest, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return request.reusedSocket && typeof code === 'string' && STALE_SOCKET_CODES.has(code);
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * Sends a GET for `url` and resolves once response headers arrive. Rejects with
 * a headers_timeout FetchFailure, the signal's reason, a guard failure or the
 * socket's own error; classify.ts makes sense of them.
 */
export function openResponse(url: URL, options: HopOptions): Promise<IncomingMessage> {
  return sendOnce(url, options, true);
}

function sendOnce(url: URL, options: HopOptions, pooled: boolean): Promise<IncomingMessage> {
  const { signal } = options;
  if (signal.aborted) return Promise.reject(asError(signal.reason));
  return new Promise<IncomingMessage>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const transport = secure ? https : http;
    // A pooled socket was judged by the guard when it connected; only sockets this fetcher opened are pooled.
    const agent = pooled && options.agents ? (secure ? options.agents.https : options.agents.http) : false;
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      return true;
    };

    const request = transport.request(url, {
      method: 'GET',
      headers: options.headers,
      lookup: options.lookup,
      agent,
    });
    const timer = setTimeout(() => {
      request.destroy(new FetchFailure({ kind: 'headers_timeout', ms: options.headersTimeoutMs }));
    }, options.headersTimeoutMs);
    const onAbort = (): void => {
      request.destroy(asError(signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });

    if (options.guardSocket) {
      request.once('socket', (socket) => guardConnectedSocket(socket, url.hostname));
    }
    request.once('response', (response) => {
      if (settle()) resolve(response);
      else response.destroy();
    });
    // Kept for the request's whole life: errors after the response must not go unhandled.
    request.on('error', (error) => {
      if (!settle()) return;
      // An idle pooled connection the server had already closed: the request never arrived, so send it again fresh.
      if (agent !== false && isStaleReuse(request, error)) sendOnce(url, options, false).then(resolve, reject);
      else reject(error);
    });
    request.end();
  });
}
