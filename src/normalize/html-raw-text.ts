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
  let out = '';
  let copied = from;
  let amp = html.indexOf('&', from);
  while (amp >= 0 && amp < to) {
    const end = followsPartialEndTag(html, copied, amp) ? -1 : decodeReference(html, amp, false);
    if (end < 0) {
      amp = html.indexOf('&', amp + 1);
      continue;
    }
    out += html.slice(copied, amp) + decodedReference;
    copied = end;
    amp = html.indexOf('&', end);
  }
  return out + html.slice(copied, to);
}

function followsPartialEndTag(html: string, segmentStart: number, amp: number): boolean {
  const lt = amp > 0 ? html.lastIndexOf('<', amp - 1) : -1;
  if (lt < segmentStart || amp - lt >= '</title'.length) return false;
  return html.slice(lt, amp).toLowerCase() === '</title'.slice(0, amp - lt);
}
