/**
 * Charset labels and byte-level signatures: turns whatever a server or a
 * document calls its encoding into one canonical name we can decode with, and
 * recognises BOMs and BOM-less UTF-16/32. Unknown labels map to null so callers
 * fall back instead of throwing.
 */
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';

type Iconv = typeof import('iconv-lite');
let iconvModule: Iconv | null = null;

/**
 * iconv-lite, loaded the first time a label or a document needs it. Nearly
 * every feed is UTF-8 or windows-1252, which decode natively, and each parse
 * worker (started afresh every cycle) would otherwise load it for nothing.
 */
function iconv(): Iconv {
  iconvModule ??= createRequire(import.meta.url)('iconv-lite') as Iconv;
  return iconvModule;
}

/** Canonical names for the Unicode encodings we detect from bytes. */
export type UnicodeEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/**
 * Aliases folded onto one canonical name. Following the WHATWG Encoding
 * standard, latin1/ascii labels decode as windows-1252 (a superset servers
 * mean in practice) and gb2312 as GBK.
 */
const ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  (
    [
      ['utf-8', 'utf8 unicode-1-1-utf-8 x-unicode20utf8 unicode20utf8'],
      [
        'windows-1252',
        'cp1252 x-cp1252 iso-8859-1 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 latin1 l1 ' +
          'us-ascii ascii ansi_x3.4-1968 iso-ir-100 cp819 ibm819 csisolatin1 iso-ir-6 us',
      ],
      ['gbk', 'gb2312 x-gbk cp936 chinese csgb2312 gb_2312-80 gb_2312 iso-ir-58 ms936 windows-936'],
      ['gb18030', ''],
      ['big5', 'big5-hkscs cn-big5 csbig5 x-x-big5 big5hkscs cp950'],
      ['shift_jis', 'sjis x-sjis shift-jis ms_kanji windows-31j csshiftjis ms932 cp932'],
      ['euc-jp', 'x-euc-jp cseucpkdfmtjapanese eucjp'],
      ['euc-kr', 'cseuckr ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 korean windows-949 cp949 iso-ir-149 euckr'],
      ['koi8-r', 'koi8 koi8_r cskoi8r koi'],
      ['koi8-u', 'koi8-ru koi8_u'],
      ['utf-16le', 'utf16le ucs-2le'],
      ['utf-16be', 'utf16be ucs-2be unicodefffe'],
      ['utf-16', 'utf16 ucs-2 ucs2 unicode csunicode iso-10646-ucs-2'],
      ['utf-32le', 'utf32le'],
      ['utf-32be', 'utf32be'],
      ['utf-32', 'utf32 ucs-4 iso-10646-ucs-4'],
    ] as const
  ).flatMap(([canonical, aliases]) =>
    [canonical, ...aliases.split(' ').filter(Boolean)].map((alias) => [alias, canonical] as const),
  ),
);

/** Labels iconv-lite knows but that must never decode a feed (not text encodings, or XSS-prone UTF-7). */
const REFUSED = new Set(['base64', 'hex', 'binary', 'utf7', 'utf-7', 'utf7imap', 'unicode11utf7', 'cesu8']);

/** iconv-lite codec names where the canonical name is not one iconv-lite maps the way we want. */
const CODEC: Readonly<Record<string, string>> = {
  // GB18030 extends GBK with four-byte sequences (emoji, rarer hanzi) that Chinese sites labelled gb2312 or gbk
  // emit all the same; WHATWG decodes those labels with the GB18030 decoder, which reads every GBK pair alike.
  gbk: 'gb18030',
  big5: 'big5hkscs',
  shift_jis: 'cp932',
  'euc-kr': 'cp949',
};

/**
 * Canonical name for a charset label, or null when it is unknown, empty or refused.
 * `utf-16`/`utf-32` without endianness stay generic; callers pick the byte order.
 */
