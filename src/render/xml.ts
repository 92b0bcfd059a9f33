/**
 * A small XML writer for the feed renderers: build a tree of elements, then
 * serialize it as well-formed UTF-8 XML 1.0. Every string that reaches the
 * output goes through here, so escaping, stripping of characters XML 1.0
 * forbids, and CDATA splitting live in one place and cannot be forgotten.
 */

/** Characters XML 1.0 (§2.2 Char) does not allow anywhere, lone surrogates included. */
const FORBIDDEN_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** An attribute value; `null`/`undefined` means "leave the attribute out". */
export type XmlAttrValue = string | number | null | undefined;

/** A node of the tree the renderers build: an element, character data, or a CDATA section. */
export type XmlNode =
  | { kind: 'element'; name: string; attrs: Array<[string, string]>; children: XmlNode[] }
  | { kind: 'text'; value: string }
  | { kind: 'cdata'; value: string };

/** A child slot: falsy values are skipped so optional elements read naturally at call sites. */
export type XmlChild = XmlNode | string | null | undefined | false;

/**
 * Anything that might be forbidden, as a plain UTF-16 class: far cheaper to scan
 * than the exact Unicode-aware pattern, which only runs when this matches (any
 * control character, or any surrogate, paired ones such as emoji included).
 */
const MAYBE_FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Removes every character XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF). */
export function stripInvalidXmlChars(value: string): string {
  return MAYBE_FORBIDDEN.test(value) ? value.replace(FORBIDDEN_XML_CHARS, '') : value;
}

/** Escapes character data. `>` is escaped too so `]]>` can never appear in text. */
export function escapeXmlText(value: string): string {
  return stripInvalidXmlChars(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes an attribute value for double quotes. Tab and line breaks become
 * character references because a parser would otherwise normalize them to spaces.
 */
export function escapeXmlAttr(value: string): string {
  return escapeXmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** Wraps text in CDATA; a `]]>` inside is split across two sections so it survives a parse exactly. */
export function cdataSection(value: string): string {
  return `<![CDATA[${stripInvalidXmlChars(value).split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** An element. Attributes whose value is null/undefined are omitted. */
export function el(name: string, attrs: Record<string, XmlAttrValue> | null, ...children: XmlChild[]): XmlNode {
  const kept: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value !== null && value !== undefined) kept.push([key, String(value)]);
  }
  const nodes: XmlNode[] = [];
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    nodes.push(typeof child === 'string' ? { kind: 'text', value: child } : child);
  }
  return { kind: 'element', name, attrs: kept, children: nodes };
}

/** An element holding only text; `null` text means "no element" so optional fields stay one-liners. */
export function textEl(name: string, value: string | null | undefined, attrs?: Record<string, XmlAttrValue>): XmlNode | null {
  if (value === null || value === undefined) return null;
  return el(name, attrs ?? null, { kind: 'text', value });
}

/** A CDATA child node. */
export function cdata(value: string): XmlNode {
  return { kind: 'cdata', value };
}

/**
 * Namespace prefixes used by element and attribute names anywhere in the tree
 * (`xml` and `xmlns` excluded: they are never declared). Renderers declare
 * exactly these on the root, so no unused namespace is ever emitted.
 */
export function usedPrefixes(node: XmlNode, into: Set<string> = new Set()): Set<string> {
  if (node.kind !== 'element') return into;
  const names = [node.name, ...node.attrs.map(([key]) => key)];
  for (const name of names) {
    const colon = name.indexOf(':');
    if (colon <= 0) continue;
    const prefix = name.slice(0, colon);
    if (prefix !== 'xml' && prefix !== 'xmlns') into.add(prefix);
  }
  for (const child of node.children) usedPrefixes(child, into);
  return into;
}

/**
 * Adds `xmlns:prefix` declarations to `root` for every prefix the tree uses.
 * Throws on a prefix missing from `known`: that is a renderer bug, and the
 * output would not be namespace-well-formed.
 */
export function declareNamespaces(root: XmlNode, known: Readonly<Record<string, string>>): XmlNode {
  if (root.kind !== 'element') return root;
  const declarations: Array<[string, string]> = [];
  for (const prefix of [...usedPrefixes(root)].sort()) {
    const uri = known[prefix];
    if (uri === undefined) throw new Error(`render: namespace prefix "${prefix}" is used but unknown`);
    declarations.push([`xmlns:${prefix}`, uri]);
  }
  return { ...root, attrs: [...root.attrs, ...declarations] };
}

function serializeAttrs(attrs: Array<[string, string]>): string {
  return attrs.map(([key, value]) => ` ${key}="${escapeXmlAttr(value)}"`).join('');
}

function serializeNode(node: XmlNode, depth: number, out: string[]): void {
  if (node.kind === 'text') {
    out.push(escapeXmlText(node.value));
    return;
  }
  if (node.kind === 'cdata') {
    out.push(cdataSection(node.value));
    return;
  }
  const indent = '  '.repeat(depth);
  const open = `${indent}<${node.name}${serializeAttrs(node.attrs)}`;
  if (node.children.length === 0) {
    out.push(`${open}/>\n`);
    return;
  }
  // Elements with character content are written on one line: indenting them
  // would add whitespace to the value.
  if (node.children.every((child) => child.kind !== 'element')) {
    out.push(`${open}>`);
    for (const child of node.children) serializeNode(child, 0, out);
    out.push(`</${node.name}>\n`);
    return;
  }
  out.push(`${open}>\n`);
  for (const child of node.children) serializeNode(child, depth + 1, out);
  out.push(`${indent}</${node.name}>\n`);
}

/** Options for {@link serializeXmlDocument}. */
export interface XmlDocumentOptions {
  /** An XSL stylesheet to reference with an `xml-stylesheet` processing instruction. */
  stylesheetHref?: string | null;
}

/** Serializes a document: XML declaration, optional stylesheet PI, then the root element. */
export function serializeXmlDocument(root: XmlNode, options: XmlDocumentOptions = {}): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  if (options.stylesheetHref) {
    // Pseudo-attributes of xml-stylesheet accept the predefined entities, and
    // escaping `>` rules out a premature `?>`.
    out.push(`<?xml-stylesheet type="text/xsl" href="${escapeXmlAttr(options.stylesheetHref)}"?>\n`);
  }
  serializeNode(root, 0, out);
  return out.join('');
}
