/**
 * readBody collects an uncoded body with a Content-Length into one buffer of
 * that size as it arrives, and copes with a server whose length was wrong.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readBody } from '../../src/fetch/body.js';

const LIMIT = 1024 * 1024;

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks, { objectMode: false });
}

function read(stream: Readable, declaredLength: number | null, encodings: string[] = []) {
  return readBody(stream, { encodings, maxBytes: LIMIT, maxDecompressedBytes: LIMIT, declaredLength, signal: new AbortController().signal });
}

const body = Buffer.from(Array.from({ length: 3000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(''));

describe('collecting a body', () => {
  it('fills one buffer of the declared length that owns its whole ArrayBuffer', async () => {
    const { body: got, wireBytes } = await read(chunked(body, 333), body.length);
    expect(got.equals(body)).toBe(true);
    expect(wireBytes).toBe(body.length);
    // A body under 4 KiB would otherwise share Node's pooled 8 KiB slab. Owning its whole ArrayBuffer lets the parse pool transfer it instead of copying.
    expect(got.byteOffset).toBe(0);
    expect(got.buffer.byteLength).toBe(body.length);
  });

  it('returns only what arrived when the body is shorter than declared', async () => {
    const short = body.subarray(0, 1200);
    const { body: got } = await read(chunked(short, 500), body.length);
    expect(got.equals(short)).toBe(true);
    expect(got.length).toBe(1200);
  });

  it('keeps every byte when the body is longer than declared', async () => {
    const { body: got } = await read(chunked(body, 700), 1000);
    expect(got.equals(body)).toBe(true);
  });

  it.each([[[]], [['gzip']]])('rejects a body whose stream closes before its end as a reset connection (codings %j)', async (encodings) => {
    const bytes = encodings.length > 0 ? gzipSync(body) : body;
    const stream = new Readable({ read() {} });
    stream.push(bytes.subarray(0, 40));
    setTimeout(() => stream.destroy(), 10);
    const error: unknown = await read(stream, bytes.length, encodings).then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ECONNRESET', message: 'connection closed before the body was complete' });
  });

  it('reads a body without a length, and a compressed one whose length is the wire size', async () => {
    expect((await read(chunked(body, 256), null)).body.equals(body)).toBe(true);
    const gz = gzipSync(body);
    const decoded = await read(chunked(gz, 100), gz.length, ['gzip']);
    expect(decoded.body.equals(body)).toBe(true);
    expect(decoded.wireBytes).toBe(gz.length);
  });
});
