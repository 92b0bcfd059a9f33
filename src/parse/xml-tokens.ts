/**
 * A light, forgiving XML tag tokenizer: yields start and end tags with their
 * offsets in document order and skips comments, CDATA, processing instructions
 * and the DOCTYPE. It exists to recover what xml2js does not expose (xml:base,
 * namespace declarations, raw inner markup, where items end); it never
 * validates, and stops quietly at the first construct it cannot finish.
 */
import { HTML_ENTITIES } from './html-entities.js';

export interface StartTag {
  kind: 'start';
  name: string;
  /** The attributes as written; parse with parseAttributes (only when needed: most tags are never asked). */
  attrSource: string;
  selfClosing: boolean;
  /** Offset of `<`. */
  start: number;
  /** Offset just past `>`. */
  end: number;
}

export interface EndTag {
  kind: 'end';
  name: string;
  start: number;
  end: number;
}

export interface Doctype {
  kind: 'doctype';
  /** The name right after `<!DOCTYPE` (e.g. `html`). */
  name: string;
  start: number;
  end: number;
}

export type XmlToken = StartTag | EndTag | Doctype;

// No part of a tag may contain `<` (XML forbids it even in attribute values); excluding it keeps every
// attempt bounded by the next `<`, so a document full of unclosed tags costs linear time, not quadratic.
const START_TAG = /<([^\s/>!?<][^\s/><]*)((?:\s+[^\s=/><]+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'><]+))?)*)\s*(\/?)>/y;
const END_TAG = /<\/([^\s><]+)\s*>/y;
const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#(\d+)|([a-zA-Z][a-zA-Z0-9]*));/g;
// A Map, so that `&constructor;` is not found on Object.prototype.
const XML_NAMED: ReadonlyMap<string, string> = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]]);

/**
 * Decodes the five XML entities and numeric references in an attribute value;
 * with `html`, HTML's named references too. Other names stay as written.
 */
export function decodeXmlReferences(value: string, html = false): string {
  return value.replace(REFERENCE, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) {
      const htmlCode = html ? HTML_ENTITIES.get(name) : undefined;
      return XML_NAMED.get(name) ?? (htmlCode === undefined ? whole : String.fromCodePoint(htmlCode));
    }
    const code = hex ? Number.parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/**
 * Attribute name -> value (references decoded); the first of duplicated
 * names wins. With `html`, as an HTML tag's: names lower-cased and HTML's
 * named references decoded.
 */
export function parseAttributes(source: string, options: { html?: boolean } = {}): Record<string, string> {
  const html = options.html ?? false;
  const attrs: Record<string, string> = {};
  for (const match of source.matchAll(ATTR)) {
    const name = html ? match[1]?.toLowerCase() : match[1];
    if (name && !(name in attrs)) attrs[name] = decodeXmlReferences(match[2] ?? match[3] ?? match[4] ?? '', html);
  }
  return attrs;
}

/** Offset just past `terminator` searched from `from`, or -1 when the document ends first. */
function skipPast(text: string, from: number, terminator: string): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? -1 : at + terminator.length;
}

/** Skips `<!DOCTYPE …>` including an internal subset in brackets. */
function skipDoctype(text: string, from: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '>' && depth <= 0) return i + 1;
  }
  return -1;
}

/** Tags of `text` in document order. */
export function* xmlTokens(text: string): Generator<XmlToken> {
  let at = text.indexOf('<');
  while (at >= 0 && at < text.length) {
    let next: number;
    if (text.startsWith('<!--', at)) next = skipPast(text, at + 4, '-->');
    else if (text.startsWith('<![CDATA[', at)) next = skipPast(text, at + 9, ']]>');
    else if (text.startsWith('<?', at)) next = skipPast(text, at + 2, '?>');
    else if (text.startsWith('<!', at)) {
      next = skipDoctype(text, at + 2);
      const name = /^<!DOCTYPE\s+([^\s>[]+)/i.exec(text.slice(at, at + 200));
      if (next >= 0 && name?.[1]) yield { kind: 'doctype', name: name[1], start: at, end: next };
    } else if (text.startsWith('</', at)) {
      END_TAG.lastIndex = at;
      const match = END_TAG.exec(text);
      if (!match?.[1]) return;
      next = END_TAG.lastIndex;
      yield { kind: 'end', name: match[1], start: at, end: next };
    } else {
      START_TAG.lastIndex = at;
      const match = START_TAG.exec(text);
      if (!match?.[1]) {
        // A stray `<` in text (invalid, but the parser repair may not have caught it): skip it.
        next = at + 1;
      } else {
        next = START_TAG.lastIndex;
        yield {
          kind: 'start',
          name: match[1],
          attrSource: match[2] ?? '',
          selfClosing: match[3] === '/',
          start: at,
          end: next,
        };
      }
    }
    if (next < 0) return;
    at = text.indexOf('<', next);
  }
}
