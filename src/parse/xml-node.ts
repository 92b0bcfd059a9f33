/**
 * Typed, defensive access to the nodes xml2js builds (and rss-parser hands
 * back through customFields with keepArray): a node is a string (text-only
 * element), or an object with attributes under `$`, text under `_` and child
 * element arrays under their names. Nothing here trusts the shape.
 */
import type { ChildOutline, ContainerOutline } from './xml-outline.js';

/** One xml2js node (unknown until inspected). */
export type XmlNode = unknown;

/** Where a container's raw markup can be read, for content xml2js cannot keep in order. */
export interface RawSource {
  xml: string;
  outline: ContainerOutline | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child nodes named `name` of an element node (or of an rss-parser item via its custom field key). */
export function childNodes(node: XmlNode, name: string): XmlNode[] {
  if (!isRecord(node)) return [];
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

/** First child node named `name`, if any. */
export function firstChild(node: XmlNode, name: string): XmlNode | undefined {
  return childNodes(node, name)[0];
}

/** An attribute of an element node, or null. */
export function attr(node: XmlNode, name: string): string | null {
  if (!isRecord(node)) return null;
  const attrs = node['$'];
  if (!isRecord(attrs)) return null;
  const value = attrs[name];
  return typeof value === 'string' ? value : null;
}

/** True when the node holds child elements (markup xml2js split apart, or structure such as Atom author). */
export function hasElementChildren(node: XmlNode): boolean {
  return isRecord(node) && Object.keys(node).some((key) => key !== '$' && key !== '_');
}

/** Direct text of a node (CDATA included), or null when it has none. */
export function ownText(node: XmlNode): string | null {
  if (typeof node === 'string') return node;
  if (isRecord(node) && typeof node['_'] === 'string') return node['_'];
  return null;
}

/** Trimmed text, or null when empty. */
export function cleanText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Trimmed direct text of a node, null when empty. */
export function textOf(node: XmlNode): string | null {
  return cleanText(ownText(node));
}

/** Text of the first child named `name` that has any. */
export function firstText(node: XmlNode, ...names: string[]): string | null {
  for (const name of names) {
    for (const child of childNodes(node, name)) {
      const text = textOf(child);
      if (text !== null) return text;
    }
  }
  return null;
}

/** All non-empty texts of children named `name`, in order. */
export function allTexts(node: XmlNode, name: string): string[] {
  return childNodes(node, name)
    .map(textOf)
    .filter((text): text is string => text !== null);
}

/** The outline of the `index`-th child named `name` of a container, when the scanner saw it. */
export function childOutline(source: RawSource, name: string, index: number): ChildOutline | null {
  return source.outline?.children.get(name)?.[index] ?? null;
}

/** CDATA sections inside raw markup turned into escaped text, so the markup reads as HTML. */
function flattenCdata(markup: string): string {
  return markup.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_whole, inner: string) =>
    inner.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}

/** Raw inner markup of the `index`-th child named `name`, exactly as in the document (CDATA flattened). */
export function rawInner(source: RawSource, name: string, index: number): string | null {
  const child = childOutline(source, name, index);
  if (!child || child.innerEnd < child.innerStart) return null;
  return cleanText(flattenCdata(source.xml.slice(child.innerStart, child.innerEnd)));
}

/** Non-negative number from an attribute or text, null when absent or not a number. */
export function toNumber(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const number = Number(value.trim());
  return Number.isFinite(number) && number >= 0 ? number : null;
}
