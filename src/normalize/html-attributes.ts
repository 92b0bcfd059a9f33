/**
 * Start tag attributes for the HTML scanner: names up to `=`, whitespace, `/`
 * or `>`, values quoted or not, character references decoded (by the rules of
 * attribute values) only for the attributes a sink asked for, the first of
 * each name winning as in browsers.
 */
import { decodeReferences } from './html-entities.js';

const TAB = 0x09, NEWLINE = 0x0a, FORM_FEED = 0x0c, RETURN = 0x0d, SPACE = 0x20;
const DOUBLE_QUOTE = 0x22, SINGLE_QUOTE = 0x27, SLASH = 0x2f, EQUALS = 0x3d, GREATER = 0x3e;

/** HTML's whitespace, which separates attributes and ends tag names. */
export function isWhitespace(code: number): boolean {
  return code === SPACE || code === NEWLINE || code === TAB || code === FORM_FEED || code === RETURN;
}

/** Names are compared lower-case; most are already, and lower-casing is a runtime call, so check first. */
export function lowerCased(html: string, from: number, to: number): string {
  for (let index = from; index < to; index++) {
    const code = html.charCodeAt(index);
    if ((code >= 0x41 && code <= 0x5a) || code >= 0x80) return html.slice(from, to).toLowerCase();
  }
  return html.slice(from, to);
}

/**
 * Whether the tag readAttributes read last ended in `/>`: a variable rather
 * than a returned pair, since this runs for every tag of every item.
 */
export let tagSelfClosed = false;

/**
 * The attributes of a start tag from `position` (just past its name) to its
 * `>`. Collects the `wanted` ones into `into` when given. Returns the index
 * past `>`, or -1 when the input ends first.
 */
export function readAttributes(html: string, position: number, into: string[] | null, wanted: ReadonlySet<string> | null): number {
  const length = html.length;
  for (;;) {
    while (position < length && isWhitespace(html.charCodeAt(position))) position++;
    if (position >= length) return -1;
    let code = html.charCodeAt(position);
    if (code === GREATER) {
      tagSelfClosed = false;
      return position + 1;
    }
    if (code === SLASH) {
      position++;
      while (position < length && isWhitespace(html.charCodeAt(position))) position++;
      if (position >= length) return -1;
      if (html.charCodeAt(position) === GREATER) {
        tagSelfClosed = true;
        return position + 1;
      }
      continue;
    }
    // The first character belongs to the name whatever it is (`<p ="x">` has an attribute named "").
    const nameStart = position++;
    while (position < length) {
      code = html.charCodeAt(position);
      if (code === EQUALS || isWhitespace(code) || code === SLASH || code === GREATER) break;
      position++;
    }
    const nameEnd = position;
    const name = into ? lowerCased(html, nameStart, nameEnd) : '';
    const keep = into !== null && wanted?.has(name) === true;
    while (position < length && isWhitespace(html.charCodeAt(position))) position++;
    if (position >= length) return -1;
    let value = '';
    if (html.charCodeAt(position) === EQUALS) {
      position++;
      while (position < length && isWhitespace(html.charCodeAt(position))) position++;
      if (position >= length) return -1;
      code = html.charCodeAt(position);
      if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
        const close = html.indexOf(code === DOUBLE_QUOTE ? '"' : "'", position + 1);
        if (close < 0) return -1;
        if (keep) value = decodeReferences(html, position + 1, close, true);
        position = close + 1;
      } else {
        const valueStart = position;
        while (position < length && !isWhitespace(html.charCodeAt(position)) && html.charCodeAt(position) !== GREATER) position++;
        if (position >= length) return -1;
        if (keep) value = decodeReferences(html, valueStart, position, true);
      }
    }
    if (keep && into) addAttribute(into, name, value);
  }
}

/** Adds an attribute unless one of that name came earlier (the first one wins, as in browsers). */
function addAttribute(attributes: string[], name: string, value: string): void {
  for (let index = 0; index < attributes.length; index += 2) if (attributes[index] === name) return;
  attributes.push(name, value);
}
