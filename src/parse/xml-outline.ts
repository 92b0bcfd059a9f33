/**
 * A structural outline of a feed document built with the light tag scanner:
 * the root, the feed-level container (RSS channel or Atom feed), each item or
 * entry in document order with its effective xml:base, and where each direct
 * child's inner markup lies. Items are listed exactly as xml2js/rss-parser
 * lists them (first channel's items for RSS 2.0/0.9x, the root's for RSS 1.0,
 * the feed's entries for Atom), so they can be matched by index.
 */
import { createNameMapper, rootKind, type NameMapper, type RootKind } from './names.js';
import { resolveXmlBase } from './xml-base.js';
import { decodeXmlReferences, parseAttributes, xmlTokens } from './xml-tokens.js';

/** A direct child element of a container. */
export interface ChildOutline {
  name: string;
  attrs: Record<string, string>;
  /** Offsets of the inner markup, between the start tag's `>` and the end tag's `<`. */
  innerStart: number;
  innerEnd: number;
  /** Effective xml:base inside the element. */
  base: string | null;
}

/** The root, a channel, an item or an entry. */
export interface ContainerOutline {
  name: string;
  attrs: Record<string, string>;
  base: string | null;
  /** Direct children by canonical name, in document order: index k matches xml2js's array index k. */
  children: Map<string, ChildOutline[]>;
  /** Offset just past the end tag; null while unclosed. */
  end: number | null;
  /** End tags closing this container's open ancestors, innermost first (to close a cut document). */
  closing: string;
}

export interface XmlOutline {
  kind: RootKind;
  /** Root element name as written, null when the document has no element at all. */
  rootName: string | null;
  root: ContainerOutline | null;
  /** DOCTYPE name when present (`html` marks an HTML page). */
  doctype: string | null;
  names: NameMapper;
  /** The channel (RSS) or the feed element (Atom); null when absent. */
  feed: ContainerOutline | null;
  items: ContainerOutline[];
}

interface Frame {
  name: string;
  rawName: string;
  base: string | null;
  container: ContainerOutline | null;
  child: ChildOutline | null;
}

function newContainer(name: string, attrs: Record<string, string>, base: string | null, stack: Frame[]): ContainerOutline {
  const closing = stack.map((frame) => `</${frame.rawName}>`).reverse().join('');
  return { name, attrs, base, children: new Map(), end: null, closing };
}

const PREFIX_DECLARATION = /\sxmlns:([^\s=/><]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;

/**
 * Root, doctype and namespace declarations: the root's default namespace,
 * and every prefix binding found anywhere (first binding of a prefix wins;
 * feeds declare them on the root, which comes first).
 */
function prescan(text: string): { namespaces: Map<string, string>; rootName: string | null; doctype: string | null } {
  const namespaces = new Map<string, string>();
  let rootName: string | null = null;
  let doctype: string | null = null;
  for (const token of xmlTokens(text)) {
    if (token.kind === 'doctype') doctype ??= token.name;
    if (token.kind !== 'start') continue;
    rootName = token.name;
    const xmlns = parseAttributes(token.attrSource)['xmlns'];
    if (xmlns !== undefined) namespaces.set('', xmlns.trim());
    break;
  }
  for (const match of text.matchAll(PREFIX_DECLARATION)) {
    const prefix = match[1];
    if (prefix && !namespaces.has(prefix)) namespaces.set(prefix, decodeXmlReferences(match[2] ?? match[3] ?? '').trim());
  }
  return { namespaces, rootName, doctype };
}

/** Whether a start tag at this depth opens the feed container or an item, given the document kind. */
function roleOf(kind: RootKind, depth: number, name: string, stack: Frame[], channelSeen: boolean): 'feed' | 'item' | null {
  if (kind === 'atom') return depth === 1 && name === 'entry' ? 'item' : null;
  if (depth === 1 && name === 'channel' && !channelSeen) return 'feed';
  if (kind === 'rdf') return depth === 1 && name === 'item' ? 'item' : null;
  const parent = stack[1]?.container;
  return depth === 2 && name === 'item' && parent !== null && parent !== undefined && parent.name === 'channel'
    ? 'item'
    : null;
}

const NO_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function canonicalAttrs(source: string, names: NameMapper): Record<string, string> {
  if (source === '') return NO_ATTRS;
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseAttributes(source))) attrs[names.attribute(key)] = value;
  return attrs;
}

/** Builds the outline of a (repaired) XML document. Never throws. */
export function outlineXml(text: string): XmlOutline {
  const { namespaces, rootName, doctype } = prescan(text);
  const kind = rootName === null ? 'other' : rootKind(rootName, namespaces);
  const names = createNameMapper(kind, namespaces);
  const outline: XmlOutline = { kind, rootName, root: null, doctype, names, feed: null, items: [] };
  const stack: Frame[] = [];

  for (const token of xmlTokens(text)) {
    if (token.kind === 'doctype') continue;
    if (token.kind === 'end') {
      const name = names.element(token.name);
      const at = stack.findLastIndex((frame) => frame.name === name);
      // An end tag matching nothing open is ignored; one closing an outer element closes everything inside it.
      if (at < 0) continue;
      for (const frame of stack.splice(at)) {
        if (frame.child) frame.child.innerEnd = token.start;
        if (frame.container) frame.container.end = token.end;
      }
      continue;
    }
    if (stack.length === 0 && outline.root !== null) break;
    const name = names.element(token.name);
    const parent = stack.at(-1);
    const depth = stack.length;
    const role = depth === 0 ? 'root' : roleOf(kind, depth, name, stack, outline.feed !== null);
    const parentContainer = parent?.container;
    // Attributes are parsed only where they are read: containers, their children, and any xml:base.
    const attrs =
      role || parentContainer || token.attrSource.includes('xml:base') ? canonicalAttrs(token.attrSource, names) : NO_ATTRS;
    const base = resolveXmlBase(attrs['xml:base'], parent?.base ?? null);

    let container: ContainerOutline | null = null;
    if (role) container = newContainer(name, attrs, base, stack);
    if (role === 'root') outline.root = container;
    if (role === 'feed' || (role === 'root' && kind === 'atom')) outline.feed = container;
    if (role === 'item' && container) outline.items.push(container);

    let child: ChildOutline | null = null;
    if (parentContainer) {
      child = { name, attrs, innerStart: token.end, innerEnd: token.end, base };
      const siblings = parentContainer.children.get(name);
      if (siblings) siblings.push(child);
      else parentContainer.children.set(name, [child]);
    }

    if (token.selfClosing) {
      if (container) container.end = token.end;
      continue;
    }
    stack.push({ name, rawName: token.name, base, container, child });
  }
  return outline;
}
