/**
 * The stack of open elements behind ElementTree, kept so that every question
 * tree construction asks of it is answered without walking it: where the
 * innermost open element of a name is, and where the innermost scope
 * boundary, formatting marker, special element, table part and written
 * element are. Hostile
 * markup nests elements by the hundred thousand and repeats end tags for
 * elements that are not open; each costs O(1) here.
 */
import { elementFlags, FIRST_FREE_BIT, FORMATTING_MARKER, LEFT_OUT, SCOPE_BOUNDARY, STOPS_ITEM_SEARCH, TABLE_PART } from './html-elements.js';

/** An open element's kind: its element flags when it is HTML; these bits when it is SVG or MathML. */
export const IN_SVG = 1 << FIRST_FREE_BIT;
export const IN_MATH = 1 << (FIRST_FREE_BIT + 1);
export const FOREIGN = IN_SVG | IN_MATH;
/** A foreign element whose content is HTML (foreignObject, mi…); it is special and bounds scopes as well. */
export const INTEGRATION_POINT = 1 << (FIRST_FREE_BIT + 2);
/** MathML annotation-xml, inside which `<svg>` starts SVG rather than more MathML. */
export const ANNOTATION_XML = 1 << (FIRST_FREE_BIT + 3);

/** One element name, and the stack indices where elements of that name are open, innermost last. */
export interface OpenName {
  readonly name: string;
  readonly flags: number;
  readonly html: number[];
  readonly foreign: number[];
}

/** The last index in `indices`, -1 when there is none. */
export function last(indices: readonly number[]): number {
  return indices.length === 0 ? -1 : (indices[indices.length - 1] ?? -1);
}

/** Stacks kept for reuse: one per fragment being read at once (a fragment can be read inside another's sink). */
const IDLE: OpenElements[] = [];
const MAX_IDLE = 4;
/** More names than any real item uses; a stack that learned more is not kept. */
const MAX_KEPT_NAMES = 200;

export class OpenElements {
  private readonly names = new Map<string, OpenName>();
  private readonly stack: OpenName[] = [];
  private readonly kinds: number[] = [];
  /** Stack indices of the open elements whose kind has these flags, innermost last. */
  readonly scopeBoundaries: number[] = [];
  readonly markers: number[] = [];
  readonly itemStops: number[] = [];
  readonly tableParts: number[] = [];
  /** Those of the elements whose tags are written (see LEFT_OUT): the current node, as a browser reads the output. */
  private readonly written: number[] = [];

  /** Hears of every element popped, innermost first. */
  private closed: (name: string) => void = () => undefined;

  /**
   * A stack with nothing open for a fragment whose sink hears of closed
   * elements through `closed`. Stacks are reused, with their per-name entries:
   * a feed's items use the same few dozen names, and making them for every
   * item cost more than building the tree itself.
   */
  static acquire(closed: (name: string) => void): OpenElements {
    const open = IDLE.pop() ?? new OpenElements();
    open.closed = closed;
    return open;
  }

  /** Gives back a stack whose fragment has ended; one that learned many names (hostile markup) is dropped instead. */
  release(): void {
    if (this.stack.length !== 0 || this.names.size > MAX_KEPT_NAMES || IDLE.length >= MAX_IDLE) return;
    this.closed = () => undefined;
    IDLE.push(this);
  }

  /** The entry for an element name (lower case), made on first use. */
  named(name: string): OpenName {
    let open = this.names.get(name);
    if (open === undefined) {
      open = { name, flags: elementFlags(name), html: [], foreign: [] };
      this.names.set(name, open);
    }
    return open;
  }

  /** The entry for an element name when one was ever made (so possibly open). */
  known(name: string): OpenName | undefined {
    return this.names.get(name);
  }

  nameAt(index: number): string {
    return this.stack[index]?.name ?? '';
  }

  kindAt(index: number): number {
    return this.kinds[index] ?? 0;
  }

  /** The kind of the innermost open element; 0 (HTML, no flags) when none is open. */
  get topKind(): number {
    return this.kinds[this.kinds.length - 1] ?? 0;
  }

  /** The index of the innermost open element whose tags are written; -1 when none is open. */
  get topWritten(): number {
    return last(this.written);
  }

  /** Whether the innermost open element is the HTML element `open` names. */
  topIs(open: OpenName): boolean {
    const top = this.stack.length - 1;
    return top >= 0 && this.stack[top] === open && ((this.kinds[top] ?? 0) & FOREIGN) === 0;
  }

  /** Whether an HTML element named as `open` is open with no scope boundary inside it. */
  inScope(open: OpenName): boolean {
    const index = last(open.html);
    return index >= 0 && index >= last(this.scopeBoundaries);
  }

  push(open: OpenName, kind: number): void {
    const index = this.stack.length;
    this.stack.push(open);
    this.kinds.push(kind);
    ((kind & FOREIGN) !== 0 ? open.foreign : open.html).push(index);
    if ((kind & SCOPE_BOUNDARY) !== 0) this.scopeBoundaries.push(index);
    if ((kind & FORMATTING_MARKER) !== 0) this.markers.push(index);
    if ((kind & STOPS_ITEM_SEARCH) !== 0) this.itemStops.push(index);
    if ((kind & TABLE_PART) !== 0) this.tableParts.push(index);
    if ((kind & LEFT_OUT) === 0) this.written.push(index);
  }

  pop(): void {
    const open = this.stack.pop();
    const kind = this.kinds.pop() ?? 0;
    if (open === undefined) return;
    ((kind & FOREIGN) !== 0 ? open.foreign : open.html).pop();
    if ((kind & SCOPE_BOUNDARY) !== 0) this.scopeBoundaries.pop();
    if ((kind & FORMATTING_MARKER) !== 0) this.markers.pop();
    if ((kind & STOPS_ITEM_SEARCH) !== 0) this.itemStops.pop();
    if ((kind & TABLE_PART) !== 0) this.tableParts.pop();
    if ((kind & LEFT_OUT) === 0) this.written.pop();
    this.closed(open.name);
  }

  /** Closes the element at `index` and everything inside it (nothing for -1, the index of no element). */
  popThrough(index: number): void {
    if (index < 0) return;
    while (this.stack.length > index) this.pop();
  }

  /** Closes everything inside the element at `index`. */
  popAbove(index: number): void {
    this.popThrough(index + 1);
  }
}
