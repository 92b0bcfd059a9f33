/**
 * Bytes -> text for feed documents. Decides the charset the way lenient feed
 * readers do (BOM, HTTP charset, XML declaration, HTML meta, UTF-8 validity,
 * then a guess from the bytes) and repairs the common lies servers and
 * documents tell.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import {
  canonicalCharset,
  charsetFromContentType,
  decodeWith,
  isWideCharset,
  sniffBom,
  sniffWideLayout,
} from './charset.js';
import { detectLegacyCharset } from './detect-charset.js';
import { dropDeclaredEncoding } from './repair.js';

/** Text decoded from a feed's bytes, and the canonical charset used. */
export interface DecodedFeed {
  text: string;
  encoding: string;
}

/** How far into the document to look for an XML declaration or an HTML meta charset. */
const PROLOG_BYTES = 4096;

/**
 * Bytes (as fetched, already decompressed) + the HTTP Content-Type header -> text.
 *
 * Precedence: BOM; BOM-less UTF-16/32 recognised from the layout of `<` or
 * `{`; the HTTP charset, except ISO-8859-1 (a server's default) beside a
 * declaration of another legacy charset, and a UTF-8 one the bytes disprove
 * (both give way to the document's own label); the XML declaration's encoding; an HTML `<meta
 * charset>`; UTF-8 when the bytes are valid UTF-8; else the legacy charset
 * they look like (windows-1252 unless another clearly fits). Real-world
 * repairs: a document labelled with a legacy one-byte charset whose bytes are
 * valid UTF-8 with non-ASCII characters is decoded as UTF-8 (mislabelled); one
 * labelled (or defaulting to) UTF-8 whose bytes are not is decoded in the
 * legacy charset they look like, unless it is mostly UTF-8 with a few broken
 * bytes. Unknown labels are ignored. Text decoded from anything but UTF-8
 * loses its XML declaration's encoding pseudo-attribute, so that no XML parser
 * decodes it a second time. Never throws.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string | null): DecodedFeed {
  const bom = sniffBom(bytes);
  if (bom) {
    const rest = bytes.subarray(bom.length);
    return bom.encoding === 'utf-8' ? { text: decodeWith(rest, 'utf-8'), encoding: 'utf-8' } : decodeLegacy(rest, bom.encoding);
  }

  const layout = sniffWideLayout(bytes);
  if (layout) return decodeLegacy(bytes, layout);

  const http = usableLabel(charsetFromContentType(contentType));
  const xml = usableLabel(xmlDeclarationEncoding(bytes));
  const inDocument = xml ?? usableLabel(htmlMetaCharset(bytes));
  // ISO-8859-1 is what Tomcat and many servers add to any text/* type; a declaration naming another legacy
  // charset (a GBK feed's gb2312) is the document's own word and worth more.
  const serverDefault = http === 'windows-1252' && xml !== null && xml !== 'utf-8';
  const declared = (serverDefault ? xml : http) ?? inDocument;
  if (declared) return decodeDeclared(bytes, declared, inDocument);

  return decodeUtf8OrFallback(bytes, null);
}

/** A label worth obeying: known, and not a UTF-16/32 claim the bytes (no BOM, ASCII layout) contradict. */
function usableLabel(label: string | null): string | null {
  const canonical = canonicalCharset(label);
  return canonical && !isWideCharset(canonical) ? canonical : null;
}

/** Decodes with a charset other than UTF-8, removing the declaration's encoding so nothing decodes the text twice. */
function decodeLegacy(bytes: Uint8Array, encoding: string): DecodedFeed {
  return { text: dropDeclaredEncoding(decodeWith(bytes, encoding)), encoding };
}

/**
 * `inDocument` is the document's own label: when the HTTP charset says UTF-8
 * (many servers' default for every file) and the bytes are not, the header
 * is proven wrong and the document's legacy charset is read instead of a guess.
 */
function decodeDeclared(bytes: Uint8Array, declared: string, inDocument: string | null): DecodedFeed {
  if (declared === 'utf-8') return decodeUtf8OrFallback(bytes, inDocument === 'utf-8' ? null : inDocument);
  // Bytes that are valid UTF-8 beyond ASCII are UTF-8 whatever the label says: legacy text, Latin or
  // GBK/Big5/Shift_JIS alike, practically never forms valid UTF-8, and a server's default label often lies.
  if (isUtf8(bytes) && hasHighBytes(bytes)) {
    return { text: decodeWith(bytes, 'utf-8'), encoding: 'utf-8' };
  }
  return decodeLegacy(bytes, declared);
}

/**
 * UTF-8 (XML's default) unless the bytes are not UTF-8: then `legacy` when
 * the document names a legacy charset, else the one the bytes look like
 * (detect-charset.ts; windows-1252 when nothing stands out), except when the
 * document is mostly UTF-8 with a few broken bytes (at least as many valid
 * multi-byte characters as invalid sequences), which stays UTF-8 with U+FFFD
 * for the broken ones.
 */
function decodeUtf8OrFallback(bytes: Uint8Array, legacy: string | null): DecodedFeed {
  const text = decodeWith(bytes, 'utf-8');
  if (isUtf8(bytes)) return { text, encoding: 'utf-8' };
  const invalid = text.match(/\uFFFD/g)?.length ?? 0;
  const valid = text.match(/[^\x00-\x7F\uFFFD]/gu)?.length ?? 0;
  return valid > 0 && valid >= invalid ? { text, encoding: 'utf-8' } : decodeLegacy(bytes, legacy ?? detectLegacyCharset(bytes));
}

function hasHighBytes(bytes: Uint8Array): boolean {
  return !isAscii(bytes);
}

/** The start of the document read as ASCII (enough for prolog-level sniffing). */
function asciiProlog(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PROLOG_BYTES)).toString('latin1');
}

/** The `encoding` pseudo-attribute of a leading XML declaration (whitespace or junk before it tolerated). */
export function xmlDeclarationEncoding(bytes: Uint8Array): string | null {
  const match = /<\?xml\s[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(asciiProlog(bytes));
  if (!match || match.index > 1024) return null;
  return match[1] ?? match[2] ?? null;
}

/**
 * `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">`,
 * only in a document that starts as an HTML page (a feed's CDATA may quote one).
 */
function htmlMetaCharset(bytes: Uint8Array): string | null {
  const prolog = asciiProlog(bytes);
  if (!/^\s*<(?:!doctype\s+html|html)[\s>]/i.test(prolog.replace(/<!--[\s\S]*?-->/g, ''))) return null;
  for (const tag of prolog.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?([\w.:-]+)/i.exec(tag);
    if (direct) return direct[1] ?? null;
  }
  return null;
}

