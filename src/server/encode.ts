/**
 * Turns a rendered output into what the server keeps: the raw bytes, their
 * gzip and brotli forms, and an ETag for each of the three. Compression
 * runs on the libuv thread pool (zlib's callback API), so a 2 MB feed does not
 * stall the event loop while the previous body keeps being served.
 *
 * Levels, measured on the 2.2 MB, 1,000-item /feed.xml of the serve
 * benchmark: gzip 9 took 209 ms for 333.5 KB, gzip 6 80 ms for 335.6 KB
 * (0.6 % more bytes for 40 % of the time), so gzip uses 6. Brotli 5 took
 * 108 ms for 333 KB, 9 took 713 ms for 273 KB: quality 9 saves 18 % on every
 * brotli download of the body, paid once per revision on a pool thread, so it
 * stays at 9 (11 took 6 s for a further 7 %).
 *
 * Each content coding is a representation of its own, with bytes of its own,
 * so each has a tag of its own: one tag for all three would let a client
 * holding gzip bytes revalidate a request that is sent brotli. The tags share
 * one hash of the raw bytes and differ by suffix, so the same content has the
 * same tags in any process and a 304 survives a restart.
 *
 * Only the raw bytes are a function of that hash. The compressed bytes are
 * whatever this process's zlib and brotli make of them, and another build
 * makes other bytes at the same level (Node's bundled zlib 1.3.1 and a system
 * zlib 1.2.13 deflate the same 424 KB feed into 32,807 and 33,075 bytes): a
 * Node upgrade, a distribution's Node linked to the system zlib or a change
 * of level would serve other bytes under the same tag. A strong tag claims
 * byte-for-byte equality (RFC 9110 §8.8.1), so the compressed forms carry
 * weak tags (`W/"<hash>-gzip"`), which claim only the same content, and that
 * is all If-None-Match compares (weak comparison, §8.8.3.2).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** gzip level for cached outputs (see the module comment). */
export const GZIP_LEVEL = 6;
/** Brotli quality for cached outputs (see the module comment). */
export const BROTLI_QUALITY = 9;

/** A content coding an output is held in; `identity` is the raw bytes. */
export type Coding = 'identity' | 'gzip' | 'br';

/** One rendered output, ready to serve. */
export interface CachedBody {
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  /** A hash of the raw bytes: equal bytes, equal hash (in any process). */
  hash: string;
  /** The ETag of each coding, all from `hash`: strong for the raw bytes, weak for the compressed forms. */
  etags: Readonly<Record<Coding, string>>;
  lastModified: Date;
  /**
   * Another body of the same output was served under the same Last-Modified
   * second: the date cannot tell the two apart, so If-Modified-Since alone
   * never earns a 304 for this one (the ETag still does).
   */
  sharesLastModified?: boolean;
}

/** The hash the ETags of raw bytes are made of (so equal bytes have equal tags in any process). */
export function hashOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('base64url').slice(0, 32);
}

/** The ETag of each coding of the bytes with this hash: `"<hash>"`, `W/"<hash>-gzip"`, `W/"<hash>-br"`. */
export function etagsOf(hash: string): Record<Coding, string> {
  return { identity: `"${hash}"`, gzip: `W/"${hash}-gzip"`, br: `W/"${hash}-br"` };
}

/**
 * Encodes an output as a cached body: raw bytes, gzip and brotli forms
 * (compressed off the main thread), the ETag of each (`hash`, when the
 * caller has already hashed the bytes).
 */
export async function encodeBody(content: string | Buffer, lastModified: Date, hash?: string): Promise<CachedBody> {
  const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const [gzipped, brotli] = await Promise.all([
    gzipAsync(raw, { level: GZIP_LEVEL }),
    brotliAsync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  ]);
  const digest = hash ?? hashOf(raw);
  return { raw, gzip: gzipped, br: brotli, hash: digest, etags: etagsOf(digest), lastModified };
}
