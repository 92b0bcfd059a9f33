/**
 * End-to-end tests of body handling against a real node:http server:
 * gzip/br/deflate decoding, bodies labelled with a coding they were not
 * given, the wire cap (declared and streamed), a gzip bomb
 * against the decompressed cap, and the headers and total timeouts.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.js';
import { createFetcher, type FetcherOptions } from '../../src/fetch/index.js';
import { sleep, startFixtureServer, streamZeros, uniquePath, type FixtureServer, OPEN, failure } from './fixture-server.js';

const MiB = 1024 * 1024;
const FEED = Buffer.from(
  `<?xml version="1.0"?><rss version="2.0"><channel><title>AI news</title>${'<item><title>x</title></item>'.repeat(200)}</channel></rss>`,
);

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});


/**
 * A gzip bomb built from zeros without ever holding the inflated size: one
 * 16 MiB member compressed once and repeated (a gzip file may hold many members).
 */
function gzipBomb(inflatedMiB: number): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(16 * MiB), { level: 9 });
  return Buffer.concat(new Array<Buffer>(inflatedMiB / 16).fill(member));
}

describe('content encodings', () => {
  it.each([
    ['gzip', zlib.gzipSync(FEED)],
    ['x-gzip', zlib.gzipSync(FEED)],
    ['deflate', zlib.deflateSync(FEED)],
    ['deflate', zlib.deflateRawSync(FEED)], // raw deflate, as some servers send it
    ['br', zlib.brotliCompressSync(FEED)],
    ['GZIP', zlib.gzipSync(FEED)],
    ['gzip, br', zlib.brotliCompressSync(zlib.gzipSync(FEED))],
    ['identity', FEED],
  ])('decodes Content-Encoding %s', async (encoding, wire) => {
    const url = server.route(uniquePath('enc'), (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': encoding, 'Content-Length': String(wire.length) }).end(wire);
    });
    const result = await createFetcher(OPEN).fetch(url);
    expect(Buffer.from(result.body ?? []).equals(FEED)).toBe(true);
    expect(result.bytesReceived).toBe(wire.length);
  });

  it('reads an empty body labelled gzip as empty', async () => {
    const url = server.route(uniquePath('empty-gzip'), (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': '0' }).end();
    });
    const result = await createFetcher(OPEN).fetch(url);
    expect(result.body?.byteLength).toBe(0);
  });

  it('reports a corrupt gzip body as encoding_error', async () => {
    const url = server.route(uniquePath('corrupt'), (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(Buffer.from('this is not gzip at all'));
    });
    const error = await failure(createFetcher(OPEN).fetch(url));
    expect(error.code).toBe('encoding_error');
    expect(error.message).toMatch(/^cannot decode gzip body from 127\.0\.0\.1:\d+$/);
  });

  it('reports a truncated gzip body as encoding_error', async () => {
    const whole = zlib.gzipSync(FEED);
    const url = server.route(uniquePath('truncated'), (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(whole.subarray(0, whole.length - 12));
    });
    expect((await failure(createFetcher(OPEN).fetch(url))).code).toBe('encoding_error');
  });

  it.each([
    ['UTF-8', FEED],
    ['none', FEED],
    ['gzip', FEED],
    ['zstd', Buffer.concat([Buffer.from('\ufeff\r\n'), FEED])],
  ])('reads a body labelled %s that plainly is not encoded as it came', async (encoding, body) => {
    const url = server.route(uniquePath('mislabelled'), (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': encoding, 'Content-Length': String(body.length) }).end(body);
    });
    const fetcher = createFetcher(OPEN);
    const first = await fetcher.fetch(url);
    expect(Buffer.from(first.body ?? []).equals(body)).toBe(true);
    expect(first.bytesReceived).toBe(body.length);
    // The next refresh with the same bytes needs no body, as for any other.
    const again = await fetcher.fetch(url, { bodySha256: first.bodySha256, wireSha256: first.wireSha256 });
    expect(again.body).toBeNull();
    fetcher.close();
  });

  it('refuses an encoding it cannot decode', async () => {
    const url = server.route(uniquePath('compress'), (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'compress' }).end('xx');
    });
    const error = await failure(createFetcher(OPEN).fetch(url));
    expect(error.code).toBe('encoding_error');
    expect(error.message).toMatch(/unsupported Content-Encoding "compress"/);
  });
});

