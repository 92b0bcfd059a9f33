/**
 * Small outbound HTTP requests made while publishing (HEAD of lead images,
 * WebSub pings): node:http(s), a hard deadline, no body kept, and the same
 * SSRF rule as feed fetches (a name resolving to a non-public address is
 * refused unless private addresses are allowed). Feed fetching itself lives in
 * src/fetch; this is deliberately much smaller.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from '../fetch/index.js';

/** One request. */
export interface OutboundRequest {
  method: 'HEAD' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Whole request, connect to last header byte. */
  timeoutMs: number;
  allowPrivateAddresses: boolean;
  /** Aborts the request (shutdown). */
  signal?: AbortSignal;
}

/** What came back: the status and headers (lower-case names). */
export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
}

/** Thrown when the target is refused by the SSRF rule. */
export class BlockedAddressError extends Error {
  constructor(host: string, address: string) {
    super(`refusing to connect to ${host} (${address}): not a public address`);
    this.name = 'BlockedAddressError';
  }
}

function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** A lookup that resolves every address and refuses the name if any of them is not public. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      const blocked = allowPrivate ? undefined : addresses.find((entry) => !isPublicAddress(entry.address));
      if (blocked) {
        callback(new BlockedAddressError(hostname, blocked.address), []);
        return;
      }
      // node asks for all addresses when autoSelectFamily is on, else for one.
      if ((options as { all?: boolean }).all) callback(null, addresses);
      else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
    });
  };
}

/**
 * Sends one request and resolves with the status and headers; the response
 * body is discarded. Rejects on a refused address, a network error, or the
 * deadline. Only http and https URLs are sent.
 */
export function sendOutbound(request: OutboundRequest): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      reject(new Error(`not a URL: ${request.url}`));
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      reject(new Error(`not an http(s) URL: ${request.url}`));
      return;
    }
    const host = bare(url.hostname);
    // IP literals skip lookup, so the rule is applied to them here.
    if (isIP(host) && !request.allowPrivateAddresses && !isPublicAddress(host)) {
      reject(new BlockedAddressError(host, host));
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const req = client.request(url, {
      method: request.method,
      headers: { ...request.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
      lookup: guardedLookup(request.allowPrivateAddresses),
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${request.timeoutMs} ms: ${request.url}`)), request.timeoutMs);
    timer.unref();
    const onAbort = (): void => void req.destroy(new Error(`cancelled: ${request.url}`));
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('close', () => request.signal?.removeEventListener('abort', onAbort));
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      // The body is not wanted; drop the socket rather than read a large image.
      res.destroy();
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
