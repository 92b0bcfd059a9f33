/**
 * A streaming XML writer: elements are written straight into string parts
 * (an OutputBuffer), joined at the end. The feed renderers write thousands of
 * items through it, so no tree is built and every value is escaped exactly
 * once, where it is written. The layout is fixed: one element per line,
 * indented two spaces per level, and elements holding character data on one
 * line (indenting those would add whitespace to the value).
 *
 * Namespace prefixes are collected as elements and attributes are written,
 * and the root element declares exactly those it was given and the document
 * used, so no unused namespace is ever emitted.
 */
import { OutputBuffer } from './output-buffer.js';
import { cdataBody, cdataBodyPieces, escapeXmlAttr, escapeXmlText, escapeXmlTextPieces } from './xml-escape.js';

/** An attribute value; `null`/`undefined` means "leave the attribute out". */
export type XmlAttrValue = string | number | null | undefined;

/** Attributes in the order written; a null map means none. */
export type XmlAttrs = Readonly<Record<string, XmlAttrValue>> | null | undefined;

/** Options for a whole document. */
export interface XmlDocumentOptions {
  /** An XSL stylesheet to reference with an `xml-stylesheet` processing instruction. */
  stylesheetHref?: string | null;
}

const INDENTS: string[] = [''];

function indentOf(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push('  '.repeat(INDENTS.length));
  return INDENTS[depth] ?? '';
}

/**
 * The fixed strings of one element name at one depth, built once: the join
 * at the end costs per part, so a tag without attributes is one part.
 */
interface TagStrings {
  /** `<name` after the indent, for a tag with attributes to follow. */
  start: string;
  /** `<name>` after the indent: opens an element holding character data. */
  open: string;
  /** `<name>` after the indent and a line break: opens an element holding elements. */
  openLine: string;
  /** `</name>` and a line break, after character data. */
  end: string;
  /** `</name>` after the indent and a line break: closes an element holding elements. */
  closeLine: string;
}

function tagStrings(name: string, depth: number): TagStrings {
  const indent = indentOf(depth);
  return {
    start: `${indent}<${name}`,
    open: `${indent}<${name}>`,
    openLine: `${indent}<${name}>\n`,
    end: `</${name}>\n`,
    closeLine: `${indent}</${name}>\n`,
  };
}

/**
 * Writes one XML document; see the module comment. Call {@link XmlWriter.finish}
 * once at the end.
 *
 * Markup is pushed as many small pieces rather than concatenated: tag names,
 * indents and attribute names come from caches, and values go in as the
 * strings they already are, so rendering ten thousand items allocates little
 * beyond the escaped values themselves, and the garbage collector has few
 * objects to move while the document grows.
 */
export class XmlWriter {
  readonly #out = new OutputBuffer();
  readonly #open: string[] = [];
  readonly #prefixes = new Set<string>();
  /** The fixed strings of each element name, by name, then by depth. */
  readonly #tags = new Map<string, TagStrings[]>();
  /** ` name="` (first attribute) and `" name="` (the ones after), by attribute name. */
  readonly #attrStarts = new Map<string, readonly [string, string]>();
  /** The document up to the root element's namespace declarations, once the root is open. */
  #head: string | null = null;
  #namespaces: Readonly<Record<string, string>> | null = null;

  constructor(options: XmlDocumentOptions = {}) {
    this.#out.parts.push('<?xml version="1.0" encoding="UTF-8"?>\n');
    if (options.stylesheetHref) {
      // Pseudo-attributes of xml-stylesheet accept the predefined entities, and
      // escaping `>` rules out a premature `?>`.
      this.#out.parts.push(`<?xml-stylesheet type="text/xsl" href="${escapeXmlAttr(options.stylesheetHref)}"?>\n`);
    }
  }

