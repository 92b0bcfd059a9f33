/**
 * The fetcher: turns a feed URL into bytes or a classified FetchError. It
 * queues for a concurrency slot, then runs the whole fetch (redirect hops,
 * guard, conditional GET, capped body) under one total deadline.
 */
import { validateHeaderValue, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createBlockPool, type BlockPool } from './blocks.js';
import { readBody } from './body.js';
import { bodyCodings } from './codings.js';
import { classifyFailure, classifyStatus } from './classify.js';
import { FetchFailure } from './failure.js';
import { readFileUrl } from './file.js';
import { createConnectionPool, type ConnectionPool } from './connection-pool.js';
import { checkLiteralHost, createGuardedLookup } from './guard.js';
import { parseCacheControlMaxAge, parseExpires, parseRetryAfter } from './http-headers.js';
import { resolveFetcherOptions, type FetcherOptions, type ResolvedFetcherOptions } from './options.js';
import { RedirectChain, isRedirectStatus } from './redirect.js';
import { openResponse, type WireResponse } from './request.js';
import type { FetchRequest, FetchResult } from './result.js';
import { KeyedLimiter } from './semaphore.js';

/** Feed types first; anything else is still accepted so the parser can sniff it. */
export const ACCEPT_HEADER =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5';

/** Every coding body.ts can decode. */
export const ACCEPT_ENCODING_HEADER = 'gzip, br, deflate';

/** Fetches feed URLs; one instance shares its concurrency limits across all calls. */
export interface Fetcher {
  /**
   * Fetches `url` (http, https or file). Resolves for 2xx and 304; rejects with a
   * FetchError otherwise, or with `request.signal.reason` when cancelled.
   */
  fetch(url: string, request?: FetchRequest): Promise<FetchResult>;
  /** Closes the idle kept-alive connections (they never hold the process open; this frees them at once). */
  close(): void;
}

/** What one fetcher keeps between fetches. */
interface Pools {
  connections: ConnectionPool;
  blocks: BlockPool;
}

/** Mutable facts about the fetch in progress, read when something fails. */
interface Progress {
  current: URL;
  phase: 'headers' | 'body';
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A header value we may send, or undefined when it would make the request invalid (a stored validator gone bad). */
function sendable(name: string, value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    validateHeaderValue(name, value);
    return value;
  } catch {
    return undefined;
  }
}

function requestHeaders(config: ResolvedFetcherOptions, request: FetchRequest): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'User-Agent': config.userAgent,
    Accept: ACCEPT_HEADER,
    'Accept-Encoding': ACCEPT_ENCODING_HEADER,
  };
  const etag = sendable('If-None-Match', request.etag);
  const lastModified = sendable('If-Modified-Since', request.lastModified);
  if (etag) headers['If-None-Match'] = etag;
  if (lastModified) headers['If-Modified-Since'] = lastModified;
  return headers;
}

/** Drops a response whose body we will not read (its connection closes, unless the response was complete). */
function discard(response: WireResponse): void {
  response.body.discard();
}

/** Parses and vets the requested URL; throws a FetchFailure for anything we will not fetch. */
function parseTarget(input: string, config: ResolvedFetcherOptions): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new FetchFailure({ kind: 'invalid_url', input });
  }
  if (url.protocol === 'file:') {
    if (!config.allowFile) throw new FetchFailure({ kind: 'file_disabled' });
  } else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchFailure({ kind: 'unsupported_scheme', scheme: url.protocol.replace(/:$/, '') });
  }
  url.hash = '';
  return url;
}

