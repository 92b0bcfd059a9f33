/**
 * Text-level repairs applied before strict XML parsing: the breakage real
 * feeds carry and lenient readers tolerate. Each repair keeps the document's
 * meaning; none of them can turn a non-feed into a feed.
 */
import { ParseError } from '../errors.js';
import { windows1252CodePoint } from './charset.js';
import { internalEntities } from './doctype-entities.js';
import { HTML_ENTITIES } from './html-entities.js';
import { isXmlChar } from './strict-references.js';
import { demoronize, repairDoubleEncodedReferences } from './mojibake.js';

/** Characters XML 1.0 forbids, except surrogates: C0 controls other than tab/LF/CR, U+FFFE, U+FFFF. */
const FORBIDDEN_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const HAS_FORBIDDEN_CHAR = new RegExp(FORBIDDEN_CHARS.source);

/** What the character repairs act on: forbidden characters, C1 controls (mojibake.ts) and surrogates (paired or not). */
const CHAR_TO_CHECK = /[\x00-\x08\x0B\x0C\x0E-\x1F\x80-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** A surrogate pair, or a surrogate on its own (which XML forbids). */
const SURROGATES = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;

/** Openers of sections whose content must not be touched by entity repair, and their terminators. */
const VERBATIM_OPENER = /<!\[CDATA\[|<!--|<\?/g;
const VERBATIM_END: Readonly<Record<string, string>> = { '<![CDATA[': ']]>', '<!--': '-->', '<?': '?>' };

/** Any `&`, with whatever reference follows it. */
const AMPERSAND = /&(?:#x([0-9a-fA-F]{1,8});|#(\d{1,9});|([A-Za-z][A-Za-z0-9]{0,31});)?/g;

const XML_NAMED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** True when the string holds no unpaired surrogate. */
function isWellFormed(text: string): boolean {
  // NOTE: String.prototype.isWellFormed exists in Node 20 (V8 11.3) but not in the ES2023 typings we compile with.
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Removes characters XML 1.0 forbids anywhere in a document (controls, non-characters, unpaired surrogates). */
export function stripForbiddenChars(text: string): string {
  // Each step is skipped when a native scan shows it would change nothing (the rule for real feeds).
  const allowed = HAS_FORBIDDEN_CHAR.test(text) ? text.replace(FORBIDDEN_CHARS, '') : text;
  return isWellFormed(allowed) ? allowed : allowed.replace(SURROGATES, (match) => (match.length === 2 ? match : ''));
}

/**
 * Forbidden characters stripped and C1 controls read as windows-1252, after
 * one scan shows whether either occurs: a surrogate pair (an emoji) is stepped
 * over, anything else the scan stops at needs the repairs.
 */
function repairCharacters(text: string): string {
  const scan = new RegExp(CHAR_TO_CHECK.source, 'g');
  for (let match = scan.exec(text); match !== null; match = scan.exec(text)) {
    const code = text.charCodeAt(match.index);
    const next = text.charCodeAt(match.index + 1);
    const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    if (!pair) return demoronize(stripForbiddenChars(text));
    scan.lastIndex = match.index + 2;
  }
  return text;
}

/** The numeric reference to emit for a code point a document referenced, or '' when XML forbids it. */
function numericReference(code: number): string {
  // `&#150;` and friends mean windows-1252 characters in practice (HTML does the same remapping).
  const mapped = windows1252CodePoint(code);
  return isXmlChar(mapped) ? `&#${mapped};` : '';
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * How many characters the references to declared entities may add to a
 * document, at least: a 1 KiB value referenced in four bytes grows a feed
 * 250-fold, so a few megabytes of `&a;` would otherwise become gigabytes.
 * Real feeds use such entities for a prefix or a name, a few times over.
 */
const MIN_EXPANSION_BUDGET = 1 << 20;

/** A reference rewritten into one strict XML reads the same way a lenient reader would. */
function referenceRepairer(entities: ReadonlyMap<string, string>, documentLength: number) {
  // The document may at most double, or grow by the minimum budget when it is small.
  const allowance = Math.max(MIN_EXPANSION_BUDGET, documentLength);
  let budget = allowance;
  // Each declared value as it is written in place of its references, worked out once.
  const expansions = new Map<string, string>();
  return (whole: string, hex?: string, dec?: string, name?: string): string => {
    if (hex !== undefined) return numericReference(Number.parseInt(hex, 16));
    if (dec !== undefined) return numericReference(Number(dec));
    if (name !== undefined) {
      if (XML_NAMED.has(name)) return whole;
      const declared = entities.get(name);
      if (declared !== undefined) {
        let text = expansions.get(name);
        if (text === undefined) expansions.set(name, (text = escapeText(stripForbiddenChars(declared))));
        budget -= text.length;
        if (budget < 0) {
          throw new ParseError('parse_error', `rss: unable to parse feed: references to the entity "${name}" declared in the DOCTYPE would grow the document past ${documentLength + allowance} characters`);
        }
        return text;
      }
      const code = HTML_ENTITIES.get(name);
      // An unknown name is most likely text such as `?a=1&b;`: keep it, escaped.
      return code === undefined ? `&amp;${whole.slice(1)}` : `&#${code};`;
    }
    return '&amp;';
  };
}

/**
 * What the reference repair looks at: sections it leaves alone, and each `&`
 * except those starting one of the five predefined references (kept as
 * written, and the bulk of escaped HTML: skipped inside the regex engine).
 */
const REFERENCE_SCAN = /<!\[CDATA\[|<!--|<\?|&(?!(?:amp|lt|gt|quot|apos);)|<(?![A-Za-z_:!?/\u0080-\uFFFF])/g;

/**
 * A `<` that cannot begin markup (`x < y`, `<3`, `a <= b`; not one before a
 * letter, where a tag may be meant): well-formed XML has none, so escaping
 * it changes no document a strict parser accepts, and a feed with one such
 * title is read instead of failing whole.
 */
const STRAY_LESS_THAN = /<(?![A-Za-z_:!?/\u0080-\uFFFF])/g;

/** A decimal reference without leading zeros. */
const DECIMAL_REFERENCE = /&#([1-9]\d{0,6});/y;

/**
 * True when the `&` at `at` starts a decimal reference that repairReferences
 * leaves exactly as written: no leading zeros, to an allowed character
 * outside U+0080–U+009F (those are remapped, and may belong to UTF-8 spelled
 * out byte by byte).
 */
function keptAsWritten(text: string, at: number): boolean {
  DECIMAL_REFERENCE.lastIndex = at;
  const match = DECIMAL_REFERENCE.exec(text);
  if (match === null) return false;
  const code = Number(match[1]);
  return (code < 0x80 || code > 0x9f) && isXmlChar(code);
}

/**
 * Whether repairReferences would change anything: some `&` outside CDATA
 * sections, comments and processing instructions that is not kept as
 * written. One scan, no copy; most feeds need no reference repair at all.
 */
export function needsReferenceRepair(text: string): boolean {
  const scan = new RegExp(REFERENCE_SCAN.source, 'g');
  for (let match = scan.exec(text); match !== null; match = scan.exec(text)) {
    if (match[0] === '<') return true;
    if (match[0] === '&') {
      if (!keptAsWritten(text, match.index)) return true;
      continue;
    }
    const terminator = VERBATIM_END[match[0]] ?? '';
    const close = text.indexOf(terminator, match.index + match[0].length);
    // An unterminated section runs to the end of the document, untouched.
    if (close < 0) return false;
    scan.lastIndex = close + terminator.length;
  }
  return false;
}

/**
 * Escapes bare `&`, rewrites HTML named references (`&nbsp;`, `&mdash;`…) to
 * numeric ones, replaces references to entities the document's internal DTD
 * subset declares with their text, undoes UTF-8 spelled out byte by byte in
 * numeric references, and drops numeric references to forbidden characters;
 * all outside CDATA sections, comments and processing instructions.
 */
export function repairReferences(text: string, entities: ReadonlyMap<string, string> = new Map()): string {
  const repair = referenceRepairer(entities, text.length);
  const repairSegment = (segment: string): string =>
    repairDoubleEncodedReferences(segment).replace(AMPERSAND, repair).replace(STRAY_LESS_THAN, '&lt;');
  let out = '';
  let last = 0;
  const opener = new RegExp(VERBATIM_OPENER.source, 'g');
  for (let match = opener.exec(text); match !== null; match = opener.exec(text)) {
    const close = text.indexOf(VERBATIM_END[match[0]] ?? '', match.index + match[0].length);
    // An unterminated section runs to the end (the parser will reject it anyway).
    const end = close < 0 ? text.length : close + (VERBATIM_END[match[0]]?.length ?? 0);
    out += repairSegment(text.slice(last, match.index)) + text.slice(match.index, end);
    last = end;
    opener.lastIndex = end;
  }
  return out + repairSegment(text.slice(last));
}

/**
 * Drops anything before the document proper: whitespace, stray bytes or a
 * server warning before `<?xml`, or before the first tag when there is no
 * XML declaration.
 */
export function stripLeadingJunk(text: string): string {
  const declaration = text.indexOf('<?xml');
  if (declaration === 0) return text;
  // Junk may itself be markup (a PHP warning in <b>…</b>), so cut at the declaration unless a feed root precedes it.
  const feedRoot = text.search(/<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>]/);
  if (declaration > 0 && (feedRoot < 0 || declaration < feedRoot)) return text.slice(declaration);
  const firstTag = text.search(/<[A-Za-z!?]/);
  if (firstTag < 0) return text;
  const prefix = text.slice(firstTag, Math.max(firstTag, feedRoot));
  // Elements before the feed root are junk too, unless this is an HTML page (which must stay one).
  if (feedRoot > firstTag && /<[A-Za-z]/.test(prefix) && !/<html[\s>]|<!DOCTYPE\s+html/i.test(prefix)) {
    return text.slice(feedRoot);
  }
  return text.slice(firstTag);
}

/**
 * Removes the encoding pseudo-attribute from the XML declaration: the text is
 * already decoded, so the declaration must not make anything decode it again.
 */
export function dropDeclaredEncoding(text: string): string {
  const start = /^\s*<\?xml\b/.exec(text);
  if (!start) return text;
  const end = text.indexOf('?>', start[0].length);
  if (end < 0 || end > 1024) return text;
  const original = text.slice(0, end);
  const declaration = original.replace(/\s+encoding\s*=\s*(?:"[^"]*"|'[^']*')/, '');
  // Rebuilding the text copies the whole document: only when there is an encoding to drop.
  return declaration === original ? text : declaration + text.slice(end);
}

/** Drops non-markup text after the root element's end tag (server-appended junk). */
export function stripTrailingJunk(text: string, rootName: string): string {
  const close = text.lastIndexOf(`</${rootName}`);
  if (close < 0) return text;
  const end = text.indexOf('>', close);
  if (end < 0) return text;
  return onlyMiscAfter(text, end + 1) ? text : text.slice(0, end + 1);
}

/** True when nothing but whitespace, comments and processing instructions follows `from`. */
function onlyMiscAfter(text: string, from: number): boolean {
  let at = from;
  while (at < text.length) {
    const ch = text[at] ?? '';
    if (/\s/.test(ch)) {
      at++;
      continue;
    }
    const terminator = text.startsWith('<!--', at) ? '-->' : text.startsWith('<?', at) ? '?>' : null;
    const close = terminator === null ? -1 : text.indexOf(terminator, at + 2);
    if (terminator === null || close < 0) return false;
    at = close + terminator.length;
  }
  return true;
}

/**
 * All text-level repairs that do not need to know the document's structure.
 * The XML declaration is left as it is: sax reads a string and ignores its
 * encoding (decode.ts already drops it from text it decoded from another
 * charset), and rewriting it would copy the whole document.
 */
export function repairXmlText(text: string): string {
  const cleaned = stripLeadingJunk(repairCharacters(text));
  return needsReferenceRepair(cleaned) ? repairReferences(cleaned, internalEntities(cleaned)) : cleaned;
}
