/**
 * A structural outline of a feed document built with the light tag scanner:
 * the root, the feed-level container (RSS channel or Atom feed), each item or
 * entry in document order with its effective xml:base, and where each direct
 * child's inner markup lies. Items are listed exactly as xml2js/rss-parser
 * lists them (first channel's items for RSS 2.0/0.9x, the root's for RSS 1.0,
 * the feed's entries for Atom), so they can be matched by index.
 *
 * The prolog (root, DOCTYPE, namespaces) is cheap and always read; the full
 * outline costs a scan of every tag, so readers build it on first use
 * (DocumentOutline): a document without xml:base and without markup inside
 * its fields never needs it.
 */
import { createNameMapper, rootKind, type NameMapper, type RootKind } from './names.js';
import { resolveXmlBase } from './xml-base.js';
import { decodeXmlReferences, parseAttributes, xmlTokens, type StartTag } from './xml-tokens.js';

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

/** What the start of a document says: its root, DOCTYPE and namespace bindings. */
export interface XmlProlog {
  kind: RootKind;
  /** Root element name as written, null when the document has no element at all. */
  rootName: string | null;
  /** The root with its attributes and xml:base (no children: those are the full outline's). */
  root: ContainerOutline | null;
  /** DOCTYPE name when present (`html` marks an HTML page). */
  doctype: string | null;
  names: NameMapper;
}

export interface XmlOutline extends XmlProlog {
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

/** A prefix declaration, matched where `xmlns:` was found (one character before it, for the whitespace). */
const PREFIX_DECLARATION = /\sxmlns:([^\s=/><]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;

/**
 * Every prefix binding written anywhere in the text (first binding of a
 * prefix wins; feeds declare them on the root, which comes first). Searching
 * for the literal `xmlns:` and matching only there is one native scan.
 */
function prefixDeclarations(text: string, namespaces: Map<string, string>): void {
  for (let at = text.indexOf('xmlns:', 1); at >= 0; at = text.indexOf('xmlns:', at + 1)) {
    PREFIX_DECLARATION.lastIndex = at - 1;
    const match = PREFIX_DECLARATION.exec(text);
    if (match === null) continue;
    const prefix = match[1];
    if (prefix && !namespaces.has(prefix)) namespaces.set(prefix, decodeXmlReferences(match[2] ?? match[3] ?? '').trim());
    // Matches never overlap: the next search starts after this declaration.
    at = PREFIX_DECLARATION.lastIndex - 1;
  }
}

/**
 * Root, doctype and namespace declarations: the root's default namespace,
 * and every prefix binding found anywhere.
 */
export function xmlProlog(text: string): XmlProlog {
  const namespaces = new Map<string, string>();
  let rootTag: StartTag | null = null;
  let doctype: string | null = null;
  for (const token of xmlTokens(text)) {
    if (token.kind === 'doctype') doctype ??= token.name;
    if (token.kind !== 'start') continue;
    rootTag = token;
    const xmlns = parseAttributes(token.attrSource)['xmlns'];
    if (xmlns !== undefined) namespaces.set('', xmlns.trim());
    break;
  }
  prefixDeclarations(text, namespaces);
  const rootName = rootTag?.name ?? null;
  const kind = rootName === null ? 'other' : rootKind(rootName, namespaces);
  const names = createNameMapper(kind, namespaces);
  let root: ContainerOutline | null = null;
  if (rootTag !== null) {
    const attrs = canonicalAttrs(rootTag.attrSource, names);
    root = newContainer(names.element(rootTag.name), attrs, resolveXmlBase(attrs['xml:base'], null), []);
  }
  return { kind, rootName, root, doctype, names };
}

/** Whether a start tag at this depth opens the feed container, a further RSS channel or an item, given the document kind. */
function roleOf(kind: RootKind, depth: number, name: string, stack: Frame[], channelSeen: boolean): 'feed' | 'channel' | 'item' | null {
  if (kind === 'atom') return depth === 1 && name === 'entry' ? 'item' : null;
  if (depth === 1 && name === 'channel' && !channelSeen) return 'feed';
  // A further channel of an <rss> root: its items are read after the first one's (xml-nodes.ts).
  if (depth === 1 && name === 'channel' && kind === 'rss') return 'channel';
  if (kind === 'rdf') return depth === 1 && name === 'item' ? 'item' : null;
  // An item beside the channel of an <rss> root (a channel closed too early) is read too (xml-nodes.ts).
  if (depth === 1 && name === 'item') return 'item';
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

/**
 * Attributes matter below the root only for xml:base (the one attribute the
 * outline's readers use), so they are parsed only where one may be written.
 */
function attrsNeeded(depth: number, source: string, containerOrChild: boolean): boolean {
  if (depth === 0) return true;
  // A prefix other than `xml` may be bound to the XML namespace: containers and their children allow for it.
  return containerOrChild ? source.includes(':base') : source.includes('xml:base');
}

/** Builds the outline of a (repaired) XML document. Never throws. */
export function outlineXml(text: string, prolog: XmlProlog = xmlProlog(text)): XmlOutline {
  const { kind, names } = prolog;
  const outline: XmlOutline = { ...prolog, root: null, feed: null, items: [] };
  const stack: Frame[] = [];
  // How many elements of each name are open: an end tag naming none of them is passed over without a
  // search of the stack, which a broken document deep in unclosed tags would make quadratic.
  const open = new Map<string, number>();
  // Items beside an <rss> channel come after the channel's own, as xml-nodes.ts lists them.
  const outside: ContainerOutline[] = [];

  for (const token of xmlTokens(text)) {
    if (token.kind === 'doctype') continue;
    if (token.kind === 'end') {
      const name = names.element(token.name);
      // An end tag matching nothing open is ignored; one closing an outer element closes everything inside it.
      if ((open.get(name) ?? 0) === 0) continue;
      for (;;) {
        const frame = stack.pop();
        if (frame === undefined) break;
        open.set(frame.name, (open.get(frame.name) ?? 1) - 1);
        if (frame.child) frame.child.innerEnd = token.start;
        if (frame.container) frame.container.end = token.end;
        if (frame.name === name) break;
      }
      continue;
    }
    if (stack.length === 0 && outline.root !== null) break;
    const name = names.element(token.name);
    const parent = stack.at(-1);
    const depth = stack.length;
    const role = depth === 0 ? 'root' : roleOf(kind, depth, name, stack, outline.feed !== null);
    const parentContainer = parent?.container;
    const attrs = attrsNeeded(depth, token.attrSource, role !== null || !!parentContainer)
      ? canonicalAttrs(token.attrSource, names)
      : NO_ATTRS;
    const base = resolveXmlBase(attrs['xml:base'], parent?.base ?? null);

    let container: ContainerOutline | null = null;
    if (role) container = newContainer(name, attrs, base, stack);
    if (role === 'root') outline.root = container;
    if (role === 'feed' || (role === 'root' && kind === 'atom')) outline.feed = container;
    if (role === 'item' && container) (kind === 'rss' && depth === 1 ? outside : outline.items).push(container);

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
    open.set(name, (open.get(name) ?? 0) + 1);
  }
  outline.items.push(...outside);
  return outline;
}
