/**
 * The element structure behind the HTML scanner's tags: which elements are
 * open, which start tags close open ones, void elements, SVG/MathML content,
 * and end tags without a matching start. It turns the tag stream into strictly
 * nested open/close events, so every consumer sees well-formed structure
 * however broken the markup was.
 *
 * The sanitized output is embedded in pages and feeds and read again by a
 * browser, so its nesting must be one a browser keeps: wherever the HTML
 * standard's tree construction closes open elements at a start tag (a
 * paragraph at a `<div>`, a list item at the next `<li>` through intervening
 * divs, a table at a `<table>` outside its cells, SVG at a `<p>`), the tree
 * closes them here too, and start tags a browser ignores are ignored. End tags
 * are looser than the standard (they close the innermost element of their name
 * wherever it is), which a browser reads back the same, since the output
 * closes every element it opens, innermost first.
 */
import {
  BREAKS_OUT_OF_FOREIGN, CLOSES_P, elementFlags, HEADING, IGNORED, IMPLIED_END, LEFT_OUT, MATH_INTEGRATION_POINT,
  OWN_RULES, SCOPE_BOUNDARY, STACK_FLAGS, STOPS_ITEM_SEARCH, SVG_INTEGRATION_POINT, TABLE_PART, VOID,
} from './html-elements.js';
import {
  ANNOTATION_XML, FOREIGN, IN_MATH, IN_SVG, INTEGRATION_POINT, last, OpenElements, type OpenName,
} from './html-open-elements.js';
import { IGNORE, tableStart } from './html-table.js';

/** Receives the element structure of a fragment. Every `open` is matched by exactly one `close`, properly nested. */
export interface ElementSink {
  /** Whether text and attributes are currently thrown away (inside dropped content); spares decoding them. */
  readonly skipping: boolean;
  /** Which attributes (by lower-case name) an element named `name`, opened now, needs; null for none. */
  wantedAttributes(name: string): ReadonlySet<string> | null;
  /**
   * `attributes` holds name, value pairs, names lower-cased, first occurrence
   * only. Returns the name the element's tags are written under: `name`
   * itself (always, for a sink that writes no markup), another (a renamed
   * element), or null when its tags are left out and its content kept.
   */
  open(name: string, attributes: readonly string[]): string | null;
  close(name: string): void;
  /** Decoded text; `plain` when it holds no `&`, `<` or `>` (so needs no escaping). */
  text(value: string, plain: boolean): void;
}

/** `<font>` ends SVG/MathML content only with one of these attributes, so they are read even when nothing else is. */
const FONT_ATTRIBUTES: ReadonlySet<string> = new Set(['color', 'face', 'size']);

/** Builds nested open/close events from start and end tags. One instance per fragment. */
export class ElementTree {
  private readonly open: OpenElements;
  private readonly paragraphs: OpenName;
  private readonly links: OpenName;
  private readonly buttons: OpenName;
  private readonly selects: OpenName;
  private readonly rubies: OpenName;
  private readonly options: OpenName;
  private readonly columnGroups: OpenName;
  /** The start tag being read, and the kind it opens as. */
  private pending: OpenName | null = null;
  private pendingKind = IGNORE;
  /** Whether the pending tag is a `<font>` in SVG/MathML, which its attributes decide about. */
  private pendingFont = false;

  constructor(readonly sink: ElementSink) {
    const open = OpenElements.acquire((name) => sink.close(name));
    this.open = open;
    this.paragraphs = open.named('p');
    this.links = open.named('a');
    this.buttons = open.named('button');
    this.selects = open.named('select');
    this.rubies = open.named('ruby');
    this.options = open.named('option');
    this.columnGroups = open.named('colgroup');
  }

