/**
 * Plain text from feed markup: titles, summaries, author and category names.
 * Runs the same scanner as the sanitizer, keeping only text: entities decoded
 * as a browser would, script/style bodies never leak in, block elements
 * separate words. Values without markup or entities skip the scanner.
 */
import { decodeReferences } from './html-entities.js';
import { scanHtml } from './html-scanner.js';
import type { ElementSink } from './html-tree.js';

/** Elements whose start and end separate words ("<p>a</p><p>b</p>" is "a b", not "ab"). */
export const BLOCK_ELEMENTS: readonly string[] = [
  'p', 'div', 'br', 'hr', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th',
  'table', 'thead', 'tbody', 'tfoot', 'caption', 'blockquote', 'pre', 'section', 'article', 'header', 'footer',
  'aside', 'nav', 'figure', 'figcaption', 'address', 'details', 'summary', 'main', 'img', 'form', 'fieldset',
];

/**
 * A space goes before each block tag in the markup itself, so that the space
 * lands wherever the tag's boundary is, whatever the tag turns out to contain.
 */
const BLOCK_TAG = new RegExp(`<(\\/?)(${BLOCK_ELEMENTS.join('|')})(?=[\\s/>])`, 'gi');

/** Elements dropped with everything inside them when turning markup into text. */
const INVISIBLE_TAGS: ReadonlySet<string> = new Set([
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'template', 'iframe', 'object',
  'embed', 'svg', 'math', 'select', 'button', 'noembed', 'noframes', 'applet', 'audio', 'video',
]);

/**
 * Plain text of an HTML fragment: tags stripped, entities decoded, CDATA
 * wrappers unwrapped, whitespace (including no-break and ideographic spaces)
 * folded to single spaces and trimmed.
 */
export function htmlToText(html: string): string {
  if (typeof html !== 'string' || html === '') return '';
  if (!html.includes('<')) return foldWhitespace(html.includes('&') ? decodeReferences(html, 0, html.length, false) : html);
  const collector = new TextCollector();
  scanHtml(unwrapCdata(html).replace(BLOCK_TAG, ' <$1$2'), collector);
  return collector.folder.text;
}

/** Keeps the text outside invisible elements. */
class TextCollector implements ElementSink {
  readonly folder = new TextFolder();
  skipping = false;
  private hiddenDepth = 0;

  wantedAttributes(): null {
    return null;
  }

  open(name: string): string {
    if (this.hiddenDepth > 0) this.hiddenDepth++;
    else if (INVISIBLE_TAGS.has(name)) {
      this.hiddenDepth = 1;
      this.skipping = true;
    }
    return name;
  }

  close(): void {
    if (this.hiddenDepth > 0 && --this.hiddenDepth === 0) this.skipping = false;
  }

  text(value: string): void {
    this.folder.add(value);
  }
}

/** `<![CDATA[x]]>` left inside a value by a double-wrapping generator means just `x`. */
export function unwrapCdata(html: string): string {
  // The short pattern first: searching for it is several times cheaper than for the whole opener.
  if (html.indexOf('<![') < 0 || !html.includes('<![CDATA[')) return html;
  return html.replace(/<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g, '$1');
}

/**
 * Collapses runs of whitespace (anything `\s` matches, no-break and ideographic
 * spaces included) to one space, trims, and strips control characters that have
 * no business in text (and zero-width spaces, byte-order marks) first, so they
 * never keep two spaces apart.
 */
export function foldWhitespace(text: string): string {
  const folder = new TextFolder();
  folder.add(text);
  return folder.text;
}

/**
 * foldWhitespace for text that arrives in pieces: `text` is always the folded
 * concatenation of everything added so far. Copies untouched stretches whole.
 */
export class TextFolder {
  text = '';
  /** A space is owed before the next visible character (unless nothing came before it). */
  private spaceDue = false;

