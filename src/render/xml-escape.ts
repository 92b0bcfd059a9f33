/**
 * Escaping for XML output: stripping the characters XML 1.0 forbids, escaping
 * character data and attribute values, and CDATA sections, for one value or
 * for several written one after the other. The XML writer (xml-writer.ts,
 * which the small tree in xml.ts writes through), JSON Feed's string cleaning
 * and the HTML escaping all use these, so the rules live in one place.
 *
 * Each function first checks, with one cheap scan, whether it has anything to
 * do: feeds push megabytes of article HTML through here, and most strings need
 * no change at all.
 */

/** Characters XML 1.0 (§2.2 Char) does not allow anywhere, lone surrogates included. */
const FORBIDDEN_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Anything that might be forbidden: a control character, a noncharacter, or any surrogate (paired ones included). */
const MAYBE_FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** The forbidden characters that are not surrogates: C0 controls and the two noncharacters. */
const FORBIDDEN_NON_SURROGATE = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

// String.prototype.isWellFormed (ES2024, in Node 20) tells in native code whether
// a string has a lone surrogate; the project's lib setting (ES2023) does not type it.
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed;

/** Removes every character XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF). */
export function stripInvalidXmlChars(value: string): string {
  // Most text has none of these at all: one plain scan settles it. Paired
  // surrogates (emoji, rare CJK) are fine, so only a lone one or a control
  // character sends the string through the exact, much slower Unicode-aware pattern.
  if (!MAYBE_FORBIDDEN.test(value)) return value;
  if (!FORBIDDEN_NON_SURROGATE.test(value) && isWellFormed.call(value)) return value;
  return value.replace(FORBIDDEN_XML_CHARS, '');
}

const TEXT_SPECIAL = /[&<>\r]/;

/**
 * Escapes character data. `>` is escaped too so `]]>` can never appear in
 * text, and a carriage return becomes a character reference because a parser
 * would otherwise read it (and CRLF) as a line feed.
 */
export function escapeXmlText(value: string): string {
  const clean = stripInvalidXmlChars(value);
  if (!TEXT_SPECIAL.test(clean)) return clean;
  // Native single-character replaces beat one pattern with a callback on long HTML.
  const escaped = clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.includes('\r') ? escaped.replace(/\r/g, '&#13;') : escaped;
}

const ATTR_SPECIAL = /[&<>"'\t\n\r]/;

/**
 * Escapes an attribute value for double quotes. Tab and line breaks become
 * character references because a parser would otherwise normalize them to spaces.
 */
export function escapeXmlAttr(value: string): string {
  const clean = stripInvalidXmlChars(value);
  if (!ATTR_SPECIAL.test(clean)) return clean;
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/**
 * The inside of a CDATA section holding `value`: forbidden characters removed,
 * each `]]>` split across two sections, and each carriage return written as a
 * character reference between two sections (inside one, a parser reads it as
 * a line feed), so the value survives a parse exactly.
 */
export function cdataBody(value: string): string {
  const clean = stripInvalidXmlChars(value);
  const split = clean.includes(']]>') ? clean.split(']]>').join(']]]]><![CDATA[>') : clean;
  return split.includes('\r') ? split.replace(/\r/g, ']]>&#13;<![CDATA[') : split;
}

/** Wraps text in one CDATA section; see {@link cdataBody}. */
export function cdataSection(value: string): string {
  return `<![CDATA[${cdataBody(value)}]]>`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Values written one after the other as one piece of character data, escaped
 * exactly as their concatenation would be. Each is escaped on its own (a 5 KB
 * article body is never copied into a concatenation first), unless a
 * surrogate pair is split across two of them: then they are joined so the
 * pair is kept, as it is in the concatenated string.
 */
export function escapeXmlTextPieces(values: readonly string[]): string[] {
  if (values.length > 1 && values.some((value, i) => i < values.length - 1 && isHighSurrogate(value.charCodeAt(value.length - 1)))) {
    return [escapeXmlText(values.join(''))];
  }
  return values.map(escapeXmlText);
}

/** As {@link escapeXmlTextPieces}, for the inside of one CDATA section; a `]]>` may also straddle two values. */
export function cdataBodyPieces(values: readonly string[]): string[] {
  const bodies = values.map(cdataBody);
  const risky = bodies.some((body, i) => {
    if (i === bodies.length - 1) return false;
    const last = body.charCodeAt(body.length - 1);
    const value = values[i] ?? '';
    return last === 0x5d /* ] */ || isHighSurrogate(value.charCodeAt(value.length - 1));
  });
  return risky ? [cdataBody(values.join(''))] : bodies;
}