async function fetchFile(
  input: string,
  url: URL,
  request: FetchRequest,
  config: ResolvedFetcherOptions,
  signal: AbortSignal,
  blocks: BlockPool,
  started: number,
): Promise<FetchResult> {
  const outcome = await readFileUrl(url, {
    maxBytes: config.maxBytes,
    ifModifiedSince: request.lastModified ?? null,
    knownSha256: request.bodySha256 ?? null,
    signal,
    blocks,
  });
  const { body, sha256 } = outcome;
  return {
    url: input,
    finalUrl: url.href,
    status: sha256 === null ? 304 : 200,
    notModified: sha256 === null,
    permanentRedirect: null,
    etag: null,
    lastModified: outcome.lastModified,
    contentType: null,
    maxAgeSeconds: null,
    expiresAt: null,
    retryAfterSeconds: null,
    body,
    bodySha256: sha256,
    wireSha256: sha256,
    bytesReceived: outcome.bytesRead,
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function fetchHttp(
  input: string,
  start: URL,
  request: FetchRequest,
  context: { config: ResolvedFetcherOptions; pools: Pools; signal: AbortSignal; progress: Progress },
  started: number,
): Promise<FetchResult> {
  const { config, pools, signal, progress } = context;
  const headers = requestHeaders(config, request);
  const chain = new RedirectChain(start, config.maxRedirects);
  let url = start;
  for (;;) {
    progress.current = url;
    progress.phase = 'headers';
    if (!config.allowPrivateAddresses) {
      const blocked = checkLiteralHost(url.hostname);
      if (blocked) throw blocked;
    }
    const response = await openResponse(url, {
      headers,
      pool: pools.connections,
      blocks: pools.blocks,
      headersTimeoutMs: config.headersTimeoutMs,
      signal,
    });
    const status = response.statusCode ?? 0;
    const location = header(response.headers, 'location');
    if (isRedirectStatus(status) && location) {
      discard(response);
      url = chain.follow(url, status, location);
      continue;
    }

    const retryAfterSeconds = parseRetryAfter(header(response.headers, 'retry-after'), new Date());
    const notModified = status === 304;
    if (!notModified && (status < 200 || status > 299)) {
      discard(response);
      throw classifyStatus(url.href, status, retryAfterSeconds);
    }

    let body: Buffer | null = null;
    let bodySha256: string | null = null;
    let wireSha256: string | null = null;
    let bytesReceived = 0;
    if (notModified) {
      // A 304 has no body: its connection is back in the pool already.
      discard(response);
    } else {
      progress.phase = 'body';
      // Content-Length declares the body only where it frames it: not beside Transfer-Encoding, never on a 204 (RFC 9112 §6.3).
      const framed = status !== 204 && header(response.headers, 'transfer-encoding') === null;
      const declared = framed ? header(response.headers, 'content-length') : null;
      const outcome = await readBody(response.body, {
        encodings: bodyCodings(header(response.headers, 'content-encoding'), header(response.headers, 'transfer-encoding')),
        maxBytes: config.maxBytes,
        maxDecompressedBytes: config.maxDecompressedBytes,
        declaredLength: declared !== null && /^\d+$/.test(declared.trim()) ? Number(declared) : null,
        signal,
        knownSha256: request.bodySha256 ?? null,
        knownWireSha256: request.wireSha256 ?? null,
        blocks: pools.blocks,
      });
      body = outcome.body;
      bodySha256 = outcome.sha256;
      wireSha256 = outcome.wireSha256;
      bytesReceived = outcome.wireBytes;
    }

    const etag = header(response.headers, 'etag');
    const lastModified = header(response.headers, 'last-modified');
    return {
      url: input,
      finalUrl: url.href,
      status,
      notModified,
      permanentRedirect: chain.permanentTarget,
      // A 304 need not repeat the validators; the ones sent are still the current ones.
      etag: etag ?? (notModified ? (request.etag ?? null) : null),
      lastModified: lastModified ?? (notModified ? (request.lastModified ?? null) : null),
      contentType: header(response.headers, 'content-type'),
      maxAgeSeconds: parseCacheControlMaxAge(header(response.headers, 'cache-control')),
      expiresAt: parseExpires(header(response.headers, 'expires')),
      retryAfterSeconds,
      body,
      bodySha256,
      wireSha256,
      bytesReceived,
      elapsedMs: Math.round(performance.now() - started),
    };
  }
}

/** Runs one fetch that already holds its slot, under the total deadline. */
async function runFetch(
  input: string,
  url: URL,
  request: FetchRequest,
  config: ResolvedFetcherOptions,
  pools: Pools,
): Promise<FetchResult> {
  const started = performance.now();
  const external = request.signal;
  if (external?.aborted) throw external.reason;
  const progress: Progress = { current: url, phase: 'headers' };
  const controller = new AbortController();
  const deadline = setTimeout(() => {
    const ms = config.timeoutMs;
    controller.abort(
      new FetchFailure(progress.phase === 'body' ? { kind: 'body_timeout', ms } : { kind: 'headers_timeout', ms }),
    );
  }, config.timeoutMs);
  const onExternalAbort = (): void => controller.abort(external?.reason);
  external?.addEventListener('abort', onExternalAbort, { once: true });
  try {
    if (url.protocol === 'file:') return await fetchFile(input, url, request, config, controller.signal, pools.blocks, started);
    return await fetchHttp(input, url, request, { config, pools, signal: controller.signal, progress }, started);
  } catch (error) {
    if (external?.aborted) throw external.reason;
    throw classifyFailure(progress.current.href, error);
  } finally {
    clearTimeout(deadline);
    external?.removeEventListener('abort', onExternalAbort);
  }
}

/** Creates a fetcher; `options` are validated at once (ConfigError when invalid). */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const config = resolveFetcherOptions(options);
  const limiter = new KeyedLimiter(config.concurrency, config.perHostConcurrency);
  const lookup = createGuardedLookup({ allowPrivateAddresses: config.allowPrivateAddresses });
  // Keep-alive saves a connect (and a TLS handshake) per source on hosts that serve several feeds, and
  // every cycle after the first. The limiter already bounds connections in use; the pool reuses the warmest.
  const pools: Pools = {
    connections: createConnectionPool({ lookup, guardSocket: !config.allowPrivateAddresses }),
    blocks: createBlockPool(),
  };
  return {
    close(): void {
      pools.connections.close();
    },
    async fetch(input: string, request: FetchRequest = {}): Promise<FetchResult> {
      let url: URL;
      try {
        url = parseTarget(input, config);
      } catch (error) {
        throw classifyFailure(input, error);
      }
      // Per host, so a slow site cannot hog every slot; file: URLs share one key.
      const key = url.protocol === 'file:' ? 'file:' : url.host.toLowerCase();
      const release = await limiter.acquire(key, request.signal);
      try {
        return await runFetch(input, url, request, config, pools);
      } finally {
        release();
      }
    },
  };
}