  add(piece: string): void {
    if (!NEEDS_FOLDING.test(piece)) {
      this.addFolded(piece);
      return;
    }
    const length = piece.length;
    let stretch = -1;
    for (let index = 0; index < length; index++) {
      const code = piece.charCodeAt(index);
      if (isVisible(code)) {
        if (stretch < 0) {
          if (this.spaceDue && this.text !== '') this.text += ' ';
          this.spaceDue = false;
          stretch = index;
        }
        continue;
      }
      // A single plain space between two visible characters stays inside the stretch.
      if (code === 0x20 && stretch >= 0 && index + 1 < length && isVisible(piece.charCodeAt(index + 1))) continue;
      if (stretch >= 0) {
        this.text += piece.slice(stretch, index);
        stretch = -1;
      }
      if (isFoldedSpace(code)) this.spaceDue = true;
    }
    if (stretch >= 0) this.text += stretch === 0 ? piece : piece.slice(stretch);
  }

  /** A piece whose only whitespace is single plain spaces (possibly at its ends). */
  private addFolded(piece: string): void {
    let start = 0;
    let end = piece.length;
    if (piece.charCodeAt(0) === 0x20) {
      this.spaceDue = true;
      start = 1;
    }
    const trailingSpace = end > start && piece.charCodeAt(end - 1) === 0x20;
    if (trailingSpace) end--;
    if (end > start) {
      if (this.spaceDue && this.text !== '') this.text += ' ';
      this.text += start === 0 && end === piece.length ? piece : piece.slice(start, end);
      this.spaceDue = false;
    }
    if (trailingSpace) this.spaceDue = true;
  }
}

/** Anything foldWhitespace changes besides single plain spaces: other whitespace, doubled spaces, stripped characters. */
const NEEDS_FOLDING = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\u0000-\u0008\u000e-\u001f\u007f]| {2}/;

/** Neither whitespace nor a character foldWhitespace strips. */
function isVisible(code: number): boolean {
  if (code > 0x20 && code < 0x7f) return true;
  if (code <= 0x20 || code === 0x7f) return false;
  return code < 0xa0 || !(code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200b) || code === 0x2028 ||
    code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff);
}

/** Whitespace that folds into a space (vertical tab, U+200B and U+FEFF are stripped instead). */
function isFoldedSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0xa0 || code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

/** Splits text into what a reader sees as single characters (a letter with its marks, a flag, a ZWJ emoji). */
const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** How far before a cut to start segmenting: longer than any grapheme cluster real text has. */
const GRAPHEME_WINDOW = 64;

/**
 * Characters that never join the one before them into a cluster, nor the one
 * after: printable Latin below the combining marks, CJK punctuation, kana,
 * ideographs and full-width forms. A cut between two of them needs no segmenter,
 * which is how nearly every cut falls.
 */
function standsAlone(code: number): boolean {
  if (code >= 0x20 && code < 0x300) return true;
  // Kana and CJK punctuation, less the combining tone and voicing marks among them (U+302A–302F, U+3099–309A).
  if (code >= 0x3000 && code <= 0x30ff) return !(code >= 0x302a && code <= 0x302f) && code !== 0x3099 && code !== 0x309a;
  return (code >= 0x3400 && code <= 0x9fff) || (code >= 0xff01 && code <= 0xff5e);
}

/** `index`, or the start of the grapheme cluster it falls inside (a cut there would split it). */
function graphemeStart(text: string, index: number): number {
  if (standsAlone(text.charCodeAt(index)) && standsAlone(text.charCodeAt(index - 1))) return index;
  const from = Math.max(0, index - GRAPHEME_WINDOW);
  const cluster = GRAPHEMES.segment(text.slice(from, index + GRAPHEME_WINDOW)).containing(index - from);
  return cluster === undefined ? index : from + cluster.index;
}

/**
 * Shortens text to about `max` characters, cutting at the last space when one
 * falls in the final 40% (CJK and Thai text have none: it is cut at the limit)
 * and adding an ellipsis. Never splits a character: a surrogate pair, a letter
 * and its combining marks (Thai vowels and tone marks), a flag or an emoji
 * sequence stays whole or goes whole.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, graphemeStart(text, max));
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}