  /**
   * A start tag named `name` begins: closes what it implies (the attributes
   * follow in `openTag`). Returns the attributes the sink wants.
   */
  startTag(name: string): ReadonlySet<string> | null {
    const element = this.open.named(name);
    this.pending = element;
    this.pendingFont = false;
    const parentKind = this.open.topKind;
    if ((parentKind & FOREIGN) !== 0 && (parentKind & INTEGRATION_POINT) === 0 && !((parentKind & ANNOTATION_XML) !== 0 && name === 'svg')) {
      if (name === 'font') {
        this.pendingFont = true;
        this.pendingKind = foreignKind(element, parentKind);
        return FONT_ATTRIBUTES;
      }
      if ((element.flags & BREAKS_OUT_OF_FOREIGN) === 0) {
        this.pendingKind = foreignKind(element, parentKind);
        return this.sink.wantedAttributes(name);
      }
      this.leaveForeign();
    }
    this.pendingKind = this.htmlStart(element);
    return this.pendingKind === IGNORE ? null : this.sink.wantedAttributes(name);
  }

  /**
   * The start tag begun by `startTag` ended (`/>` when `selfClosing`). Returns
   * whether it opened an HTML element, the only kind whose content can be raw text.
   */
  openTag(attributes: readonly string[], selfClosing: boolean): boolean {
    const element = this.pending;
    let kind = this.pendingKind;
    if (element === null) return false;
    if (this.pendingFont && attributes.length > 0) {
      this.leaveForeign();
      kind = this.htmlStart(element);
    }
    if (kind === IGNORE) return false;
    const written = this.sink.open(element.name, attributes);
    const foreign = (kind & FOREIGN) !== 0;
    // Only inside SVG and MathML does `<x/>` make an empty element.
    if (foreign ? selfClosing : (kind & VOID) !== 0) this.sink.close(element.name);
    else this.open.push(element, written === element.name || foreign ? kind : writtenKind(kind, written));
    return !foreign;
  }

  /** An end tag: closes the innermost open element of that name and everything inside it. */
  endTag(name: string): void {
    // `</p>` and `</br>` end SVG/MathML content like the start tags that do.
    if ((this.open.topKind & FOREIGN) !== 0 && (name === 'p' || name === 'br')) this.leaveForeign();
    if (name === 'br') {
      // `</br>` is a line break in every browser.
      this.sink.open('br', []);
      this.sink.close('br');
      return;
    }
    const element = this.open.known(name);
    const index = element === undefined ? -1 : Math.max(last(element.html), last(element.foreign));
    if (index >= 0) this.open.popThrough(index);
    else if (name === 'p') {
      // `</p>` with no paragraph open is an empty paragraph.
      this.sink.open('p', []);
      this.sink.close('p');
    }
  }

  /** Text, passed on; a column group holds whitespace only, so visible text ends it first, as in browsers. */
  text(value: string, plain: boolean): void {
    if (this.open.topIs(this.columnGroups)) {
      const visible = value.search(/[^\t\n\f\r ]/);
      if (visible >= 0) {
        if (visible > 0) this.sink.text(value.slice(0, visible), plain);
        this.open.pop();
        this.sink.text(value.slice(visible), plain);
        return;
      }
    }
    this.sink.text(value, plain);
  }

  /** End of input: closes everything still open. */
  finish(): void {
    this.open.popThrough(0);
    // The stack goes back for the next fragment; this tree must not be used after this.
    this.open.release();
  }

  /** Closes SVG/MathML elements up to the nearest HTML element or integration point. */
  private leaveForeign(): void {
    while ((this.open.topKind & FOREIGN) !== 0 && (this.open.topKind & INTEGRATION_POINT) === 0) this.open.pop();
  }

  /** The HTML rules for a start tag: closes what it implies; returns the kind it opens as. */
  private htmlStart(element: OpenName): number {
    const flags = element.flags;
    if ((flags & IGNORED) !== 0) return IGNORE;
    if (this.open.tableParts.length > 0 || (flags & TABLE_PART) !== 0) {
      const kind = tableStart(this.open, element.name, flags);
      if (kind !== null) return kind;
    }
    if ((flags & (OWN_RULES | CLOSES_P | HEADING)) === 0) return flags;
    const name = element.name;
    if (name === 'li') this.closeListItem('li', 'li');
    else if (name === 'dd' || name === 'dt') this.closeListItem('dd', 'dt');
    if ((flags & CLOSES_P) !== 0) this.closeParagraph();
    // A heading straight inside a heading ends it.
    if ((flags & HEADING) !== 0 && (this.open.kindAt(this.open.topWritten) & HEADING) !== 0) this.open.popThrough(this.open.topWritten);
    return (flags & OWN_RULES) === 0 ? flags : this.ownRules(element);
  }

