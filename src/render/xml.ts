/**
 * A small XML tree for short documents (the alerts feed, OPML): build
 * elements, then serialize them through the streaming XmlWriter, so the
 * layout and all escaping are the same as in the big feeds. The feeds
 * themselves write straight into an XmlWriter without a tree.
 */
import { XmlWriter, type XmlAttrValue, type XmlDocumentOptions } from './xml-writer.js';

export { cdataSection, escapeXmlAttr, escapeXmlText, stripInvalidXmlChars } from './xml-escape.js';
export type { XmlAttrValue, XmlDocumentOptions } from './xml-writer.js';

/** A node of the tree: an element, character data, or a CDATA section. */
export type XmlNode =
  | { kind: 'element'; name: string; attrs: Array<[string, string]>; children: XmlNode[] }
  | { kind: 'text'; value: string }
  | { kind: 'cdata'; value: string };

/** A child slot: falsy values are skipped so optional elements read naturally at call sites. */
export type XmlChild = XmlNode | string | null | undefined | false;

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

function writeNode(node: XmlNode, writer: XmlWriter): void {
  if (node.kind !== 'element') {
    writer.chars(node.value, node.kind === 'cdata');
    return;
  }
  const attrs = Object.fromEntries(node.attrs);
  const chars = node.children.filter((child): child is Exclude<XmlNode, { kind: 'element' }> => child.kind !== 'element');
  if (chars.length === node.children.length) {
    writer.leaf(node.name, attrs, chars.map((child) => ({ cdata: child.kind === 'cdata', value: child.value })));
    return;
  }
  writer.open(node.name, attrs);
  for (const child of node.children) writeNode(child, writer);
  writer.close();
}

/** Serializes a document: XML declaration, optional stylesheet PI, then the root element. */
export function serializeXmlDocument(root: XmlNode, options: XmlDocumentOptions = {}): string {
  const writer = new XmlWriter(options);
  writeNode(root, writer);
  return writer.finish();
}
