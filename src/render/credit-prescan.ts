/**
 * A quick look at an article's raw HTML that rules out credit mentions
 * without building its text. credit-detect.ts looks for its markers in the
 * visible text (tags replaced by spaces, entities decoded), which costs a
 * dozen passes over a 5 KB body; almost no article has a marker, and a feed
 * renders thousands of them. {@link mayHaveCreditMarker} answers false only
 * when no marker can occur in that text, so the exact check still decides
 * every article it lets through.
 *
 * Why looking at the markup is enough: without numeric character references
 * (checked first), the text differs from the markup only where a tag became
 * one space, `&nbsp;` a no-break space, and `&amp;`, `&lt;`, `&gt;`, `&quot;`,
 * `&apos;` their character. So a word of the text is a word of the markup, and
 * what separates two words in the text (a space, which stands for a run of
 * whitespace, or whitespace before a colon) is a run of whitespace, tags and
 * `&nbsp;` in the markup. Each test below is a
 * marker of credit-detect.ts loosened that way; `\b` and leading words are
 * left out, which only lets more articles through. Licence lines are ruled
 * out by a word every one of them contains (credit-license.ts).
 */
import { LICENSE_HINT } from './credit-license.js';

/**
 * Markers with no colon, and the Chinese ones, in one case-insensitive
 * pattern: one native pass over the markup. In the English phrases a single
 * space of the text is a run of whitespace, tags and `&nbsp;` (in any letter
 * case, as credit-detect.ts decodes it) in the markup. Every Chinese
 * marker contains one of 来源 來源 出处 出處 稿源 转自 轉自 转载 轉載 原载 原載
 * 原文, which the two-character class covers (with a few more pairs).
 */
const GAP = '(?:\\s|&nbsp;|<[^>]*>)+';
const PHRASES = new RegExp(
  [
    // "read the original article", "originally published at"
    `(?:original|full)${GAP}(?:article|story|post)`,
    `published${GAP}(?:at|on)`,
    // "please credit", "credit … when republishing", "republished with permission"
    `please${GAP}(?:credit|attribute|cite)`,
    `when${GAP}(?:republishing|reposting|sharing|reprinting)`,
    `(?:republish|reprint|repost)(?:ed|ing)?${GAP}with`,
    '[来來出稿转轉原][源处處自载載文]',
  ].join('|'),
  'i',
);

/**
 * The last word before the colon in "Source:", "Image credit:", "Via:",
 * "Original article:", "Originally published on:", lower case.
 */
const WORDS_BEFORE_COLON = ['source', 'sources', 'credit', 'credits', 'via', 'original', 'article', 'link', 'post', 'story', 'url', 'on', 'at', 'by', 'in'];

/** JavaScript's `\s`, as credit-detect.ts's patterns use it. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Where the tag that ends at the `>` at `end` begins, as `/<[^>]*>/g` (the
 * text's tag pattern) finds it scanning from the left: at the first `<` after
 * the previous `>`. -1 when that `>` is text.
 */
function tagStart(html: string, end: number): number {
  const start = html.indexOf('<', html.lastIndexOf('>', end - 1) + 1);
  return start >= 0 && start < end ? start : -1;
}

/** Whether the colon at `colon` follows one of WORDS_BEFORE_COLON, with only spaces, tags and `&nbsp;` between. */
function colonAfterMarkerWord(html: string, colon: number): boolean {
  let end = colon;
  while (end > 0) {
    const code = html.charCodeAt(end - 1);
    if (isSpace(code)) end -= 1;
    else if (code === 0x3e /* > */) {
      const start = tagStart(html, end - 1);
      if (start < 0) return false;
      end = start;
    } else if (code === 0x3b /* ; */ && end >= 6 && html.slice(end - 6, end).toLowerCase() === '&nbsp;') end -= 6;
    else break;
  }
  const before = html.slice(Math.max(0, end - 8), end).toLowerCase();
  return WORDS_BEFORE_COLON.some((word) => before.endsWith(word));
}

function hasColonMarker(html: string): boolean {
  for (const colon of [':', '：']) {
    for (let at = html.indexOf(colon); at >= 0; at = html.indexOf(colon, at + 1)) {
      if (colonAfterMarkerWord(html, at)) return true;
    }
  }
  return false;
}

/**
 * False only when none of credit-detect.ts's markers can occur in the text of
 * `html`; true means "maybe", and the exact check must decide.
 */
export function mayHaveCreditMarker(html: string): boolean {
  // A numeric reference can spell any character, so the markup tells nothing.
  if (html.includes('&#')) return true;
  return hasColonMarker(html) || PHRASES.test(html) || LICENSE_HINT.test(html);
}
