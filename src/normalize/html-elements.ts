/**
 * What tree construction needs to know about an element name, as bit flags
 * looked up once per tag. The categories are the HTML standard's ("special"
 * elements, scopes, the start tags that close a paragraph or end SVG/MathML
 * content), because byline's output is read back by a browser's parser and
 * must mean the same thing there: each start tag a browser would treat as
 * closing open elements has to close them in the sanitized output too.
 */

/** No content: the start tag is the whole element. */
export const VOID = 1 << 0;
/** Closes an open `<p>` in button scope first ("close a p element"). */
export const CLOSES_P = 1 << 1;
export const HEADING = 1 << 2;
/**
 * The "special" elements other than address, div and p: the search for an
 * open li, dd or dt to close stops at the first of these (and closes it when
 * it is the element searched for).
 */
export const STOPS_ITEM_SEARCH = 1 << 3;
/** Boundaries of the default scope: an element beyond one is not "in scope". */
export const SCOPE_BOUNDARY = 1 << 4;
/** Marker elements of the active formatting list: an `<a>` inside one leaves an `<a>` outside it open. */
export const FORMATTING_MARKER = 1 << 5;
/** Table structure, whose start tags follow the table insertion modes. */
export const TABLE_PART = 1 << 6;
/** Start tags a browser ignores inside a body (the fragment byline's output always lands in). */
export const IGNORED = 1 << 7;
/** What "generate implied end tags" pops. */
export const IMPLIED_END = 1 << 8;
/** Start tags that end SVG/MathML content (font only with color, face or size; see ElementTree). */
export const BREAKS_OUT_OF_FOREIGN = 1 << 9;
/** Inside SVG, these hold HTML again. */
export const SVG_INTEGRATION_POINT = 1 << 10;
/** Inside MathML, these hold HTML again. */
export const MATH_INTEGRATION_POINT = 1 << 11;
/** Start tags with rules of their own in ElementTree (spares the common tags a string switch). */
export const OWN_RULES = 1 << 12;
/** What an open element is to the start tags after it (rather than what its own start tag does). */
export const STACK_FLAGS = SCOPE_BOUNDARY | FORMATTING_MARKER | STOPS_ITEM_SEARCH;
/** Not from the name: ElementTree sets it on open elements whose tags its sink leaves out (their content kept). */
export const LEFT_OUT = 1 << 13;
/** The bits above are all element flags use; ElementTree keeps namespaces above them. */
export const FIRST_FREE_BIT = 14;

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** The standard's "special" elements, less address, div and p (which an item search passes through). */
const ITEM_SEARCH_STOPS = [
  'applet', 'area', 'article', 'aside', 'base', 'basefont', 'bgsound', 'blockquote', 'body', 'br', 'button', 'caption',
  'center', 'col', 'colgroup', 'dd', 'details', 'dir', 'dl', 'dt', 'embed', 'fieldset', 'figcaption', 'figure', 'footer',
  'form', 'frame', 'frameset', ...HEADINGS, 'head', 'header', 'hgroup', 'hr', 'html', 'iframe', 'img', 'input', 'keygen',
  'li', 'link', 'listing', 'main', 'marquee', 'menu', 'meta', 'nav', 'noembed', 'noframes', 'noscript', 'object', 'ol',
  'param', 'plaintext', 'pre', 'script', 'search', 'section', 'select', 'source', 'style', 'summary', 'table', 'tbody',
  'td', 'template', 'textarea', 'tfoot', 'th', 'thead', 'title', 'tr', 'track', 'ul', 'wbr', 'xmp',
];

const PARAGRAPH_CLOSERS = [
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset',
  'figcaption', 'figure', 'footer', 'header', 'hgroup', 'main', 'menu', 'nav', 'ol', 'p', 'search', 'section', 'summary',
  'ul', ...HEADINGS, 'pre', 'listing', 'form', 'li', 'dd', 'dt', 'plaintext', 'table', 'hr', 'xmp',
];

const BREAKOUTS = [
  'b', 'big', 'blockquote', 'body', 'br', 'center', 'code', 'dd', 'div', 'dl', 'dt', 'em', 'embed', ...HEADINGS, 'head',
  'hr', 'i', 'img', 'li', 'listing', 'menu', 'meta', 'nobr', 'ol', 'p', 'pre', 'ruby', 's', 'small', 'span', 'strong',
  'strike', 'sub', 'sup', 'table', 'tt', 'u', 'ul', 'var',
];

/**
 * `command` and `isindex` are void as in the parser byline used before; no
 * browser gives them content worth keeping either.
 */
const VOID_ELEMENTS = [
  'area', 'base', 'basefont', 'bgsound', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex',
  'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr',
];

/**
 * `frameset` only replaces the body of a page that has shown nothing yet,
 * which a feed item never is.
 */
const IGNORED_ELEMENTS = ['html', 'body', 'head', 'frame', 'frameset'];

const FLAGS: ReadonlyMap<string, number> = (() => {
  const flags = new Map<string, number>();
  const add = (names: readonly string[], flag: number): void => {
    for (const name of names) flags.set(name, (flags.get(name) ?? 0) | flag);
  };
  add(VOID_ELEMENTS, VOID);
  add(PARAGRAPH_CLOSERS, CLOSES_P);
  add(HEADINGS, HEADING);
  add(ITEM_SEARCH_STOPS, STOPS_ITEM_SEARCH);
  add(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template'], SCOPE_BOUNDARY);
  add(['applet', 'caption', 'marquee', 'object', 'template', 'td', 'th'], FORMATTING_MARKER);
  add(['table', 'caption', 'colgroup', 'col', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th'], TABLE_PART);
  add(IGNORED_ELEMENTS, IGNORED);
  add(['dd', 'dt', 'li', 'optgroup', 'option', 'p', 'rb', 'rp', 'rt', 'rtc'], IMPLIED_END);
  add(BREAKOUTS, BREAKS_OUT_OF_FOREIGN);
  add(['foreignobject', 'desc', 'title'], SVG_INTEGRATION_POINT);
  add(['mi', 'mo', 'mn', 'ms', 'mtext'], MATH_INTEGRATION_POINT);
  add(
    ['li', 'dd', 'dt', 'a', 'button', 'select', 'input', 'keygen', 'textarea', 'option', 'optgroup', 'rb', 'rtc', 'rp', 'rt', 'svg', 'math'],
    OWN_RULES,
  );
  return flags;
})();

/** The flags of an element name (lower-case); 0 for names HTML gives no rules. */
export function elementFlags(name: string): number {
  return FLAGS.get(name) ?? 0;
}
