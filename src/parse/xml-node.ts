/**
 * Typed, defensive access to the nodes xml2js builds (and rss-parser hands
 * back through customFields with keepArray): a node is a string (text-only
 * element), or an object with attributes under `$`, text under `_` and child
 * element arrays under their names. Nothing here trusts the shape.
 */
import type { ChildOutline, ContainerOutline } from './xml-outline.js';

/** One xml2js node (unknown until inspected). */
export type XmlNode = unknown;

/** Where a container's raw markup and xml:base can be read (what xml2js does not keep). */
export interface RawSource {
  xml: string;
  /** The container's outline; the first call may scan the whole document (document-outline.ts). */
  outline(): ContainerOutline | null;
  /** False when the document writes no xml:base: every base is null, no outline needed to know it. */
  bases: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returned for every absent child: most names asked for are absent, and an empty list need not be new. */
const NO_NODES: readonly XmlNode[] = Object.freeze([]);

/** The child nodes named `name` of an element node (read-only: they are xml2js's own arrays). */
export function childNodes(node: XmlNode, name: string): readonly XmlNode[] {
  if (!isRecord(node)) return NO_NODES;
  const value = node[name];
  return Array.isArray(value) ? value : NO_NODES;
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

/** Text of the first child named `name` that has some. */
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
  const texts: string[] = [];
  for (const child of childNodes(node, name)) {
    const text = textOf(child);
    if (text !== null) texts.push(text);
  }
  return texts;
}

/** The outline of the `index`-th child named `name` of a container, when the scanner saw it. */
export function childOutline(source: RawSource, name: string, index: number): ChildOutline | null {
  return source.outline()?.children.get(name)?.[index] ?? null;
}

/** The xml:base in force inside the container, or null. */
export function containerBase(source: RawSource): string | null {
  return source.bases ? (source.outline()?.base ?? null) : null;
}

/** The xml:base in force inside the `index`-th child named `name`, or null (also when there is no such child). */
export function childBase(source: RawSource, name: string, index: number): string | null {
  return source.bases ? (childOutline(source, name, index)?.base ?? null) : null;
}

/** CDATA sections inside raw markup turned into escaped text, so the markup reads as HTML. */
export function flattenCdata(markup: string): string {
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
