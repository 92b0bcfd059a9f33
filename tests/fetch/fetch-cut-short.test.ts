/**
 * Compressed bodies whose connection ends part way, against a TCP origin
 * that writes the response as the test scripts it and then closes (FIN,
 * with or without a half-close first) or resets the connection: each framed
 * by Content-Length, by chunked coding, or by the connection's end. The
 * health view must say the body was cut short, and how far it got, not that
 * the server's compression is broken; a body whose framing says it is whole
 * but whose compressed data is not still fails to decode.
 */
import type net from 'node:net';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/index.js';
import { failure, OPEN, startRawOrigin, type RawOrigin } from './fixture-server.js';

/** Poorly compressible, so the compressed body spans many reads. */
const FEED = Buffer.from(`<rss version="2.0"><channel><title>${randomBytes(120_000).toString('base64')}</title></channel></rss>`);
const ENCODED = {
  gzip: zlib.gzipSync(FEED),
  deflate: zlib.deflateSync(FEED),
  br: zlib.brotliCompressSync(FEED),
};
type Coding = keyof typeof ENCODED;
/** Bytes of the compressed body sent before the connection ends. */
const SENT = 40_000;

const origins: RawOrigin[] = [];
afterEach(async () => {
  for (const origin of origins.splice(0)) await new Promise<void>((resolve) => origin.server.close(() => resolve()));
});

/** Ends the connection: `end` (FIN after a half-close), `destroy` (FIN at once, no error), or `reset` (RST). */
type Ending = 'end' | 'destroy' | 'reset';

/** Answers every request with `head`, then `body`, then ends the connection as `ending` says. */
async function cutOrigin(head: string, body: Buffer, ending: Ending): Promise<RawOrigin> {
  const origin = await startRawOrigin((socket: net.Socket) => {
    socket.write(head, 'latin1');
    socket.write(body, () => {
      // After the bytes are on their way, so the client reads them before it sees the end.
      setTimeout(() => {
        if (ending === 'end') socket.end();
        else if (ending === 'destroy') socket.destroy();
        else socket.resetAndDestroy();
      }, 20);
    });
  });
  origins.push(origin);
  return origin;
}

async function fetchError(origin: RawOrigin) {
  const fetcher = createFetcher(OPEN);
  try {
    return await failure(fetcher.fetch(`${origin.base}/feed.xml`));
  } finally {
    fetcher.close();
  }
}

const hostOf = (origin: RawOrigin): string => origin.base.slice('http://'.length);

describe('a compressed body framed by the connection’s end', () => {
  it.each<[Coding, Exclude<Ending, 'reset'>]>([
    ['gzip', 'end'],
    ['gzip', 'destroy'],
    ['deflate', 'end'],
    ['br', 'destroy'],
  ])('reports %s cut short by a close (%s) as truncated, saying how far it got', async (coding, ending) => {
    const origin = await cutOrigin(`HTTP/1.1 200 OK\r\nContent-Encoding: ${coding}\r\nConnection: close\r\n\r\n`, ENCODED[coding].subarray(0, SENT), ending);
    const error = await fetchError(origin);
    expect(error.code).toBe('truncated');
    expect(error.message).toBe(`${coding} body from ${hostOf(origin)} ended after ${SENT} bytes, before the end of its compressed data: connection closed`);
  });

  it('names a transfer coding the body was cut inside', async () => {
    const origin = await cutOrigin('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', ENCODED.gzip.subarray(0, SENT), 'end');
    const error = await fetchError(origin);
    expect(error.code).toBe('truncated');
    expect(error.message).toBe(`gzip body from ${hostOf(origin)} ended after ${SENT} bytes, before the end of its compressed data: connection closed`);
  });

  it('reports one cut short by a reset as reset', async () => {
    const origin = await cutOrigin('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n', ENCODED.gzip.subarray(0, SENT), 'reset');
    const error = await fetchError(origin);
    expect(error.code).toBe('truncated');
    expect(error.message).toBe(`body from ${hostOf(origin)} ended after ${SENT} bytes: connection reset`);
  });

  it('still reports compressed data that is corrupt, not cut, as undecodable', async () => {
    const corrupt = Buffer.concat([ENCODED.gzip.subarray(0, 10), Buffer.alloc(2000, 0xff)]);
    const origin = await cutOrigin('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n', corrupt, 'end');
    const error = await fetchError(origin);
    expect(error.code).toBe('encoding_error');
    expect(error.message).toBe(`cannot decode gzip body from ${hostOf(origin)}`);
  });
});

describe('a compressed body framed by its length or by chunks', () => {
  const whole = ENCODED.gzip.length;
  it.each<[string, string, Ending, string]>([
    ['Content-Length, closed', `Content-Length: ${whole}\r\n\r\n`, 'destroy', `body from HOST ended after ${SENT} of ${whole} bytes: connection closed`],
    ['Content-Length, reset', `Content-Length: ${whole}\r\n\r\n`, 'reset', `body from HOST ended after ${SENT} of ${whole} bytes: connection reset`],
    // One chunk of the whole body, cut inside.
    ['chunked, closed', `Transfer-Encoding: chunked\r\n\r\n${whole.toString(16)}\r\n`, 'end', `chunked body from HOST ended after ${SENT} bytes, before its last chunk: connection closed`],
  ])('reports gzip cut short (%s) as truncated', async (_name, framing, ending, message) => {
    const origin = await cutOrigin(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n${framing}`, ENCODED.gzip.subarray(0, SENT), ending);
    const error = await fetchError(origin);
    expect(error.code).toBe('truncated');
    expect(error.message).toBe(message.replace('HOST', hostOf(origin)));
  });

  it('reports a whole body whose gzip data ends early as undecodable: the server sent it so', async () => {
    const short = ENCODED.gzip.subarray(0, SENT);
    const origin = await cutOrigin(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${short.length}\r\n\r\n`, short, 'end');
    const error = await fetchError(origin);
    expect(error.code).toBe('encoding_error');
    expect(error.message).toBe(`cannot decode gzip body from ${hostOf(origin)}`);
  });
});
