/**
 * readBody collects an uncoded body with a Content-Length into one buffer of
 * that size as it arrives, and copes with a server whose length was wrong.
 * Given the hash of a body the caller has, it hands back no body when the
 * bytes hash the same.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { accumulator } from '../../src/fetch/accumulator.js';
import { createBlockPool, type BlockPool } from '../../src/fetch/blocks.js';
import { readBody } from '../../src/fetch/body.js';

const LIMIT = 1024 * 1024;

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks, { objectMode: false });
}

function read(stream: Readable, declaredLength: number | null, encodings: string[] = [], knownSha256: string | null = null) {
  return readBody(stream, { encodings, maxBytes: LIMIT, maxDecompressedBytes: LIMIT, declaredLength, signal: new AbortController().signal, knownSha256, blocks: createBlockPool() });
}

/** The body, asserted present. */
function bytesOf(outcome: { body: Buffer | null }): Buffer {
  expect(outcome.body).not.toBeNull();
  return outcome.body!;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const body = Buffer.from(Array.from({ length: 3000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(''));

describe('collecting a body', () => {
  it('fills one buffer of the declared length that owns its whole ArrayBuffer', async () => {
    const outcome = await read(chunked(body, 333), body.length);
    const got = bytesOf(outcome);
    expect(got.equals(body)).toBe(true);
    expect(outcome.sha256).toBe(sha256(body));
    const { wireBytes } = outcome;
    expect(wireBytes).toBe(body.length);
    // A body under 4 KiB would otherwise share Node's pooled 8 KiB slab. Owning its whole ArrayBuffer lets the parse pool transfer it instead of copying.
    expect(got.byteOffset).toBe(0);
    expect(got.buffer.byteLength).toBe(body.length);
  });

  it('returns only what arrived when the body is shorter than declared', async () => {
    const short = body.subarray(0, 1200);
    const got = bytesOf(await read(chunked(short, 500), body.length));
    expect(got.equals(short)).toBe(true);
    expect(got.length).toBe(1200);
  });

  it('keeps every byte when the body is longer than declared', async () => {
    const got = bytesOf(await read(chunked(body, 700), 1000));
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
    expect(bytesOf(await read(chunked(body, 256), null)).equals(body)).toBe(true);
    const gz = gzipSync(body);
    const decoded = await read(chunked(gz, 100), gz.length, ['gzip']);
    expect(bytesOf(decoded).equals(body)).toBe(true);
    expect(decoded.sha256).toBe(sha256(body));
    expect(decoded.wireBytes).toBe(gz.length);
  });
});

describe('a body the caller already has', () => {
  it.each([
    ['uncoded, with its length', [], body.length],
    ['uncoded, without a length', [], null],
    ['gzip', ['gzip'], null],
  ] as const)('comes back as its hash alone when it hashes as the known one (%s)', async (_name, encodings, declared) => {
    const wire = encodings.length > 0 ? gzipSync(body) : body;
    const outcome = await read(chunked(wire, 400), declared, [...encodings], sha256(body));
    expect(outcome.body).toBeNull();
    expect(outcome.sha256).toBe(sha256(body));
    expect(outcome.wireBytes).toBe(wire.length);
  });

  it('comes back whole when it differs from the known one, in a buffer the parse pool can transfer', async () => {
    const changed = Buffer.concat([body, Buffer.from('!')]);
    const outcome = await read(chunked(changed, 333), changed.length, [], sha256(body));
    const got = bytesOf(outcome);
    expect(got.equals(changed)).toBe(true);
    expect(outcome.sha256).toBe(sha256(changed));
    expect(got.byteOffset).toBe(0);
    expect(got.buffer.byteLength).toBe(changed.length);
  });

  it('still enforces the size cap', async () => {
    const error: unknown = await readBody(chunked(body, 500), {
      encodings: [],
      maxBytes: 1000,
      maxDecompressedBytes: 1000,
      declaredLength: null,
      signal: new AbortController().signal,
      knownSha256: sha256(body),
      blocks: createBlockPool(),
    }).then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ detail: { kind: 'too_large', limit: 1000 } });
  });

  it('does not decode a compressed body whose wire bytes hash as the known ones', async () => {
    // Not gzip at all: only a body that is never decoded can come back without an error.
    const wire = Buffer.from('these bytes would fail to decode');
    const outcome = await readBody(chunked(wire, 7), {
      encodings: ['gzip'],
      maxBytes: LIMIT,
      maxDecompressedBytes: LIMIT,
      declaredLength: wire.length,
      signal: new AbortController().signal,
      knownSha256: sha256(body),
      knownWireSha256: sha256(wire),
      blocks: createBlockPool(),
    });
    expect(outcome).toEqual({ body: null, sha256: sha256(body), wireBytes: wire.length, wireSha256: sha256(wire) });
  });

  it('decodes compressed bytes that differ from the known ones, and reports both hashes', async () => {
    const gz = gzipSync(body, { level: 1 });
    const options = {
      encodings: ['gzip'],
      maxBytes: LIMIT,
      maxDecompressedBytes: LIMIT,
      declaredLength: gz.length,
      signal: new AbortController().signal,
      knownWireSha256: sha256(gzipSync(body, { level: 9 })),
      blocks: createBlockPool(),
    };
    // Other compressed bytes of the same body: decoded, and then known by the body's own hash.
    expect(await readBody(chunked(gz, 100), { ...options, knownSha256: sha256(body) })).toEqual({
      body: null,
      sha256: sha256(body),
      wireBytes: gz.length,
      wireSha256: sha256(gz),
    });
    const changed = await readBody(chunked(gz, 100), { ...options, knownSha256: sha256(Buffer.from('before')) });
    expect(bytesOf(changed).equals(body)).toBe(true);
    expect(changed.wireSha256).toBe(sha256(gz));
  });

  it('reads an empty body as the hash of no bytes', async () => {
    const empty = Buffer.alloc(0);
    const known = await read(Readable.from([]), null, ['gzip'], sha256(empty));
    expect(known).toEqual({ body: null, sha256: sha256(empty), wireBytes: 0, wireSha256: sha256(empty) });
    const unknown = await read(Readable.from([]), null, ['gzip']);
    expect(bytesOf(unknown).length).toBe(0);
    expect(unknown.sha256).toBe(sha256(empty));
  });
});

describe('the bytes of a read are copied out of it', () => {
  /** A block pool that counts what is out. */
  function countingPool(): BlockPool & { out: () => number; distinct: () => number } {
    const pool = createBlockPool();
    const seen = new Set<Buffer>();
    let out = 0;
    return {
      take: () => {
        out++;
        const block = pool.take();
        seen.add(block);
        return block;
      },
      give: (block) => {
        out--;
        pool.give(block);
      },
      out: () => out,
      distinct: () => seen.size,
    };
  }

  /** Feeds `bytes` through one scratch buffer overwritten after each add, as a socket's reads are. */
  function feedThroughScratch(collect: ReturnType<typeof accumulator>, bytes: Buffer, size: number): void {
    const scratch = Buffer.alloc(size);
    for (let at = 0; at < bytes.length; at += size) {
      const length = bytes.copy(scratch, 0, at, at + size);
      expect(collect.add(scratch.subarray(0, length))).toBe(true);
      scratch.fill(0x2a);
    }
  }

  const big = Buffer.from(Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(65 + ((i * 7) % 26))).join(''));

  it.each([
    ['declared length, no known hash', big.length, null],
    ['no length, no known hash', null, null],
    ['known hash that differs', big.length, sha256(body)],
  ] as const)('keeps every byte (%s), and every block it borrowed is given back', (_name, expected, known) => {
    const blocks = countingPool();
    const collect = accumulator(LIMIT, expected, known, blocks);
    feedThroughScratch(collect, big, 10_000);
    const got = collect.result();
    expect(got.body?.equals(big)).toBe(true);
    expect(got.body?.buffer.byteLength).toBe(big.length);
    expect(blocks.out()).toBe(0);
  });

  it('gives its blocks back when the body hashes as the known one, and the next body uses them again', () => {
    const blocks = countingPool();
    for (let round = 0; round < 3; round++) {
      const collect = accumulator(LIMIT, big.length, sha256(big), blocks);
      feedThroughScratch(collect, big, 10_000);
      expect(collect.result().body).toBeNull();
      expect(blocks.out()).toBe(0);
    }
    // 200,000 bytes fill four 64 KiB blocks, and all three rounds used the same four.
    expect(blocks.distinct()).toBe(4);
  });
});
