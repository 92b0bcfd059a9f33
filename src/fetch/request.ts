/**
 * One HTTP(S) GET hop: sends the request on a pooled (or new) connection,
 * enforces the headers timeout, and hands back the response head with its
 * body unread. Redirects, status handling and the body belong to the caller.
 *
 * byline reads responses itself (http1-parser.ts) instead of through
 * node:http. node:http gives every socket read, and again every piece of a
 * body, to JavaScript as a new ArrayBuffer, and V8 counts such memory toward
 * the main heap's next full collection: a refresh of 500 unchanged feeds
 * (150 MB) ran 12-17 full collections, and with them cost 1.2-1.6 s of CPU
 * where the bytes themselves need ~0.5 s. Here sockets read into one scratch
 * buffer (connection-pool.ts), a body of known hash is hashed and kept in
 * reused blocks (blocks.ts), and such a refresh allocates nothing per read.
 */
import { validateHeaderName, validateHeaderValue, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { BlockPool } from './blocks.js';
import type { Connection, ConnectionPool } from './connection-pool.js';
import { FetchFailure } from './failure.js';
import { ResponseParser, type ResponseHead } from './http1-parser.js';

/** What one hop needs besides the URL. */
export interface HopOptions {
  headers: OutgoingHttpHeaders;
  pool: ConnectionPool;
  blocks: BlockPool;
  headersTimeoutMs: number;
  /** Fires on total timeout or caller cancel; the exchange is abandoned with its reason. */
  signal: AbortSignal;
}

/** Receives a body's bytes; each view is valid only during the call. */
export interface BodySink {
  data(view: Buffer): void;
  end(): void;
  error(error: Error): void;
}

/** The body of a response, read once, one way. */
export interface WireBody {
  /** Hands the bytes to `sink` as they arrive (those that came with the head first). */
  consume(sink: BodySink): void;
  /** The bytes as a stream of chunks of their own, for a decoding pipeline. */
  stream(): Readable;
  /** Not wanted: closes the connection, unless the response was already complete. */
  discard(): void;
  /**
   * Whether the connection's end frames the body (neither Content-Length nor
   * chunked coding): its close then ends the body, cut short or not.
   */
  readonly untilClose: boolean;
}

/** A response whose head has arrived. */
export interface WireResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: WireBody;
}

/**
 * Socket errors that mean a pooled connection was closed by the server while
 * idle (the request never reached it), so sending again on a fresh one is safe.
 */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Whether `error`, before any byte of a response, says the server had already closed the connection. */