  /** Start tags with rules of their own. */
  private ownRules(element: OpenName): number {
    const open = this.open;
    const name = element.name;
    switch (name) {
      case 'a': {
        // A link inside a link ends the outer one (unless a cell or the like lies between).
        const link = last(this.links.html);
        if (link > last(open.markers)) open.popThrough(link);
        break;
      }
      case 'button':
        if (open.inScope(this.buttons)) open.popThrough(last(this.buttons.html));
        break;
      case 'select':
        // `<select>` inside a select ends it and opens nothing.
        if (open.inScope(this.selects)) {
          open.popThrough(last(this.selects.html));
          return IGNORE;
        }
        break;
      case 'input': case 'keygen': case 'textarea':
        if (open.inScope(this.selects)) open.popThrough(last(this.selects.html));
        break;
      case 'option': case 'optgroup':
        if (open.topIs(this.options)) open.pop();
        break;
      case 'rb': case 'rtc': case 'rp': case 'rt':
        if (open.inScope(this.rubies)) this.generateImpliedEndTags(name === 'rp' || name === 'rt');
        break;
      case 'svg':
        return IN_SVG;
      case 'math':
        return IN_MATH;
      default:
    }
    return element.flags;
  }

  /** Closes an open `name`/`other` unless a special element other than address, div and p lies between. */
  private closeListItem(name: string, other: string): void {
    const stop = last(this.open.itemStops);
    if (stop < 0 || (this.open.kindAt(stop) & FOREIGN) !== 0) return;
    const found = this.open.nameAt(stop);
    if (found === name || found === other) this.open.popThrough(stop);
  }

  /** Closes an open `<p>` in button scope (a button or scope boundary inside it keeps it open). */
  private closeParagraph(): void {
    const paragraph = last(this.paragraphs.html);
    if (paragraph > last(this.open.scopeBoundaries) && paragraph > last(this.buttons.html)) this.open.popThrough(paragraph);
  }

  private generateImpliedEndTags(exceptRtc: boolean): void {
    const open = this.open;
    for (;;) {
      const top = open.topWritten;
      if ((open.kindAt(top) & IMPLIED_END) === 0 || (exceptRtc && open.nameAt(top) === 'rtc')) return;
      open.popThrough(top);
    }
  }
}

/**
 * The kind of an HTML element written under another name, or not at all: a
 * browser reads the written nesting, so the element gets the scope and
 * list-item rules of what is written in its place (none, for tags left out),
 * and tags left out are passed over where the rules look at the current node.
 */
function writtenKind(kind: number, written: string | null): number {
  if (written === null) return (kind & ~STACK_FLAGS) | LEFT_OUT;
  return (kind & ~STACK_FLAGS) | (elementFlags(written) & STACK_FLAGS);
}

/** The kind of an element opened inside SVG or MathML (whose kind is `parentKind`). */
function foreignKind(element: OpenName, parentKind: number): number {
  const point = INTEGRATION_POINT | SCOPE_BOUNDARY | STOPS_ITEM_SEARCH;
  if ((parentKind & IN_SVG) !== 0) return (element.flags & SVG_INTEGRATION_POINT) !== 0 ? IN_SVG | point : IN_SVG;
  if ((element.flags & MATH_INTEGRATION_POINT) !== 0) return IN_MATH | point;
  return element.name === 'annotation-xml' ? IN_MATH | ANNOTATION_XML | SCOPE_BOUNDARY | STOPS_ITEM_SEARCH : IN_MATH;
}
