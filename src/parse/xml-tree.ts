/**
 * A one-pass reader for the well-formed XML nearly every feed is. It builds
 * the tree xml2js builds under rss-parser's options (element objects without
 * a prototype, text under `_`, attributes under `$`, children in arrays under
 * their names, an element with only text as that string), but it jumps from
 * one `<` or `&` to the next with indexOf instead of walking sax's
 * character-at-a-time state machine, which is most of what rss-parser costs.
 *
 * It reads only the subset where it knows sax (strict mode) and xml2js agree
 * with it. On anything else (a named reference other than XML's five, an
 * internal DTD subset, a construct sax would reject, an element whose name
 * collides with xml2js's own keys) it returns null and the caller runs
 * rss-parser, whose errors drive the recovery in xml-feed.ts. The tests hold
 * its trees to xml2js's, key order included.
 */
import type { NameMapper } from './names.js';
import { Decline, DECLINE, isSpace, readName, referenceText, skipSpace } from './xml-lexical.js';

/** An element as xml2js builds it: `_` text, `$` attributes, then child arrays by name. */
type Element = Record<string, unknown>;

interface Frame {
  element: Element;
  /** The name as written, which the end tag must repeat. */
  raw: string;
  /** The name the tree uses (after the document's prefix mapping). */
  name: string;
  text: string;
  /** A non-empty CDATA section was read: xml2js keeps the text even when it is only whitespace. */
  cdata: boolean;
  /** Attributes or child elements were added: the element cannot collapse to its text. */
  structured: boolean;
}

/** xml2js drops text matching this (JavaScript's \s, wider than XML's whitespace) unless it came from CDATA. */
const BLANK = /^\s*$/;

/** Names xml2js uses for its own keys, or that a plain-object attribute map would not keep: not read here. */
const RESERVED = new Set(['_', '$', 'cdata', '#name', '__proto__']);

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

/** One document's reading state. */
class TreeReader {
  private at = 0;
  private readonly stack: Frame[] = [];
  private result: Element | null = null;
  /** Offset of the next `&` at or after the last range read (-1: none left; -2: not searched yet). */
  private amp = -2;

  constructor(
    private readonly xml: string,
    private readonly names: NameMapper | null,
  ) {}

  read(): Element | null {
    const xml = this.xml;
    this.at = this.skipProlog();
    while (this.result === null) {
      const next = xml.charCodeAt(this.at + 1);
      if (next === SLASH) this.endTag();
      else if (next === BANG) this.markupDeclaration();
      else if (next === QUESTION) this.processingInstruction();
      else this.startTag();
      if (this.result !== null) break;
      const lt = xml.indexOf('<', this.at);
      // The root is still open where the document ends: sax reports it, and recovery needs that report.
      if (lt < 0) throw DECLINE;
      if (lt > this.at) this.text(lt);
      this.at = lt;
    }
    return this.result;
  }

  /** Whitespace, the XML declaration, comments and a DOCTYPE without internal subset, up to the root's `<`. */
  private skipProlog(): number {
    const xml = this.xml;
    let at = skipSpace(xml, 0);
    while (xml.charCodeAt(at) === LT) {
      const next = xml.charCodeAt(at + 1);
      if (next === QUESTION) at = this.pastTerminator(at + 2, '?>');
      else if (xml.startsWith('<!--', at)) at = this.pastComment(at);
      else if (xml.startsWith('<!DOCTYPE', at)) {
        const end = xml.indexOf('>', at);
        const declaration = end < 0 ? '' : xml.slice(at, end);
        if (end < 0 || declaration.includes('[') || declaration.split('"').length % 2 === 0) throw DECLINE;
        at = end + 1;
      } else if (next === BANG) throw DECLINE;
      else return at;
      at = skipSpace(xml, at);
    }
    throw DECLINE;
  }

  private pastTerminator(from: number, terminator: string): number {
    const end = this.xml.indexOf(terminator, from);
    if (end < 0) throw DECLINE;
    return end + terminator.length;
  }

  /** sax rejects `--` inside a comment, and a comment ending in `--->`. */
  private pastComment(at: number): number {
    const end = this.xml.indexOf('-->', at + 4);
    if (end < 0) throw DECLINE;
    const body = this.xml.slice(at + 4, end);
    if (body.includes('--') || body.endsWith('-')) throw DECLINE;
    return end + 3;
  }