function closedBeforeResponse(error: Error): boolean {
  if (error instanceof FetchFailure) return error.detail.kind === 'no_response';
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && STALE_SOCKET_CODES.has(code);
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** A percent-decoded part of the URL's user info; as written when it does not decode. */
function userInfoPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Basic credentials from the URL's user info (`https://user:pass@host/feed`),
 * as node:http sends them: some private feeds are subscribed to that way. Only
 * the URL being requested carries them, so a redirect elsewhere drops them.
 */
function basicAuthorization(url: URL, headers: OutgoingHttpHeaders): string {
  if ((url.username === '' && url.password === '') || Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) return '';
  const credentials = `${userInfoPart(url.username)}:${userInfoPart(url.password)}`;
  return `Authorization: Basic ${Buffer.from(credentials, 'utf8').toString('base64')}\r\n`;
}

/** The request head; a header value that would break the request (CR, LF) throws, as node:http did. */
function requestHead(url: URL, headers: OutgoingHttpHeaders): string {
  let head = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n${basicAuthorization(url, headers)}`;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    validateHeaderName(name);
    for (const one of Array.isArray(value) ? value : [String(value)]) {
      validateHeaderValue(name, one);
      head += `${name}: ${one}\r\n`;
    }
  }
  return `${head}\r\n`;
}

/**
 * Sends a GET for `url` and resolves once the response head arrives. Rejects
 * with a headers_timeout, protocol or truncated FetchFailure, the signal's
 * reason, a guard failure or the socket's own error; classify.ts makes sense
 * of them. A body cut short fails its reader with a truncated FetchFailure.
 */
export function openResponse(url: URL, options: HopOptions): Promise<WireResponse> {
  return exchange(url, options, false);
}

function exchange(url: URL, options: HopOptions, fresh: boolean): Promise<WireResponse> {
  const { signal, pool } = options;
  if (signal.aborted) return Promise.reject(asError(signal.reason));
  let head: string;
  let connection: Connection;
  try {
    head = requestHead(url, options.headers);
    connection = pool.take(url, fresh);
  } catch (error) {
    return Promise.reject(asError(error));
  }
  return new Promise<WireResponse>((resolve, reject) => {
    // Once the response is complete the connection is the pool's: a decoder catching up with the last
    // bytes must not pause it under the next exchange.
    const body = new Body(options.blocks, {
      discard: () => abandon(null),
      pause: () => {
        if (phase !== 'over') connection.socket.pause();
      },
      resume: () => {
        if (phase !== 'over') connection.socket.resume();
      },
    });
    let phase: 'head' | 'body' | 'over' = 'head';
    let responseHead: ResponseHead | null = null;
    let complete = false;
    let sawBytes = false;

    const stop = (): void => {
      phase = 'over';
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    /** Ends the exchange with `error` (null: the caller dropped the body), closing the connection. */
    const abandon = (error: Error | null): void => {
      if (phase === 'over') return;
      const wasHead = phase === 'head';
      stop();
      connection.reader = null;
      connection.socket.destroy();
      if (error === null) return;
      if (!wasHead) {
        body.fail(error);
        return;
      }
      // An idle pooled connection the server had already closed: the request never arrived, so send it again fresh.
      if (connection.reused && !sawBytes && closedBeforeResponse(error)) {
        exchange(url, options, true).then(resolve, reject);
      } else reject(error);
    };
    const settleIfComplete = (bytesLeftOver: boolean): void => {
      if (!complete || phase === 'over' || responseHead === null) return;
      stop();
      pool.give(connection, responseHead.keepAlive && !bytesLeftOver, responseHead.keepAliveTimeoutMs);
      body.end();
    };
    const parser = new ResponseParser({
      head(received) {
        responseHead = received;
        body.untilClose = parser.untilClose;
        clearTimeout(timer);
        phase = 'body';
        resolve({ statusCode: received.status, headers: received.headers, body });
      },
      body: (view) => body.deliver(view),
      complete: () => {
        complete = true;
      },
    });
    connection.reader = {
      bytes(view) {
        sawBytes = true;
        try {
          const used = parser.execute(view);
          settleIfComplete(used < view.length);
        } catch (error) {
          abandon(asError(error));
        }
      },
      end() {
        try {
          parser.end();
          settleIfComplete(false);
        } catch (error) {
          abandon(asError(error));
        }
      },
      // Once the response has begun, a socket error cuts it short: reported as such, with how far it got. Before
      // that it stays the socket's own error, which decides whether a pooled connection is tried again.
      error: (error) => abandon(sawBytes ? parser.cutShort(error) : error),
    };
    const timer = setTimeout(() => {
      abandon(new FetchFailure({ kind: 'headers_timeout', ms: options.headersTimeoutMs }));
    }, options.headersTimeoutMs);
    const onAbort = (): void => abandon(asError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    connection.socket.write(head, 'latin1');
  });
}

/**
 * A body's bytes on their way to whoever reads them. Bytes that arrive before
 * a reader does (those that came with the head) wait in pooled blocks.
 */
class Body implements WireBody {
  untilClose = false;
  private sink: BodySink | null = null;
  private readonly waiting: Array<{ block: Buffer; length: number }> = [];
  private ended = false;
  private failure: Error | null = null;

  constructor(
    private readonly blocks: BlockPool,
    private readonly connection: { discard(): void; pause(): void; resume(): void },
  ) {}

  deliver(view: Buffer): void {
    if (this.sink) {
      this.sink.data(view);
      return;
    }
    for (let at = 0; at < view.length; ) {
      const block = this.blocks.take();
      const length = view.copy(block, 0, at);
      this.waiting.push({ block, length });
      at += length;
    }
  }

  end(): void {
    this.ended = true;
    this.sink?.end();
  }

  fail(error: Error): void {
    this.failure = error;
    this.sink?.error(error);
  }

  consume(sink: BodySink): void {
    if (this.sink) throw new Error('a response body is read once');
    for (const { block, length } of this.waiting.splice(0)) {
      sink.data(block.subarray(0, length));
      this.blocks.give(block);
    }
    this.sink = sink;
    if (this.failure) sink.error(this.failure);
    else if (this.ended) sink.end();
  }

  stream(): Readable {
    const readable = new Readable({
      read: () => this.connection.resume(),
      destroy: (error, callback) => {
        if (!this.ended && !this.failure) this.discard();
        callback(error);
      },
    });
    this.consume({
      // A chunk of its own: a decoder may hold it past this call.
      data: (view) => {
        if (!readable.push(Buffer.from(view))) this.connection.pause();
      },
      end: () => void readable.push(null),
      error: (error) => readable.destroy(error),
    });
    return readable;
  }

  discard(): void {
    for (const { block } of this.waiting.splice(0)) this.blocks.give(block);
    if (!this.ended && !this.failure) this.connection.discard();
  }
}
