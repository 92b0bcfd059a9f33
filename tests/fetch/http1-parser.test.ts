/**
 * The HTTP/1.1 response reader: framing by Content-Length, chunked coding
 * and the end of the connection, interim responses, header fields as
 * node:http shapes them, when a connection may be reused, and a clear
 * protocol error for whatever is not HTTP.
 */
import { describe, expect, it } from 'vitest';
import { FetchFailure } from '../../src/fetch/failure.js';
import { ResponseParser, type ResponseHead } from '../../src/fetch/http1-parser.js';

interface Read {
  heads: ResponseHead[];
  body: string;
  complete: boolean;
  /** Bytes `execute` said belonged to the response, over all calls. */
  used: number;
}

/** Feeds `pieces` one `execute` each, then `end()` when `eof`. */
function parse(pieces: Array<string | Buffer>, eof = false): Read {
  const read: Read = { heads: [], body: '', complete: false, used: 0 };
  const parser = new ResponseParser({
    head: (head) => read.heads.push(head),
    body: (view) => {
      read.body += view.toString('latin1');
    },
    complete: () => {
      read.complete = true;
    },
  });
  for (const piece of pieces) read.used += parser.execute(Buffer.isBuffer(piece) ? piece : Buffer.from(piece, 'latin1'));
  if (eof) parser.end();
  return read;
}

/** Every way of cutting `text` in two, plus one byte at a time. */
function splits(text: string): string[][] {
  const ways = [[text], [...text]];
  for (let at = 1; at < text.length; at++) ways.push([text.slice(0, at), text.slice(at)]);
  return ways;
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FetchFailure && error.detail.kind === 'protocol') return error.detail.reason;
    throw error;
  }
  throw new Error('no protocol error');
}

const FEED = '<rss version="2.0"><channel><title>t</title></channel></rss>';

