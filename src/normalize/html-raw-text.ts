/**
 * Raw-text elements for the HTML scanner: which start tags switch to raw text,
 * which end tag ends it, and what the text of such an element is (only
 * `<title>` decodes character references). Follows the parser byline used
 * before, so sanitized output does not change.
 */
import { decodedReference, decodeReference } from './html-entities.js';

/**
 * Start tags whose content is raw text up to a matching end tag, and that end
 * tag's name. The `t`/`x` spellings share one path in the old tokenizer, so
 * `<tmp>` ends at `</xmp>` and `<xitle>` at `</title>`.
 */
export const RAW_TEXT_END: ReadonlyMap<string, string> = new Map([
  ['script', 'script'], ['style', 'style'], ['title', 'title'], ['xitle', 'title'],
  ['textarea', 'textarea'], ['xextarea', 'textarea'], ['xmp', 'xmp'], ['tmp', 'xmp'],
]);
const RAW_TEXT_NAMES = [...RAW_TEXT_END.keys()];

/** Whether `partial` (lower case) begins a raw-text element's name: an input ending in `<scr` keeps it as text. */
export function isRawTextNamePrefix(partial: string): boolean {
  return RAW_TEXT_NAMES.some((name) => name.startsWith(partial));
}

/** The text of a raw-text element that `endName` ends, from `html[from, to)`. */
export function rawTextContent(html: string, from: number, to: number, endName: string): string {
  return endName === 'title' ? decodeTitleText(html, from, to) : html.slice(from, to);
}

/**
 * `<title>` text decodes its character references, except an `&` right after
 * the start of what might have been its end tag (`</ti&amp;`), which the old
 * tokenizer was still busy matching.
 */
function decodeTitleText(html: string, from: number, to: number): string {
  // Searching the slice keeps each search for `&` within the title.
  const text = html.slice(from, to);
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  let out = '';
  let copied = 0;
  while (amp >= 0) {
    const end = followsPartialEndTag(html, from + copied, from + amp) ? -1 : decodeReference(html, from + amp, false);
    if (end < 0) {
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    out += text.slice(copied, amp) + decodedReference;
    copied = end - from;
    amp = text.indexOf('&', copied);
  }
  return out + text.slice(copied);
}

const PARTIAL_END_TAG = '</title';

/** Whether `html[amp]` follows a `<` that may have begun `</title`: looks back no further than that could be. */
function followsPartialEndTag(html: string, segmentStart: number, amp: number): boolean {
  const earliest = Math.max(segmentStart, amp - PARTIAL_END_TAG.length + 1);
  for (let lt = amp - 1; lt >= earliest; lt--) {
    if (html.charCodeAt(lt) === 0x3c) return html.slice(lt, amp).toLowerCase() === PARTIAL_END_TAG.slice(0, amp - lt);
  }
  return false;
}
