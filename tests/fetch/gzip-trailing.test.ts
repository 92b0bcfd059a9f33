/**
 * Compressed bodies followed by bytes that are not part of the stream (a
 * newline or padding some servers and proxies append): the decoded body is
 * kept and the rest ignored, as browsers and curl do, while every member of a
 * multi-member gzip body is still decoded and a truncated or corrupt stream
 * still fails. Served by a node:http fixture server, in small writes so the
 * member boundaries fall inside and between reads, and read a byte at a time.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlockPool } from '../../src/fetch/blocks.js';
import { readBody } from '../../src/fetch/body.js';
import { createFetcher } from '../../src/fetch/index.js';
import { failure, OPEN, startFixtureServer, uniquePath, type FixtureServer } from './fixture-server.js';

const FEED = Buffer.from(
  `<?xml version="1.0"?><rss version="2.0"><channel><title>AI news</title>${'<item><title>x</title></item>'.repeat(300)}</channel></rss>`,
);
/** Text that compresses poorly, so its deflate data spans many reads. */
const LARGE = Buffer.from(randomBytes(400_000).toString('base64'));

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server.close();
});

/** Serves `wire` labelled with `encoding`, written `piece` bytes at a time. */
function serve(encoding: string, wire: Buffer, piece = 1000): string {
  return server.route(uniquePath('trailing'), (_req, res) => {
    res.writeHead(200, { 'Content-Encoding': encoding, 'Content-Length': String(wire.length) });
    for (let at = 0; at < wire.length; at += piece) res.write(wire.subarray(at, at + piece));
    res.end();
  });
}

/** A gzip member whose header carries every optional field: extra, file name, comment and header CRC. */
function gzipWithOptionalFields(body: Buffer): Buffer {
  const plain = zlib.gzipSync(body);
  const extra = Buffer.from([4, 0, 0x41, 0x70, 0, 0]);
  const header = Buffer.concat([plain.subarray(0, 10), extra, Buffer.from('feed.xml\0comment\0'), Buffer.from([0, 0])]);
  header[3] = 0x02 | 0x04 | 0x08 | 0x10;
  return Buffer.concat([header, plain.subarray(10)]);
}

const text = (body: Uint8Array | null): string => Buffer.from(body ?? []).toString();

describe('bytes after a compressed body', () => {
  it.each<[string, string, Buffer]>([
    ['gzip + newline', 'gzip', Buffer.concat([zlib.gzipSync(FEED), Buffer.from('\n')])],
    ['gzip + CRLF', 'gzip', Buffer.concat([zlib.gzipSync(FEED), Buffer.from('\r\n')])],
    ['gzip + a stray 0x1f', 'gzip', Buffer.concat([zlib.gzipSync(FEED), Buffer.from([0x1f])])],
    ['gzip + zero padding', 'gzip', Buffer.concat([zlib.gzipSync(FEED), Buffer.alloc(16)])],
    ['gzip + an HTML error page', 'gzip', Buffer.concat([zlib.gzipSync(FEED), Buffer.from('<html>502</html>\n')])],
    ['gzip with every optional header field + newline', 'gzip', Buffer.concat([gzipWithOptionalFields(FEED), Buffer.from('\n')])],
    ['deflate + newline', 'deflate', Buffer.concat([zlib.deflateSync(FEED), Buffer.from('\n')])],
    ['raw deflate + newline', 'deflate', Buffer.concat([zlib.deflateRawSync(FEED), Buffer.from('\n')])],
  ])('keeps the decoded body of %s', async (_name, encoding, wire) => {
    const result = await createFetcher(OPEN).fetch(serve(encoding, wire, 7));
    expect(text(result.body)).toBe(FEED.toString());
    expect(result.bytesReceived).toBe(wire.length);
  });

  it('keeps a large gzip body whose deflate data spans many reads, with a newline after it', async () => {
    const wire = Buffer.concat([zlib.gzipSync(LARGE), Buffer.from('\n')]);
    const result = await createFetcher(OPEN).fetch(serve('gzip', wire, 4093));
    expect(Buffer.from(result.body ?? []).equals(LARGE)).toBe(true);
  });

  it('decodes every member of a multi-member gzip body, then ignores what follows', async () => {
    const parts = [FEED.subarray(0, 5000), LARGE, FEED.subarray(5000)];
    const wire = Buffer.concat([...parts.map((part) => zlib.gzipSync(part)), Buffer.from('\r\n')]);
    const result = await createFetcher(OPEN).fetch(serve('gzip', wire, 3001));
    expect(Buffer.from(result.body ?? []).equals(Buffer.concat(parts))).toBe(true);
  });

  it.each<[string, Buffer]>([
    ['a truncated member', zlib.gzipSync(FEED).subarray(0, -4)],
    ['a member without its trailer', zlib.gzipSync(FEED).subarray(0, -8)],
    ['a wrong CRC', (() => {
      const wire = zlib.gzipSync(FEED);
      wire.writeUInt32LE(wire.readUInt32LE(wire.length - 8) ^ 0xff, wire.length - 8);
      return wire;
    })()],
    ['a second member cut short', Buffer.concat([zlib.gzipSync(FEED), zlib.gzipSync(FEED).subarray(0, 30)])],
    ['a second member that is only a magic number', Buffer.concat([zlib.gzipSync(FEED), Buffer.from([0x1f, 0x8b])])],
    ['a second member with corrupt data', Buffer.concat([zlib.gzipSync(FEED), zlib.gzipSync(FEED).subarray(0, 10), Buffer.from('not deflate at all')])],
    ['junk in place of the deflate data', Buffer.concat([zlib.gzipSync(FEED).subarray(0, 10), Buffer.alloc(40, 0xff)])],
  ])('still fails a gzip body with %s', async (_name, wire) => {
    const error = await failure(createFetcher(OPEN).fetch(serve('gzip', wire, 11)));
    expect(error.code).toBe('encoding_error');
    expect(error.message).toMatch(/^cannot decode gzip body from 127\.0\.0\.1:\d+$/);
  });
});

describe('a gzip body read a byte at a time', () => {
  const read = (wire: Buffer) => {
    const bytes = Array.from(wire, (byte) => Buffer.from([byte]));
    const limit = 1024 * 1024;
    return readBody(Readable.from(bytes), {
      encodings: ['gzip'],
      maxBytes: limit,
      maxDecompressedBytes: limit,
      declaredLength: wire.length,
      signal: new AbortController().signal,
      blocks: createBlockPool(),
    });
  };

  it('finds every header, member end and trailer across reads', async () => {
    const wire = Buffer.concat([gzipWithOptionalFields(FEED.subarray(0, 3000)), zlib.gzipSync(FEED.subarray(3000)), Buffer.from('\n')]);
    expect((await read(wire)).body?.equals(FEED)).toBe(true);
  });

  it('still fails one cut inside its trailer', async () => {
    await expect(read(zlib.gzipSync(FEED).subarray(0, -3))).rejects.toMatchObject({ detail: { kind: 'decode', encoding: 'gzip' } });
  });
});