describe('framing', () => {
  it('reads a Content-Length body however the bytes are cut', () => {
    const response = `HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: ${FEED.length}\r\n\r\n${FEED}`;
    for (const pieces of splits(response)) {
      const read = parse(pieces);
      expect(read.heads.map((head) => head.status)).toEqual([200]);
      expect(read.body).toBe(FEED);
      expect(read.complete).toBe(true);
      expect(read.heads[0]!.keepAlive).toBe(true);
    }
  });

  it('reads a chunked body with extensions and trailers however the bytes are cut', () => {
    const response =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;name=value\r\nhello\r\n' +
      '19\r\n, chunked and split a lot\r\n' +
      '0\r\nX-Checksum: abc\r\n\r\n';
    for (const pieces of splits(response)) {
      const read = parse(pieces);
      expect(read.body).toBe('hello, chunked and split a lot');
      expect(read.complete).toBe(true);
      expect(read.used).toBe(response.length);
    }
  });

  it('reads to the end of the connection when nothing frames the body, and does not reuse it', () => {
    const read = parse(['HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n', FEED.slice(0, 10), FEED.slice(10)], true);
    expect(read.body).toBe(FEED);
    expect(read.complete).toBe(true);
    expect(read.heads[0]!.keepAlive).toBe(false);
  });

  it('completes 204 and 304 at the head, whatever Content-Length says', () => {
    for (const status of ['204 No Content', '304 Not Modified']) {
      const read = parse([`HTTP/1.1 ${status}\r\nContent-Length: 120\r\nETag: "v1"\r\n\r\n`]);
      expect(read.complete).toBe(true);
      expect(read.body).toBe('');
    }
  });

  it('completes an empty Content-Length body at the head', () => {
    const read = parse(['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']);
    expect(read.complete).toBe(true);
  });

  it('skips interim responses and reads the final one', () => {
    const read = parse([
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n',
      `HTTP/1.1 200 OK\r\nContent-Length: ${FEED.length}\r\n\r\n${FEED}`,
    ]);
    expect(read.heads.map((head) => head.status)).toEqual([200]);
    expect(read.heads[0]!.headers.link).toBeUndefined();
    expect(read.body).toBe(FEED);
  });

  it('says how many bytes were the response when more follow its end', () => {
    const response = 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc';
    const read = parse([`${response}HTTP/1.1 200 OK\r\n`]);
    expect(read.body).toBe('abc');
    expect(read.used).toBe(response.length);
  });

  it.each(['identity', 'gzip', 'identity, gzip'])('reads a body under Transfer-Encoding %s to the end of the connection', (codings) => {
    const read = parse([`HTTP/1.1 200 OK\r\nTransfer-Encoding: ${codings}\r\nContent-Length: 2\r\n\r\nabc`, 'def'], true);
    expect(read.body).toBe('abcdef');
    expect(read.complete).toBe(true);
    expect(read.heads[0]!.keepAlive).toBe(false);
  });

  it('reads chunked coding after another transfer coding by its chunks', () => {
    const read = parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n']);
    expect(read.body).toBe('abc');
    expect(read.complete).toBe(true);
  });

  it('uses chunked coding over Content-Length when both come, and then closes', () => {
    const read = parse(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n']);
    expect(read.body).toBe('abc');
    expect(read.complete).toBe(true);
    expect(read.heads[0]!.keepAlive).toBe(false);
  });

  it('accepts bare LF line ends and blank lines before the status line', () => {
    const read = parse(['\r\n\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok']);
    expect(read.heads[0]!.status).toBe(200);
    expect(read.body).toBe('ok');
  });
});

describe('the head', () => {
  it('shapes fields as node:http does: lower-case names, repeats joined, Set-Cookie a list', () => {
    const read = parse([
      'HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\ncache-control: public\r\n' +
        'Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nETag:   "v1"  \r\nX-Folded: one\r\n two\r\nContent-Length: 0\r\n\r\n',
    ]);
    const { headers } = read.heads[0]!;
    expect(headers['cache-control']).toBe('max-age=60, public');
    expect(headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(headers.etag).toBe('"v1"');
    expect(headers['x-folded']).toBe('one two');
  });

  it('reads header values as Latin-1, byte for byte', () => {
    const head = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nETag: "'), Buffer.from([0xe9, 0xff]), Buffer.from('"\r\nContent-Length: 0\r\n\r\n')]);
    expect(parse([head]).heads[0]!.headers.etag).toBe('"\u00e9\u00ff"');
  });

  it('keeps an HTTP/1.1 connection unless it says close, an HTTP/1.0 one only if it says keep-alive', () => {
    const keepAlive = (head: string): boolean => parse([`${head}\r\nContent-Length: 0\r\n\r\n`]).heads[0]!.keepAlive;
    expect(keepAlive('HTTP/1.1 200 OK')).toBe(true);
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: close')).toBe(false);
    expect(keepAlive('HTTP/1.0 200 OK')).toBe(false);
    expect(keepAlive('HTTP/1.0 200 OK\r\nConnection: Keep-Alive')).toBe(true);
  });

  it("reads the server's Keep-Alive timeout", () => {
    const head = (value: string): ResponseHead => parse([`HTTP/1.1 200 OK\r\nKeep-Alive: ${value}\r\nContent-Length: 0\r\n\r\n`]).heads[0]!;
    expect(head('timeout=5').keepAliveTimeoutMs).toBe(5000);
    expect(head('max=100, timeout=15').keepAliveTimeoutMs).toBe(15000);
    expect(head('max=100').keepAliveTimeoutMs).toBeNull();
  });

  it('accepts a status line without a reason phrase', () => {
    expect(parse(['HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n']).heads[0]!.status).toBe(404);
  });
});

describe('what is not HTTP', () => {
  it.each([
    ['SSH-2.0-OpenSSH_9.2\r\n\r\n', 'malformed status line "SSH-2.0-OpenSSH_9.2"'],
    ['HTTP/2 200\r\n\r\n', 'malformed status line "HTTP/2 200"'],
    ['HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n', 'malformed header line "Bad Name: x"'],
    ['HTTP/1.1 200 OK\r\n folded first\r\n\r\n', 'malformed header line " folded first"'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 12\r\n\r\n', 'invalid Content-Length "10, 12"'],
    ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'invalid Content-Length "-1"'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', 'unsupported Transfer-Encoding "chunked, gzip"'],
    ['HTTP/1.1 101 Switching Protocols\r\n\r\n', 'unexpected 101 Switching Protocols'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'malformed chunk size "zz"'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000\r\n', 'malformed chunk size "1000000000000"'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n', 'chunk longer than its size'],
  ])('%j', (response, reason) => {
    expect(failure(() => parse([response]))).toBe(reason);
  });

  it('accepts equal repeated Content-Length values', () => {
    expect(parse(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok']).body).toBe('ok');
  });

  it('refuses a head over 16 KiB, even one fed a byte at a time', () => {
    const big = `HTTP/1.1 200 OK\r\nX-Padding: ${'a'.repeat(16 * 1024)}\r\n\r\n`;
    expect(failure(() => parse([big]))).toBe('response head larger than 16 KiB');
    expect(failure(() => parse([...big]))).toBe('response head larger than 16 KiB');
  });

  it('refuses a trailer section over 16 KiB', () => {
    const response = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Padding: ${'a'.repeat(16 * 1024)}\r\n\r\n`;
    expect(failure(() => parse([response]))).toBe('trailer section larger than 16 KiB');
  });

  it('quotes at most 40 characters of a bad line', () => {
    expect(failure(() => parse([`<!DOCTYPE html>${'x'.repeat(100)}\r\n\r\n`]))).toBe(`malformed status line "<!DOCTYPE html>${'x'.repeat(25)}…"`);
  });
});

describe('the end of the connection', () => {
  it('before any byte: the server closed the connection without answering', () => {
    expect(() => parse([], true)).toThrow(expect.objectContaining({ detail: { kind: 'no_response' } }));
  });

  it.each([
    ['HTTP/1.1 200 OK\r\nContent-', { framing: 'head', received: 0, expected: null }],
    ['HTTP/1.1 100 Continue\r\n\r\n', { framing: 'head', received: 0, expected: null }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', { framing: 'length', received: 3, expected: 10 }],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n5\r\nab', { framing: 'chunked', received: 5, expected: null }],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n', { framing: 'chunked', received: 3, expected: null }],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n', { framing: 'trailers', received: 3, expected: null }],
  ])('in the middle of a head or a framed body: cut short, and how far it got (%j)', (partial, detail) => {
    expect(() => parse([partial], true)).toThrow(expect.objectContaining({ detail: { kind: 'truncated', ...detail } }));
  });
});
