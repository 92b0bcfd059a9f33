/**
 * The element structure behind the HTML scanner's tags: which elements are
 * open, which start tags close the open one (`<p>` ends a paragraph, `<li>` a
 * list item), void elements, and end tags without a matching start. It turns
 * the tag stream into strictly nested open/close events, so every consumer sees
 * well-formed structure however broken the markup was. The rules are those of
 * the forgiving parser byline used before (a simplification of the HTML
 * standard's tree construction), so sanitized output stays as it was.
 */

/** Receives the element structure of a fragment. Every `open` is matched by exactly one `close`, properly nested. */
export interface ElementSink {
  /** Whether text and attributes are currently thrown away (inside dropped content); spares decoding them. */
  readonly skipping: boolean;
  /** Which attributes (by lower-case name) an element named `name`, opened now, needs; null for none. */
  wantedAttributes(name: string): ReadonlySet<string> | null;
  /** `attributes` holds name, value pairs, names lower-cased, first occurrence only. */
  open(name: string, attributes: readonly string[]): void;
  close(name: string): void;
  /** Decoded text; `plain` when it holds no `&`, `<` or `>` (so needs no escaping). */
  text(value: string, plain: boolean): void;
}

const P_ONLY = new Set(['p']);
const FORM_CONTROLS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const TABLE_SECTIONS = new Set(['thead', 'tbody']);
const DEFINITION_PARTS = new Set(['dd', 'dt']);
const RUBY_PARTS = new Set(['rt', 'rp']);

/** Start tags that first close the open element while it is one of these. */
const OPEN_IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])], ['th', new Set(['th'])], ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])], ['li', new Set(['li'])],
  ['select', FORM_CONTROLS], ['input', FORM_CONTROLS], ['output', FORM_CONTROLS], ['button', FORM_CONTROLS],
  ['datalist', FORM_CONTROLS], ['textarea', FORM_CONTROLS],
  ['option', new Set(['option'])], ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DEFINITION_PARTS], ['dt', DEFINITION_PARTS], ['rt', RUBY_PARTS], ['rp', RUBY_PARTS],
  ['tbody', TABLE_SECTIONS], ['tfoot', TABLE_SECTIONS],
  ...[
    'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl',
    'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section',
    'table', 'ul',
  ].map((name): [string, ReadonlySet<string>] => [name, P_ONLY]),
]);

/** Elements that never have content: their start tag is the whole element. */
const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen',
  'link', 'meta', 'param', 'source', 'track', 'wbr',
]);

/** SVG and MathML, where `<x/>` really is an empty element. */
const FOREIGN_ROOTS = ['math', 'svg'];
/** Elements inside SVG/MathML whose content is HTML again. */
const HTML_INTEGRATION_POINTS = ['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title'];

const VOID = 1, FOREIGN_ROOT = 2, INTEGRATION_POINT = 4, CLOSES_OTHERS = 8;

/** Everything the tree needs to know about an element name, in one lookup per tag. */
const FLAGS: ReadonlyMap<string, number> = (() => {
  const flags = new Map<string, number>();
  const add = (names: Iterable<string>, flag: number): void => {
    for (const name of names) flags.set(name, (flags.get(name) ?? 0) | flag);
  };
  add(VOID_ELEMENTS, VOID);
  add(FOREIGN_ROOTS, FOREIGN_ROOT);
  add(HTML_INTEGRATION_POINTS, INTEGRATION_POINT);
  add(OPEN_IMPLIES_CLOSE.keys(), CLOSES_OTHERS);
  return flags;
})();

/** Builds nested open/close events from start and end tags. One instance per fragment. */
export class ElementTree {
  private readonly stack: string[] = [];
  /** Whether `<x/>` closes itself: true inside SVG/MathML, innermost last. */
  private readonly foreign: boolean[] = [false];
  /** FLAGS of the start tag being read. */
  private startFlags = 0;

  constructor(readonly sink: ElementSink) {}

  /**
   * A start tag named `name` begins: closes what it implies and opens it (the
   * attributes follow in `openTag`). Returns the attributes the sink wants.
   */
  startTag(name: string): ReadonlySet<string> | null {
    const flags = FLAGS.get(name) ?? 0;
    this.startFlags = flags;
    if (flags & CLOSES_OTHERS) {
      const closes = OPEN_IMPLIES_CLOSE.get(name);
      while (this.stack.length > 0 && closes?.has(this.stack[this.stack.length - 1] ?? '')) this.sink.close(this.stack.pop() ?? '');
    }
    if (!(flags & VOID)) {
      this.stack.push(name);
      if (flags & FOREIGN_ROOT) this.foreign.push(true);
      else if (flags & INTEGRATION_POINT) this.foreign.push(false);
    }
    return this.sink.wantedAttributes(name);
  }

  /** The start tag begun by `startTag` ended (`/>` when `selfClosing`). */
  openTag(name: string, attributes: readonly string[], selfClosing: boolean): void {
    this.sink.open(name, attributes);
    if (this.startFlags & VOID) this.sink.close(name);
    else if (selfClosing && this.foreign[this.foreign.length - 1] === true && this.stack[this.stack.length - 1] === name) {
      this.stack.pop();
      this.sink.close(name);
    }
  }

  /** An end tag: closes the innermost open element of that name and everything inside it. */
  endTag(name: string): void {
    const flags = FLAGS.get(name) ?? 0;
    if (flags & (FOREIGN_ROOT | INTEGRATION_POINT)) this.foreign.pop();
    if (flags & VOID) {
      // `</br>` is a line break in every browser; other void end tags mean nothing.
      if (name === 'br') {
        this.sink.open('br', []);
        this.sink.close('br');
      }
      return;
    }
    const stack = this.stack;
    // Usually the innermost element: no search needed.
    const index = stack[stack.length - 1] === name ? stack.length - 1 : stack.lastIndexOf(name);
    if (index >= 0) {
      while (stack.length > index) this.sink.close(stack.pop() ?? '');
    } else if (name === 'p') {
      // `</p>` with no paragraph open is an empty paragraph.
      this.sink.open('p', []);
      this.sink.close('p');
    }
  }

  /** End of input: closes everything still open. */
  finish(): void {
    while (this.stack.length > 0) this.sink.close(this.stack.pop() ?? '');
  }
}