export function canonicalCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const cleaned = label.trim().replace(/^["']|["']$/g, '').trim().toLowerCase();
  if (!cleaned || REFUSED.has(cleaned)) return null;
  const alias = ALIASES[cleaned];
  if (alias) return alias;
  const windows = /^(?:windows|cp|x-cp|win)-?(125[0-8]|874)$/.exec(cleaned);
  if (windows) return windows[1] === '874' ? 'windows-874' : `windows-${windows[1]}`;
  const iso = /^iso[-_ ]?8859[-_ ]?(\d{1,2})(?::\d+)?$/.exec(cleaned);
  if (iso) return `iso-8859-${iso[1]}`;
  if (REFUSED.has(cleaned.replace(/[^a-z0-9]/g, ''))) return null;
  return iconv().encodingExists(cleaned) ? cleaned : null;
}

/** True for charsets whose code units are not single bytes compatible with ASCII. */
export function isWideCharset(canonical: string): boolean {
  return canonical.startsWith('utf-16') || canonical.startsWith('utf-32');
}

/** A byte order mark at the start of the bytes: which encoding and how many bytes it takes. */
export function sniffBom(bytes: Uint8Array): { encoding: UnicodeEncoding; length: number } | null {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', length: 3 };
  // UTF-32 LE must be tested before UTF-16 LE: its BOM starts with the same two bytes.
  if (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) return { encoding: 'utf-32le', length: 4 };
  if (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/**
 * BOM-less UTF-16/32 recognised by how `<` (the first character of any XML
 * document, XML 1.0 appendix F) or `{` (a JSON Feed) is laid out in the
 * first four bytes.
 */
export function sniffWideLayout(bytes: Uint8Array): UnicodeEncoding | null {
  const [b0, b1, b2, b3] = bytes;
  const opens = (byte: number | undefined): boolean => byte === 0x3c || byte === 0x7b;
  if (b0 === 0 && b1 === 0 && b2 === 0 && opens(b3)) return 'utf-32be';
  if (opens(b0) && b1 === 0 && b2 === 0 && b3 === 0) return 'utf-32le';
  if (b0 === 0 && opens(b1) && b2 === 0 && b3 !== 0) return 'utf-16be';
  if (opens(b0) && b1 === 0 && b2 !== 0 && b3 === 0) return 'utf-16le';
  return null;
}

/** The `charset` parameter of a Content-Type header, as written (null when absent or empty). */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*("([^"]*)"|'([^']*)'|[^;\s]*)/i.exec(contentType);
  if (!match) return null;
  const value = (match[2] ?? match[3] ?? match[1] ?? '').trim();
  return value || null;
}

/** The windows-1252 code points for bytes 0x80–0x9F; bytes it leaves undefined keep their C1 value (WHATWG). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/** Code point for byte 0x80–0x9F interpreted as windows-1252 (also used to repair `&#150;`-style references). */
export function windows1252CodePoint(byte: number): number {
  return byte >= 0x80 && byte <= 0x9f ? (WINDOWS_1252_HIGH[byte - 0x80] ?? byte) : byte;
}

const C1_CONTROL = /[\x80-\x9f]/;
const C1_CONTROLS = /[\x80-\x9f]/g;

function windows1252Char(c1: string): string {
  return String.fromCharCode(windows1252CodePoint(c1.charCodeAt(0)));
}

/** Decodes bytes in a canonical charset; never throws (undecodable bytes become U+FFFD). */
export function decodeWith(bytes: Uint8Array, canonical: string): string {
  if (canonical === 'utf-8') {
    // Valid UTF-8 (the rule) decodes faster through Buffer; TextDecoder's replacement of broken bytes is the spec's.
    if (!isUtf8(bytes)) return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    // As TextDecoder does: a leading BOM is not part of the text.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  if (canonical === 'windows-1252') {
    // Not iconv-lite, which maps the five undefined bytes to U+FFFD: ISO-8859-1 (a native decode), then the
    // 0x80–0x9F range remapped to windows-1252 (undefined bytes keep their C1 value, as in WHATWG).
    const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    return C1_CONTROL.test(latin1) ? latin1.replace(C1_CONTROLS, windows1252Char) : latin1;
  }
  return iconv().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), CODEC[canonical] ?? canonical);
}
