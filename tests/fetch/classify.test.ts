/**
 * Table-driven tests of classify.ts, the only place failures become FetchError
 * codes: Node errno and TLS errors, the stage's own failures, HTTP statuses,
 * and the wording an operator reads.
 */
import { describe, expect, it } from 'vitest';
import { FetchError, type FetchErrorCode } from '../../src/errors.js';
import { classifyFailure, classifyStatus, formatBytes, formatDuration } from '../../src/fetch/classify.js';
import { withoutCredentials } from '../../src/model/index.js';
import { FetchFailure, type FailureDetail } from '../../src/fetch/failure.js';

const URL_ = 'https://feeds.example.org/ai.xml';

function errno(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('classifyFailure: Node errors', () => {
  it.each([
    [errno('ENOTFOUND', 'getaddrinfo ENOTFOUND feeds.example.org'), 'dns', 'DNS lookup failed for feeds.example.org'],
    [errno('EAI_AGAIN', 'getaddrinfo EAI_AGAIN feeds.example.org'), 'dns', 'DNS lookup failed for feeds.example.org (temporary failure)'],
    [
      errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8080', { address: '127.0.0.1', port: 8080 }),
      'connect',
      'connection refused by 127.0.0.1:8080',
    ],
    [errno('ECONNRESET', 'socket hang up'), 'connect', 'connection reset by feeds.example.org'],
    [errno('EHOSTUNREACH', 'connect EHOSTUNREACH'), 'connect', 'host unreachable: feeds.example.org'],
    [errno('ENETUNREACH', 'connect ENETUNREACH'), 'connect', 'network unreachable for feeds.example.org'],
    [errno('ETIMEDOUT', 'connect ETIMEDOUT'), 'timeout', 'connection to feeds.example.org timed out'],
    [
      errno('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      'tls',
      'TLS certificate error for feeds.example.org: self-signed certificate',
    ],
    [errno('CERT_HAS_EXPIRED', 'certificate has expired'), 'tls', 'TLS certificate error for feeds.example.org: certificate has expired'],
    [
      errno('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
      'tls',
      'TLS certificate error for feeds.example.org: unable to verify the first certificate',
    ],
    [errno('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), 'tls', /^TLS certificate error/],
    [errno('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), 'tls', /^TLS certificate error/],
    [
      errno('EPROTO', 'write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl.c:350:'),
      'tls',
      'TLS handshake with feeds.example.org failed: wrong version number',
    ],
    [errno('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), 'tls', /^TLS handshake with feeds\.example\.org failed/],
    [new Error('something odd'), 'connect', 'request to feeds.example.org failed: something odd'],
    ['a string was thrown', 'connect', 'request to feeds.example.org failed: a string was thrown'],
  ] as const)('%s', (error, code, message) => {
    const result = classifyFailure(URL_, error);
    expect(result).toBeInstanceOf(FetchError);
    expect(result.code).toBe(code);
    if (typeof message === 'string') expect(result.message).toBe(message);
    else expect(result.message).toMatch(message);
    expect(result.url).toBe(URL_);
    expect(result.cause).toBe(error);
  });

  it('reads the first error of a happy-eyeballs AggregateError', () => {
    const inner = errno('ECONNREFUSED', 'connect ECONNREFUSED ::1:80', { address: '::1', port: 80 });
    const result = classifyFailure(URL_, new AggregateError([inner, errno('ECONNREFUSED', 'x')]));
    expect(result.code).toBe('connect');
    expect(result.message).toBe('connection refused by ::1:80');
  });

  it('passes a FetchError through unchanged', () => {
    const original = new FetchError('gone', 'HTTP 410 Gone from x', { url: URL_, status: 410 });
    expect(classifyFailure(URL_, original)).toBe(original);
  });
});

describe('classifyFailure: the stage\u2019s own failures', () => {
  const MiB = 1024 * 1024;
  it.each<[FailureDetail, FetchErrorCode, string]>([
    [{ kind: 'headers_timeout', ms: 20_000 }, 'timeout', 'no response headers within 20 s from feeds.example.org'],
    [{ kind: 'body_timeout', ms: 20_000 }, 'timeout', 'body not complete within 20 s from feeds.example.org'],
    [{ kind: 'headers_timeout', ms: 300 }, 'timeout', 'no response headers within 300 ms from feeds.example.org'],
    [{ kind: 'too_large', limit: 15 * MiB, declared: null }, 'too_large', 'body larger than 15 MiB from feeds.example.org'],
    [
      { kind: 'too_large', limit: 15 * MiB, declared: 20_000_000 },
      'too_large',
      'body larger than 15 MiB from feeds.example.org (19.1 MiB declared)',
    ],
    [
      { kind: 'decompression_limit', limit: 60 * MiB },
      'decompression_limit',
      'body from feeds.example.org decompresses to more than 60 MiB',
    ],
    [{ kind: 'decode', encoding: 'gzip' }, 'encoding_error', 'cannot decode gzip body from feeds.example.org'],
    [{ kind: 'unsupported_encoding', encoding: 'compress' }, 'encoding_error', 'unsupported Content-Encoding "compress" from feeds.example.org'],
    [
      { kind: 'redirect_loop', target: 'https://feeds.example.org/a' },
      'redirect_loop',
      'redirect loop: feeds.example.org redirects back to https://feeds.example.org/a',
    ],
    [{ kind: 'too_many_redirects', max: 5 }, 'redirect_loop', 'more than 5 redirects, last from feeds.example.org'],
    [
      { kind: 'redirect_scheme', target: 'file:///etc/passwd' },
      'unsupported_scheme',
      'feeds.example.org redirects to file:///etc/passwd; only http(s) is followed',
    ],
    [{ kind: 'unsupported_scheme', scheme: 'ftp' }, 'unsupported_scheme', 'unsupported URL scheme "ftp" (expected http, https or file)'],
    [{ kind: 'file_disabled' }, 'unsupported_scheme', 'file: URLs are disabled (allowFile is false)'],
    [{ kind: 'invalid_url', input: 'nope' }, 'unsupported_scheme', 'not a valid URL: nope'],
    [
      { kind: 'redirect_loop', target: 'https://user:pass@feeds.example.org/a' },
      'redirect_loop',
      'redirect loop: feeds.example.org redirects back to https://feeds.example.org/a',
    ],
    [
      { kind: 'redirect_scheme', target: 'ftp://user:pass@feeds.example.org/a' },
      'unsupported_scheme',
      'feeds.example.org redirects to ftp://feeds.example.org/a; only http(s) is followed',
    ],
    [{ kind: 'invalid_url', input: 'https://user:p@ss@[feeds' }, 'unsupported_scheme', 'not a valid URL: https://[feeds'],
    [
      { kind: 'blocked_address', host: 'localhost', address: '127.0.0.1', addressKind: 'loopback' },
      'blocked_address',
      'refusing to connect to localhost (127.0.0.1): loopback address',
    ],
    [
      { kind: 'blocked_address', host: '10.0.0.5', address: '10.0.0.5', addressKind: 'private' },
      'blocked_address',
      'refusing to connect to 10.0.0.5: private-network address',
    ],
    [
      { kind: 'protocol', reason: 'malformed status line "SSH-2.0-OpenSSH_9.2"' },
      'connect',
      'malformed HTTP response from feeds.example.org: malformed status line "SSH-2.0-OpenSSH_9.2"',
    ],
    [{ kind: 'no_response' }, 'connect', 'connection closed by feeds.example.org before any response'],
    [
      { kind: 'truncated', framing: 'length', received: 3000, expected: 10000 },
      'truncated',
      'body from feeds.example.org ended after 3000 of 10000 bytes: connection closed',
    ],
    [
      { kind: 'truncated', framing: 'chunked', received: 8192, expected: null },
      'truncated',
      'chunked body from feeds.example.org ended after 8192 bytes, before its last chunk: connection closed',
    ],
    [{ kind: 'truncated', framing: 'head', received: 0, expected: null }, 'truncated', 'response from feeds.example.org ended in its headers: connection closed'],
    [
      { kind: 'truncated', framing: 'close', received: 40000, expected: null, coding: 'br' },
      'truncated',
      'br body from feeds.example.org ended after 40000 bytes, before the end of its compressed data: connection closed',
    ],
  ])('%o', (detail, code, message) => {
    const result = classifyFailure(URL_, new FetchFailure(detail));
    expect(result.code).toBe(code);
    expect(result.message).toBe(message);
  });

  it.each([
    [errno('ECONNRESET', 'read ECONNRESET'), 'connection reset'],
    [errno('EPROTO', 'decryption failed or bad record mac'), 'decryption failed or bad record mac'],
  ])('says how a response was cut short by a socket error (%s)', (cause, how) => {
    const detail = { kind: 'truncated', framing: 'length', received: 10, expected: 20 } as const;
    const result = classifyFailure(URL_, new FetchFailure(detail, { cause }));
    expect(result).toMatchObject({ code: 'truncated', message: `body from feeds.example.org ended after 10 of 20 bytes: ${how}`, cause });
  });

  it('names the file and the fs reason for an unreadable file', () => {
    const cause = errno('ENOENT', "ENOENT: no such file or directory, stat '/srv/feed.xml'");
    const result = classifyFailure('file:///srv/feed.xml', new FetchFailure({ kind: 'file_read', path: '/srv/feed.xml' }, { cause }));
    expect(result.code).toBe('connect');
    expect(result.message).toBe("cannot read /srv/feed.xml: ENOENT: no such file or directory, stat '/srv/feed.xml'");
    expect(result.cause).toBe(cause);
  });
});

describe('withoutCredentials, as fetch messages print URLs', () => {
  it.each([
    ['https://feeds.example.org/ai.xml', 'https://feeds.example.org/ai.xml'],
    ['https://user:pass@feeds.example.org/ai.xml', 'https://feeds.example.org/ai.xml'],
    ['https://user@feeds.example.org:8443/ai.xml?x=1', 'https://feeds.example.org:8443/ai.xml?x=1'],
    ['https://:pass@feeds.example.org/', 'https://feeds.example.org/'],
    // The parser takes the last @ of the authority; so does the fallback for text that does not parse.
    ['https://user:p@ss@feeds.example.org/', 'https://feeds.example.org/'],
    ['https://user:p@ss@feeds.example.org:99999/a@b', 'https://feeds.example.org:99999/a@b'],
    ['http:\\\\user:pass@[feeds', 'http:\\\\[feeds'],
    ['nope', 'nope'],
    ['mailto:someone@example.org', 'mailto:someone@example.org'],
  ])('%s -> %s', (input, printed) => {
    expect(withoutCredentials(input)).toBe(printed);
  });
});

describe('classifyStatus', () => {
  it.each([
    [500, null, 'http_status', 'HTTP 500 from www.example.com'],
    [404, null, 'http_status', 'HTTP 404 from www.example.com'],
    [403, null, 'http_status', 'HTTP 403 from www.example.com'],
    [410, null, 'gone', 'HTTP 410 Gone from www.example.com'],
    [429, 120, 'rate_limited', 'HTTP 429 from www.example.com (retry after 120 s)'],
    [429, null, 'rate_limited', 'HTTP 429 from www.example.com'],
    [503, 30, 'rate_limited', 'HTTP 503 from www.example.com (retry after 30 s)'],
    [503, null, 'http_status', 'HTTP 503 from www.example.com'],
    [300, null, 'http_status', 'HTTP 300 from www.example.com'],
  ] as const)('%i (Retry-After %s) -> %s', (status, retryAfter, code, message) => {
    const result = classifyStatus('https://www.example.com/feed', status, retryAfter);
    expect(result.code).toBe(code);
    expect(result.message).toBe(message);
    expect(result.status).toBe(status);
    expect(result.retryAfterSeconds).toBe(retryAfter);
  });

  it('keeps a non-default port in the host it names', () => {
    expect(classifyStatus('http://127.0.0.1:8080/x', 502, null).message).toBe('HTTP 502 from 127.0.0.1:8080');
  });
});

describe('formatting', () => {
  it.each([
    [20_000, '20 s'],
    [300, '300 ms'],
    [1500, '1.5 s'],
    [1000, '1 s'],
  ])('formatDuration(%i) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [15 * 1024 * 1024, '15 MiB'],
    [1536, '1.5 KiB'],
    [100, '100 bytes'],
    [2 * 1024 ** 3, '2 GiB'],
  ])('formatBytes(%i) = %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
