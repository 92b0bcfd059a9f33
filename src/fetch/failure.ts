/**
 * The internal signal the fetch stage raises when it gives up on its own
 * (a timer fired, a cap was hit, the guard said no). It only says *what*
 * happened; classify.ts alone turns it, and every other error, into a
 * FetchError code and an operator-facing message.
 */
import { withoutCredentials } from '../model/index.js';
import type { AddressKind } from './address.js';

/** What went wrong, with the facts classify.ts needs for its message. */
export type FailureDetail =
  | { kind: 'headers_timeout'; ms: number }
  | { kind: 'body_timeout'; ms: number }
  | { kind: 'too_large'; limit: number; declared: number | null }
  | { kind: 'decompression_limit'; limit: number }
  | { kind: 'decode'; encoding: string }
  | { kind: 'unsupported_encoding'; encoding: string }
  | { kind: 'redirect_loop'; target: string }
  | { kind: 'too_many_redirects'; max: number }
  | { kind: 'redirect_scheme'; target: string }
  | { kind: 'unsupported_scheme'; scheme: string }
  | { kind: 'file_disabled' }
  | { kind: 'invalid_url'; input: string }
  | { kind: 'blocked_address'; host: string; address: string; addressKind: AddressKind }
  | { kind: 'file_read'; path: string }
  /** The server's answer does not read as HTTP/1.1 (http1-parser.ts says why). */
  | { kind: 'protocol'; reason: string }
  /**
   * The server ended the connection cleanly (no reset) before sending a
   * single byte of a response: on a reused keep-alive connection the race of
   * an idle close (request.ts sends again), else a server that takes the
   * connection and hangs up without answering.
   */
  | { kind: 'no_response' }
  /**
   * The connection ended (closed, or reset: the failure's cause) before the
   * response did: in its head, or in a body framed by Content-Length, chunked
   * coding or the connection's end, or in the trailer section after a
   * chunked body's last chunk. `received` counts the body's bytes, `expected`
   * is its Content-Length. `coding`, on a body framed by the connection's
   * end: the content coding whose data the connection closed inside (the
   * only sign that such a body was cut short).
   */
  | { kind: 'truncated'; framing: 'head' | 'length' | 'chunked' | 'trailers' | 'close'; received: number; expected: number | null; coding?: string };

/**
 * The detail as it may be shown: a URL in it without user info. The failure
 * becomes the cause of the FetchError, and anything that prints that error
 * whole (a log of the object, a crash report) prints its cause too.
 */
function shownDetail(detail: FailureDetail): FailureDetail {
  switch (detail.kind) {
    case 'redirect_loop':
    case 'redirect_scheme':
      return { ...detail, target: withoutCredentials(detail.target) };
    case 'invalid_url':
      return { ...detail, input: withoutCredentials(detail.input) };
    default:
      return detail;
  }
}

/** Thrown (or used to destroy a stream) by the fetch stage; never escapes createFetcher. */
export class FetchFailure extends Error {
  readonly detail: FailureDetail;

  constructor(detail: FailureDetail, options?: { cause?: unknown }) {
    super(detail.kind, options);
    this.name = 'FetchFailure';
    this.detail = shownDetail(detail);
  }
}