  private text(to: number): void {
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) throw DECLINE;
    frame.text += this.decoded(this.at, to);
  }

  /**
   * xml[from, to) with its references replaced. Ranges come in document
   * order, so one remembered offset of the next `&` keeps the search linear
   * in the document rather than in each range.
   */
  private decoded(from: number, to: number): string {
    const xml = this.xml;
    if (this.amp !== -1 && this.amp < from) this.amp = xml.indexOf('&', from);
    if (this.amp < 0 || this.amp >= to) return xml.slice(from, to);
    let out = '';
    let last = from;
    while (this.amp >= 0 && this.amp < to) {
      const semicolon = xml.indexOf(';', this.amp + 1);
      if (semicolon < 0 || semicolon >= to) throw DECLINE;
      out += xml.slice(last, this.amp) + referenceText(xml.slice(this.amp + 1, semicolon));
      last = semicolon + 1;
      this.amp = xml.indexOf('&', last);
    }
    return out + xml.slice(last, to);
  }

  private markupDeclaration(): void {
    const xml = this.xml;
    const frame = this.stack[this.stack.length - 1];
    if (frame === undefined) throw DECLINE;
    if (xml.startsWith('<!--', this.at)) {
      this.at = this.pastComment(this.at);
    } else if (xml.startsWith('<![CDATA[', this.at)) {
      const end = xml.indexOf(']]>', this.at + 9);
      if (end < 0) throw DECLINE;
      // sax reports an empty section as nothing at all, so it does not mark the element as CDATA.
      if (end > this.at + 9) {
        frame.text += xml.slice(this.at + 9, end);
        frame.cdata = true;
      }
      this.at = end + 3;
    } else {
      throw DECLINE;
    }
  }

  private processingInstruction(): void {
    if (this.stack.length === 0) throw DECLINE;
    this.at = this.pastTerminator(this.at + 2, '?>');
  }

  private mappedName(raw: string, map: ((name: string) => string) | undefined): string {
    const name = map === undefined ? raw : map(raw);
    if (RESERVED.has(name) || RESERVED.has(raw)) throw DECLINE;
    return name;
  }

  private startTag(): void {
    const xml = this.xml;
    const raw = readName(xml, this.at + 1);
    const name = this.mappedName(raw, this.names?.element);
    const element: Element = Object.create(null);
    element['_'] = '';
    let attributes: Element | null = null;
    let at = this.at + 1 + raw.length;
    for (;;) {
      const before = at;
      at = skipSpace(xml, at);
      const code = xml.charCodeAt(at);
      if (code === GT) {
        at++;
        break;
      }
      if (code === SLASH) {
        if (xml.charCodeAt(at + 1) !== GT) throw DECLINE;
        this.at = at + 2;
        this.close({ element, raw, name, text: '', cdata: false, structured: attributes !== null });
        return;
      }
      // sax requires whitespace between the name and each attribute.
      if (at === before) throw DECLINE;
      const rawAttribute = readName(xml, at);
      const attribute = this.mappedName(rawAttribute, this.names?.attribute);
      at = skipSpace(xml, at + rawAttribute.length);
      if (xml.charCodeAt(at) !== EQUALS) throw DECLINE;
      at = skipSpace(xml, at + 1);
      const quote = xml.charCodeAt(at);
      if (quote !== QUOTE && quote !== APOSTROPHE) throw DECLINE;
      const end = xml.indexOf(quote === QUOTE ? '"' : "'", at + 1);
      if (end < 0) throw DECLINE;
      const value = this.decoded(at + 1, end);
      if (attributes === null) {
        attributes = Object.create(null) as Element;
        element['$'] = attributes;
      } else if (rawAttribute in attributes || (this.names !== null && attribute in attributes)) {
        // sax keeps the first of two equal names; a mapped pair may collide too: leave both cases to sax.
        throw DECLINE;
      }
      attributes[attribute] = value;
      at = end + 1;
      const after = xml.charCodeAt(at);
      if (!isSpace(after) && after !== GT && after !== SLASH) throw DECLINE;
    }
    this.at = at;
    this.stack.push({ element, raw, name, text: '', cdata: false, structured: attributes !== null });
  }

  private endTag(): void {
    const xml = this.xml;
    const raw = readName(xml, this.at + 2);
    const at = skipSpace(xml, this.at + 2 + raw.length);
    if (xml.charCodeAt(at) !== GT) throw DECLINE;
    const frame = this.stack.pop();
    if (frame === undefined || frame.raw !== raw) throw DECLINE;
    this.at = at + 1;
    this.close(frame);
  }

  /** xml2js's closing rules: blank text dropped, a text-only element becomes its text, an empty one its blank text. */
  private close(frame: Frame): void {
    const { element, text } = frame;
    let node: unknown = element;
    if (!frame.cdata && BLANK.test(text)) {
      delete element['_'];
      if (!frame.structured) node = text;
    } else {
      element['_'] = text;
      if (!frame.structured) node = text;
    }
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) {
      const root: Element = Object.create(null);
      root[frame.name] = node;
      this.result = root;
      return;
    }
    parent.structured = true;
    const siblings = parent.element[frame.name] as unknown[] | undefined;
    if (siblings === undefined) parent.element[frame.name] = [node];
    else siblings.push(node);
  }
}

/**
 * The xml2js tree of a well-formed document (`{ [rootName]: root }`), with
 * names mapped as rss-parser's xml2js name processors would map them, or null
 * when the document is outside what this reader handles (then rss-parser
 * must read it).
 */
export function readXmlTree(xml: string, names: NameMapper | null = null): Record<string, unknown> | null {
  try {
    return new TreeReader(xml, names !== null && names.renames ? names : null).read();
  } catch (error) {
    if (error instanceof Decline) return null;
    throw error;
  }
}
