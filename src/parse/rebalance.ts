/**
 * A document whose tags do not nest (`<summary>x <b>y</summary>`, a
 * `</link>` left out, an `<item>` never closed) stops a strict parser at the
 * break, and keeping only the items before it lost every item after. This
 * rewrites such a document into one that nests, the way lenient readers
 * recover:
 * - an end tag closes whatever is still open inside the element it names
 *   (in any letter case); one naming nothing open is dropped;
 * - an item's start tag closes the item still open;
 * - inside an item or channel, any tag closes an open field that never holds
 *   elements (`<link>`, `<guid>`), and an RSS field's tag closes whatever
 *   field is open;
 * - an HTML void tag (`<br>`) closes itself.
 * Only end tags are added or dropped: no text moves from one element to
 * another, so nothing is read that the document does not say. An item still
 * open where the document ends was cut off in transit and is left out whole.
 */
import type { XmlProlog } from './xml-outline.js';
import { xmlTokens } from './xml-tokens.js';

/** Elements that hold items (channel, feed) or fields (items, entries, images): their text children may be leaves. */
const CONTAINERS: ReadonlySet<string> = new Set(['channel', 'item', 'entry', 'feed', 'image', 'textInput', 'textinput', 'source', 'media:group']);

/** Fields that hold text or attributes but never elements: another tag inside one means its end tag was left out. */
const LEAF_FIELDS: ReadonlySet<string> = new Set([
  'link',
  'guid',
  'pubDate',
  'lastBuildDate',
  'comments',
  'enclosure',
  'category',
  'language',
  'ttl',
  'id',
  'updated',
  'published',
  'issued',
  'modified',
  'created',
  'dc:date',
  'dc:identifier',
  'dc:language',
  'dcterms:modified',
  'dcterms:created',
  'dcterms:issued',
]);

/**
 * RSS item and channel fields whose start tag, written inside a field left
 * open, begins a field of its own. HTML's `<title>` and `<link>` are among
 * them: neither belongs in a field's inline HTML.
 */
const RSS_FIELDS: ReadonlySet<string> = new Set([
  'title',
  'link',
  'description',
  'guid',
  'pubDate',
  'comments',
  'enclosure',
  'category',
  'author',
  'content:encoded',
  'dc:creator',
  'dc:date',
  'dc:subject',
]);

/** Of those, the names HTML uses too. */
const HTML_NAMES: ReadonlySet<string> = new Set(['title', 'link']);

/** HTML elements that have no end tag, written the HTML way inside unescaped markup. */
const HTML_VOID: ReadonlySet<string> = new Set(['br', 'img', 'hr', 'input', 'meta', 'area', 'base', 'col', 'embed', 'param', 'track', 'wbr']);

interface Frame {
  /** The name as written (the end tag written for it repeats it). */
  raw: string;
  /** The name after the document's prefix mapping. */
  name: string;
  /** Where the element's start tag begins in the output: an item open at the end is cut back to here. */
  outputStart: number;
}

/** Tag and end-tag bookkeeping for one document. */
class Rebalancer {
  private out = '';
  private readonly stack: Frame[] = [];
  /** How many elements of each written name are open: an end tag naming none of them is dropped without a search. */
  private readonly open = new Map<string, number>();
  private readonly openFolded = new Map<string, number>();
  /** Stack indices of the open containers, innermost last. */
  private readonly containers: number[] = [];
  /** Stack index of the open item, or -1. */
  private item = -1;
  private readonly itemName: string;

  constructor(
    private readonly xml: string,
    private readonly prolog: XmlProlog,
  ) {
    this.itemName = prolog.kind === 'atom' ? 'entry' : 'item';
  }

  run(): string {
    const xml = this.xml;
    let last = 0;
    let rootSeen = false;
    for (const token of xmlTokens(xml)) {
      if (token.kind === 'doctype') continue;
      this.out += xml.slice(last, token.start);
      last = token.end;
      if (token.kind === 'end') this.endTag(token.name);
      else this.startTag(token.name, xml.slice(token.start, token.end), token.selfClosing);
      rootSeen ||= this.stack.length > 0;
      // Whatever follows the root is not part of the document.
      if (rootSeen && this.stack.length === 0) return this.out;
    }
    // The document ends with elements open: it was cut off, and so was the item it ended in.
    if (this.item >= 0) {
      this.out = this.out.slice(0, this.stack[this.item]?.outputStart ?? this.out.length);
      this.closeAbove(this.item - 1);
    } else {
      this.out += xml.slice(last);
    }
    this.closeAbove(-1);
    return this.out;
  }

