/**
 * The one place that turns a failure into a FetchError code and a message an
 * operator understands: Node errno and TLS errors, the stage's own
 * FetchFailures (timeouts, caps, guard, redirects) and unusable HTTP statuses.
 * Pure: it only reads the error and URL it is given.
 *
 * A feed URL may carry Basic credentials (`https://user:pass@host/feed`), and a
 * redirect on the same server keeps them; messages go to the health view, logs
 * and alerts, so every URL a message prints goes through withoutCredentials (model),
 * and so does the URL a FetchError keeps, for whatever prints the error whole.
 */
import { FetchError } from '../errors.js';
import { withoutCredentials } from '../model/index.js';
import { ADDRESS_KIND_LABELS } from './address.js';
import { FetchFailure, type FailureDetail } from './failure.js';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA']);
const CONNECT_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused by',
  ECONNRESET: 'connection reset by',
  ECONNABORTED: 'connection aborted by',
  EHOSTUNREACH: 'host unreachable:',
  ENETUNREACH: 'network unreachable for',
  EHOSTDOWN: 'host down:',
  EPIPE: 'connection closed by',
  EADDRNOTAVAIL: 'cannot connect to',
};
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

/** 20000 -> "20 s", 300 -> "300 ms", 1500 -> "1.5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** 15728640 -> "15 MiB", 1536 -> "1.5 KiB", 100 -> "100 bytes". */
export function formatBytes(bytes: number): string {
  const units = [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const;
  for (const [unit, size] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

/** Host (with port when not the default) of a URL string, or the string itself (without user info) when unparseable. */
function hostOf(url: string): string {
  try {
    return new URL(url).host || withoutCredentials(url);
  } catch {
    return withoutCredentials(url);
  }
}

function isTlsCode(code: string): boolean {
  return TLS_CODES.has(code) || code.startsWith('CERT_') || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_');
}

/** OpenSSL messages look like `...:SSL routines:ssl3_get_record:wrong version number:...`; keep the reason. */
function tlsReason(error: Error): string {
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(error.message);
  return openssl?.[1] ?? error.message;
}

function errnoOf(error: unknown): (Error & { code?: unknown; address?: unknown; port?: unknown }) | null {
  if (!(error instanceof Error)) return null;
  // Happy-eyeballs reports every failed attempt in an AggregateError; the first speaks for all.
  if (error instanceof AggregateError && typeof (error as { code?: unknown }).code !== 'string') {
    return errnoOf(error.errors[0]) ?? error;
  }
  return error;
}

type Verdict = Pick<FetchError, 'code' | 'message'>;

function fromDetail(detail: FailureDetail, host: string, cause: unknown): Verdict {
  switch (detail.kind) {
    case 'headers_timeout':
      return { code: 'timeout', message: `no response headers within ${formatDuration(detail.ms)} from ${host}` };
    case 'body_timeout':
      return { code: 'timeout', message: `body not complete within ${formatDuration(detail.ms)} from ${host}` };
    case 'too_large':
      return {
        code: 'too_large',
        message:
          detail.declared === null
            ? `body larger than ${formatBytes(detail.limit)} from ${host}`
            : `body larger than ${formatBytes(detail.limit)} from ${host} (${formatBytes(detail.declared)} declared)`,
      };
    case 'decompression_limit':
      return {
        code: 'decompression_limit',
        message: `body from ${host} decompresses to more than ${formatBytes(detail.limit)}`,
      };
    case 'decode':
      return { code: 'encoding_error', message: `cannot decode ${detail.encoding} body from ${host}` };
    case 'unsupported_encoding':
      return { code: 'encoding_error', message: `unsupported Content-Encoding "${detail.encoding}" from ${host}` };
    case 'redirect_loop':
      return { code: 'redirect_loop', message: `redirect loop: ${host} redirects back to ${withoutCredentials(detail.target)}` };
    case 'too_many_redirects':
      return { code: 'redirect_loop', message: `more than ${detail.max} redirects, last from ${host}` };
    case 'redirect_scheme':
      return { code: 'unsupported_scheme', message: `${host} redirects to ${withoutCredentials(detail.target)}; only http(s) is followed` };
    case 'unsupported_scheme':
      return { code: 'unsupported_scheme', message: `unsupported URL scheme "${detail.scheme}" (expected http, https or file)` };
    case 'file_disabled':
      return { code: 'unsupported_scheme', message: 'file: URLs are disabled (allowFile is false)' };
    case 'invalid_url':
      return { code: 'unsupported_scheme', message: `not a valid URL: ${withoutCredentials(detail.input)}` };
    case 'blocked_address': {
      const label = ADDRESS_KIND_LABELS[detail.addressKind];
      const resolved = detail.host === detail.address ? '' : ` (${detail.address})`;
      return { code: 'blocked_address', message: `refusing to connect to ${detail.host}${resolved}: ${label} address` };
    }
    case 'file_read':
      return { code: 'connect', message: `cannot read ${detail.path}` };
    case 'no_response':
      return { code: 'connect', message: `connection closed by ${host} before any response` };
    case 'protocol':
      return { code: 'connect', message: `malformed HTTP response from ${host}: ${detail.reason}` };
    case 'truncated':
      return { code: 'truncated', message: truncatedMessage(detail, host, cause) };
  }
}

/**
 * What an operator needs of a response cut short: how far it got against
 * what was promised, and whether the server closed the connection or it was
 * reset (or failed otherwise: `cause`).
 */
function truncatedMessage(detail: Extract<FailureDetail, { kind: 'truncated' }>, host: string, cause: unknown): string {
  const errno = errnoOf(cause);
  const code = typeof errno?.code === 'string' ? errno.code : '';
  const how = errno === null ? 'connection closed' : code === 'ECONNRESET' ? 'connection reset' : errno.message;
  switch (detail.framing) {
    case 'head':
      return `response from ${host} ended in its headers: ${how}`;
    case 'length':
      return `body from ${host} ended after ${detail.received} of ${detail.expected ?? '?'} bytes: ${how}`;
    case 'chunked':
      return `chunked body from ${host} ended after ${detail.received} bytes, before its last chunk: ${how}`;
    case 'trailers':
      return `chunked body from ${host} ended in its trailer fields, after its last chunk (${detail.received} bytes): ${how}`;
    case 'close':
      // Closed, not reset: a reset ends the body with the socket's error before any decoder runs out.
      if (detail.coding !== undefined) {
        return `${detail.coding} body from ${host} ended after ${detail.received} bytes, before the end of its compressed data: connection closed`;
      }
      return `body from ${host} ended after ${detail.received} bytes: ${how}`;
  }
}

/**
 * Maps anything thrown while fetching `url` to a FetchError. A FetchError passes
 * through unchanged; unknown errors become `connect` with their message kept.
 */
export function classifyFailure(fetched: string, error: unknown): FetchError {
  if (error instanceof FetchError) return error;
  const url = withoutCredentials(fetched);
  const host = hostOf(url);
  if (error instanceof FetchFailure) {
    const verdict = fromDetail(error.detail, host, error.cause);
    const reason = error.detail.kind === 'file_read' ? errnoOf(error.cause)?.message : undefined;
    const message = reason ? `${verdict.message}: ${reason}` : verdict.message;
    return new FetchError(verdict.code, message, { url, cause: error.cause ?? error });
  }

  const errno = errnoOf(error);
  const code = typeof errno?.code === 'string' ? errno.code : '';
  const where =
    typeof errno?.address === 'string' && typeof errno.port === 'number' ? `${errno.address}:${errno.port}` : host;

  if (DNS_CODES.has(code)) {
    const hostname = (() => {
      try {
        return new URL(url).hostname;
      } catch {
        return host;
      }
    })();
    const detail = code === 'EAI_AGAIN' ? ' (temporary failure)' : '';
    return new FetchError('dns', `DNS lookup failed for ${hostname}${detail}`, { url, cause: error });
  }
  const connectPhrase = CONNECT_CODES[code];
  if (connectPhrase) return new FetchError('connect', `${connectPhrase} ${where}`, { url, cause: error });
  if (code === 'ETIMEDOUT') return new FetchError('timeout', `connection to ${where} timed out`, { url, cause: error });
  if (errno && isTlsCode(code)) {
    const what = /CERT|SIGN|ISSUER|_CA$|HOSTNAME|PURPOSE|PATH_LENGTH|CRL/.test(code)
      ? `TLS certificate error for ${host}`
      : `TLS handshake with ${host} failed`;
    return new FetchError('tls', `${what}: ${tlsReason(errno)}`, { url, cause: error });
  }
  const message = errno?.message ?? String(error);
  return new FetchError('connect', `request to ${host} failed: ${message}`, { url, cause: error });
}

/**
 * Maps an HTTP status that is neither 2xx, 304 nor a followed redirect to a
 * FetchError: 410 gone, 429 (and 503 with Retry-After) rate_limited keeping the
 * delay, anything else http_status.
 */
export function classifyStatus(fetched: string, status: number, retryAfterSeconds: number | null): FetchError {
  const url = withoutCredentials(fetched);
  const host = hostOf(url);
  const details = { url, status, retryAfterSeconds };
  if (status === 410) return new FetchError('gone', `HTTP 410 Gone from ${host}`, details);
  if (status === 429 || (status === 503 && retryAfterSeconds !== null)) {
    const wait = retryAfterSeconds === null ? '' : ` (retry after ${retryAfterSeconds} s)`;
    return new FetchError('rate_limited', `HTTP ${status} from ${host}${wait}`, details);
  }
  return new FetchError('http_status', `HTTP ${status} from ${host}`, details);
}
