/**
 * Content codings: the header read as a list, the decoder for each coding
 * body.ts decodes, and when a body labelled with a coding plainly is not
 * encoded at all.
 */
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { GzipMembers } from './gzip-members.js';

const SUPPORTED_CODINGS = new Set(['gzip', 'deflate', 'br']);

/** True for the codings body.ts can decode. */
export function isSupportedCoding(coding: string): boolean {
  return SUPPORTED_CODINGS.has(coding);
}

/** `Content-Encoding: gzip, br` -> ['gzip', 'br'] (applied first to last), identity dropped, x-gzip read as gzip. */
export function parseContentEncoding(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .map((coding) => (coding === 'x-gzip' ? 'gzip' : coding));
}

/**
 * Every coding a response's body went through, first applied first: its
 * content codings, then its transfer codings but chunked, which the
 * parser undoes (`Transfer-Encoding: gzip, chunked` is rare, but is gzip).
 */
export function bodyCodings(contentEncoding: string | null, transferEncoding: string | null): string[] {
  const transfer = parseContentEncoding(transferEncoding ?? undefined).filter((coding) => coding !== 'chunked');
  return [...parseContentEncoding(contentEncoding ?? undefined), ...transfer];
}

/** A zlib stream starts with CMF/FLG: deflate method and a header checksum divisible by 31. */
function looksZlibWrapped(first: Buffer): boolean {
  const cmf = first[0];
  const flg = first[1];
  if (cmf === undefined || flg === undefined) return true;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

/** The decoder of a supported coding; `first` is the body's first chunk when this is its outermost coding. */
export function decoderFor(coding: string, first: Buffer | null): Transform {
  if (coding === 'gzip') return new GzipMembers();
  if (coding === 'br') return zlib.createBrotliDecompress();
  // "deflate" should be zlib-wrapped, but some servers send raw deflate; only the outermost layer can be sniffed.
  return first === null || looksZlibWrapped(first) ? zlib.createInflate() : zlib.createInflateRaw();
}

/** Whether `first` begins as a feed or web page does: an optional UTF-8 BOM and white space, then `<` or `{`. */
function beginsAsDocument(first: Buffer): boolean {
  let at = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf ? 3 : 0;
  while (at < first.length && (first[at] === 0x20 || first[at] === 0x09 || first[at] === 0x0a || first[at] === 0x0d)) at++;
  return first[at] === 0x3c || first[at] === 0x7b;
}

/**
 * True when a body labelled with `codings` is plainly not encoded, so it is
 * read as it came: a coding nobody defined (S3 lets an uploader set
 * `Content-Encoding: UTF-8`, and servers send `none`), or a gzip label over
 * bytes without gzip's magic number, when either way the bytes begin as a
 * document. Browsers and most readers take the first case as it came; a
 * coding byline does not know over bytes that do not begin so (compress,
 * zstd) is still refused, with its name.
 */
export function readsAsItCame(codings: readonly string[], first: Buffer): boolean {
  const outermost = codings[codings.length - 1];
  const mislabelled = codings.some((coding) => !isSupportedCoding(coding)) || (outermost === 'gzip' && !(first[0] === 0x1f && first[1] === 0x8b));
  return mislabelled && beginsAsDocument(first);
}