  private startTag(raw: string, tag: string, selfClosing: boolean): void {
    const name = this.prolog.names.element(raw);
    this.closeOpenField(name);
    if (name === this.itemName) this.closeForItem();
    if (selfClosing) {
      this.out += tag;
      return;
    }
    if (HTML_VOID.has(name) && this.stack.length > 1) {
      this.out += `${tag.slice(0, -1).trimEnd()}/>`;
      return;
    }
    if (name === this.itemName) this.item = this.stack.length;
    if (CONTAINERS.has(name)) this.containers.push(this.stack.length);
    this.stack.push({ raw, name, outputStart: this.out.length });
    this.count(raw, 1);
    this.out += tag;
  }

  /**
   * Before an item's start tag: closes the item still open, else whatever is
   * open inside the element that holds items (an RSS channel, the Atom feed,
   * an RDF root), so that an element left open there does not swallow it.
   */
  private closeForItem(): void {
    if (this.item >= 0) {
      this.closeAbove(this.item - 1);
      return;
    }
    if (this.prolog.kind === 'rdf') {
      this.closeAbove(0);
      return;
    }
    const holder = this.prolog.kind === 'atom' ? 'feed' : 'channel';
    // Holders are near the top of the containers open (an <image> at most above them): a bounded look.
    for (let at = this.containers.length - 1; at >= Math.max(0, this.containers.length - 4); at--) {
      const index = this.containers[at] ?? -1;
      if (this.stack[index]?.name === holder) {
        this.closeAbove(index);
        return;
      }
    }
  }

  /**
   * Before a tag named `name`: closes the field of the innermost container
   * that is still open when `name` cannot be inside it (a leaf field holds no
   * element; an RSS field's tag starts a field of its own). HTML's `<title>`
   * and `<link>` close a field only from its own text, so that inline markup
   * left open (an `<svg>` with its title) keeps them.
   */
  private closeOpenField(name: string): void {
    const container = this.containers.at(-1);
    if (container === undefined || container >= this.stack.length - 1) return;
    const field = this.stack[container + 1];
    if (field === undefined || CONTAINERS.has(field.name)) return;
    const rssField = this.prolog.kind !== 'atom' && RSS_FIELDS.has(name);
    const fromItsText = field === this.stack.at(-1);
    if ((LEAF_FIELDS.has(field.name) && fromItsText) || (rssField && (fromItsText || !HTML_NAMES.has(name)))) {
      this.closeAbove(container);
    }
  }

  private endTag(raw: string): void {
    let at = -1;
    if ((this.open.get(raw) ?? 0) > 0) {
      at = this.stack.length - 1;
      while (this.stack[at]?.raw !== raw) at--;
    } else if ((this.openFolded.get(raw.toLowerCase()) ?? 0) > 0) {
      // `<pubDate>…</pubdate>`: HTML-minded authors do not mind case, and neither do lenient readers.
      const folded = raw.toLowerCase();
      at = this.stack.length - 1;
      while (this.stack[at]?.raw.toLowerCase() !== folded) at--;
    }
    // An end tag that closes nothing open is dropped.
    if (at >= 0) this.closeAbove(at - 1);
  }

  /** Writes end tags for every open element above stack index `keep`. */
  private closeAbove(keep: number): void {
    while (this.stack.length - 1 > keep) {
      const frame = this.stack.pop();
      if (frame === undefined) break;
      this.count(frame.raw, -1);
      if (this.stack.length === this.item) this.item = -1;
      if (this.stack.length === this.containers.at(-1)) this.containers.pop();
      this.out += `</${frame.raw}>`;
    }
  }

  private count(raw: string, delta: number): void {
    this.open.set(raw, (this.open.get(raw) ?? 0) + delta);
    const folded = raw.toLowerCase();
    this.openFolded.set(folded, (this.openFolded.get(folded) ?? 0) + delta);
  }
}

/**
 * `xml` (already repaired, not well-formed) with its tags made to nest, or
 * null when the rewrite changes nothing (then it cannot help).
 */
export function rebalanceXml(xml: string, prolog: XmlProlog): string | null {
  const balanced = new Rebalancer(xml, prolog).run();
  return balanced === xml ? null : balanced;
}