  #notePrefix(name: string): void {
    const colon = name.indexOf(':');
    if (colon <= 0) return;
    const prefix = name.slice(0, colon);
    if (prefix !== 'xml' && prefix !== 'xmlns') this.#prefixes.add(prefix);
  }

  /** The fixed strings of `name` at the current depth. */
  #tag(name: string): TagStrings {
    const depth = this.#open.length;
    let byDepth = this.#tags.get(name);
    if (byDepth === undefined) {
      this.#notePrefix(name);
      byDepth = [];
      this.#tags.set(name, byDepth);
    }
    return (byDepth[depth] ??= tagStrings(name, depth));
  }

  /**
   * Pushes the start of a tag (`<name` and the attributes), leaving it for the
   * caller to end; returns the ending's prefix: `"` when the last attribute's
   * quote is still open (it is merged into the ending), else nothing.
   */
  #startTag(tag: TagStrings, attrs: XmlAttrs): '"' | '' {
    const parts = this.#out.parts;
    parts.push(tag.start);
    let quote: '"' | '' = '';
    for (const key in attrs) {
      const value = attrs[key];
      if (value === null || value === undefined) continue;
      let starts = this.#attrStarts.get(key);
      if (starts === undefined) {
        this.#notePrefix(key);
        starts = [` ${key}="`, `" ${key}="`];
        this.#attrStarts.set(key, starts);
      }
      parts.push(starts[quote === '' ? 0 : 1], escapeXmlAttr(typeof value === 'string' ? value : String(value)));
      quote = '"';
    }
    return quote;
  }

  /**
   * Opens the document element. Its namespace declarations (`xmlns:p`, sorted)
   * are filled in by {@link finish} for every prefix the document used;
   * `namespaces` maps each prefix the renderer may use to its URI.
   */
  root(name: string, attrs: XmlAttrs, namespaces: Readonly<Record<string, string>> | null = null): this {
    const quote = this.#startTag(this.#tag(name), attrs);
    this.#out.parts.push(quote);
    this.#head = this.#out.take();
    this.#namespaces = namespaces;
    this.#out.parts.push('>\n');
    this.#open.push(name);
    return this;
  }

  /** Opens an element whose children are elements. */
  open(name: string, attrs: XmlAttrs = null): this {
    const tag = this.#tag(name);
    if (attrs) this.#out.parts.push(this.#startTag(tag, attrs) === '"' ? '">\n' : '>\n');
    else this.#out.parts.push(tag.openLine);
    this.#open.push(name);
    return this;
  }

  /** Closes the innermost open element; between two items, the output may be joined into a chunk (see OutputBuffer). */
  close(): this {
    const name = this.#open.pop();
    if (name === undefined) throw new Error('render: XmlWriter.close() with no open element');
    this.#out.parts.push(this.#tag(name).closeLine);
    this.#out.settle();
    return this;
  }

  /** An element with no content, written `<name/>`. */
  empty(name: string, attrs: XmlAttrs = null): this {
    this.#out.parts.push(this.#startTag(this.#tag(name), attrs) === '"' ? '"/>\n' : '/>\n');
    return this;
  }

  /** Pushes the start tag of an element holding character data, through its `>`. */
  #openLeaf(tag: TagStrings, attrs: XmlAttrs): void {
    if (attrs) this.#out.parts.push(this.#startTag(tag, attrs) === '"' ? '">' : '>');
    else this.#out.parts.push(tag.open);
  }

  /** An element holding text; nothing at all when `value` is null or undefined. */
  text(name: string, value: string | null | undefined, attrs: XmlAttrs = null): this {
    if (value === null || value === undefined) return this;
    const tag = this.#tag(name);
    this.#openLeaf(tag, attrs);
    this.#out.pushEscaped(escapeXmlText(value), value);
    this.#out.parts.push(tag.end);
    return this;
  }

  /** An element holding the values as one text, each escaped where it stands (see escapeXmlTextPieces). */
  textOf(name: string, values: readonly string[], attrs: XmlAttrs = null): this {
    const tag = this.#tag(name);
    this.#openLeaf(tag, attrs);
    this.#pushAll(escapeXmlTextPieces(values), values);
    this.#out.parts.push(tag.end);
    return this;
  }

  /** An element holding one CDATA section with the values as one text. */
  cdata(name: string, values: readonly string[], attrs: XmlAttrs = null): this {
    const tag = this.#tag(name);
    this.#openLeaf(tag, attrs);
    this.#out.parts.push('<![CDATA[');
    this.#pushAll(cdataBodyPieces(values), values);
    this.#out.parts.push(']]>', tag.end);
    return this;
  }

  /** Pushes escaped values; when they were joined first, all of it counts as a copy. */
  #pushAll(escaped: readonly string[], values: readonly string[]): void {
    for (const [i, part] of escaped.entries()) this.#out.pushEscaped(part, escaped.length === values.length ? (values[i] ?? '') : '');
  }

  /**
   * Character data at the current position, escaped (or one CDATA section):
   * the tree writer in xml.ts uses it for text between child elements.
   */
  chars(value: string, cdata = false): this {
    if (cdata) {
      this.#out.parts.push('<![CDATA[');
      this.#out.pushEscaped(cdataBody(value), value);
      this.#out.parts.push(']]>');
    } else {
      this.#out.pushEscaped(escapeXmlText(value), value);
    }
    return this;
  }

  /**
   * An element holding a mix of text and CDATA children, each escaped on its
   * own: the general form behind the tree writer in xml.ts. No children writes
   * the element empty.
   */
  leaf(name: string, attrs: XmlAttrs, children: ReadonlyArray<{ cdata: boolean; value: string }>): this {
    if (children.length === 0) return this.empty(name, attrs);
    const tag = this.#tag(name);
    this.#openLeaf(tag, attrs);
    for (const child of children) this.chars(child.value, child.cdata);
    this.#out.parts.push(tag.end);
    return this;
  }

  /**
   * Closes every open element and returns the document. Throws when the
   * document used a prefix the root was not given: that is a renderer bug, and
   * the output would not be namespace-well-formed.
   */
  finish(): string {
    while (this.#open.length > 0) this.close();
    if (this.#head === null) return this.#out.finish();
    let declarations = '';
    if (this.#namespaces !== null) {
      for (const prefix of [...this.#prefixes].sort()) {
        const uri = this.#namespaces[prefix];
        if (uri === undefined) throw new Error(`render: namespace prefix "${prefix}" is used but unknown`);
        declarations += ` xmlns:${prefix}="${escapeXmlAttr(uri)}"`;
      }
    }
    return this.#out.finish([this.#head, declarations]);
  }
}