describe('size caps', () => {
  it('refuses at once when Content-Length exceeds the cap', async () => {
    const url = server.route(uniquePath('declared'), (_req, res) => {
      res.writeHead(200, { 'Content-Length': String(100 * MiB) });
      res.write('x'); // and never more: only the header can have ended this fetch
    });
    const started = Date.now();
    const error = await failure(createFetcher({ ...OPEN, maxBytes: MiB }).fetch(url));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/^body larger than 1 MiB from 127\.0\.0\.1:\d+ \(100 MiB declared\)$/);
    expect(Date.now() - started).toBeLessThan(4000); // well before the 5 s total timeout
  });

  it('aborts a streamed body without Content-Length soon after the cap', async () => {
    let sent: Promise<number> = Promise.resolve(0);
    const url = server.route(uniquePath('stream'), (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      sent = streamZeros(res, 50 * MiB);
    });
    const error = await failure(createFetcher({ ...OPEN, maxBytes: MiB }).fetch(url));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/^body larger than 1 MiB from/);
    // The server could push only the cap plus socket buffers before the connection closed.
    const written = await sent;
    expect(written).toBeLessThan(20 * MiB);
  });

  it('accepts a body exactly at the cap', async () => {
    const url = server.route(uniquePath('exact'), (_req, res) => {
      res.writeHead(200);
      void streamZeros(res, MiB);
    });
    const result = await createFetcher({ ...OPEN, maxBytes: MiB }).fetch(url);
    expect(result.body?.byteLength).toBe(MiB);
    expect(result.bytesReceived).toBe(MiB);
  });

  it('stops a gzip bomb at the default decompressed cap without inflating it all', async () => {
    const bomb = gzipBomb(256);
    expect(bomb.length).toBeLessThan(MiB); // a few hundred KB on the wire...
    const url = server.route(uniquePath('bomb'), (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) }).end(bomb);
    });
    // ...that would inflate to 256 MiB; watch how much memory the decode takes.
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 5);
    try {
      const started = Date.now();
      const error = await failure(createFetcher({ allowPrivateAddresses: true }).fetch(url));
      expect(error.code).toBe('decompression_limit');
      expect(error.message).toMatch(/decompresses to more than 60 MiB$/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    expect(peak - baseline).toBeLessThan(160 * MiB);
  });

  it.each<[string, (zeros: Buffer) => Buffer]>([
    ['gzip', (zeros) => zlib.gzipSync(zeros)],
    ['deflate', (zeros) => zlib.deflateSync(zeros)],
    ['br', (zeros) => zlib.brotliCompressSync(zeros, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })],
  ])('enforces a configured decompressed cap on %s', async (encoding, compress) => {
    const wire = compress(Buffer.alloc(32 * MiB));
    const url = server.route(uniquePath('bomb-small'), (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': encoding }).end(wire);
    });
    const error = await failure(createFetcher({ ...OPEN, maxDecompressedBytes: 2 * MiB }).fetch(url));
    expect(error.code).toBe('decompression_limit');
    expect(error.message).toMatch(/more than 2 MiB$/);
  });
});

describe('timeouts', () => {
  it('gives up when no response headers arrive', async () => {
    const url = server.route(uniquePath('hang'), () => {
      // accept the request and never answer
    });
    const started = Date.now();
    const error = await failure(createFetcher({ ...OPEN, headersTimeoutMs: 300 }).fetch(url));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/^no response headers within 300 ms from 127\.0\.0\.1:\d+$/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives up on a body that drips a byte at a time past the total timeout', async () => {
    const url = server.route(uniquePath('drip'), (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      const timer = setInterval(() => res.write('x'), 250);
      res.once('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await failure(createFetcher({ allowPrivateAddresses: true, timeoutMs: 1200 }).fetch(url));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/^body not complete within 1\.2 s from/);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('lets a slow but complete response finish inside the total timeout', async () => {
    const url = server.route(uniquePath('slow-ok'), (_req, res) => {
      res.writeHead(200);
      res.write('a');
      void sleep(150).then(() => res.end('b'));
    });
    const result = await createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 }).fetch(url);
    expect(Buffer.from(result.body ?? []).toString()).toBe('ab');
  });
});
