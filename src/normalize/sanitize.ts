/**
 * The allowlist sanitizer for article HTML. Feed content is untrusted markup
 * that byline republishes, so only structural and inline text elements survive,
 * with a handful of attributes, and every surviving link and image points at an
 * absolute http(s) address (mailto: allowed for links). One scan of the input
 * writes the clean HTML and, alongside, its plain text (for summaries, titles
 * and identity), so the clean HTML is never parsed a second time.
 *
 * Decisions:
 * - `<picture>`/`<source>` are unwrapped: the inner `<img>` (its src, or its
 *   lazy/srcset address) is the one image kept, because source selection needs
 *   media queries a feed reader does not evaluate.
 * - Links get no `rel` and lose `target`: without `target` there is no opener to
 *   protect, and keeping the referrer lets publishers see the traffic byline
 *   sends them, which is part of crediting them.
 * - `data:` URLs are dropped everywhere, images included.
 * - `id`, `class` and `style` are dropped: they style nothing outside the source
 *   page and `style` is a script vector in old engines.
 * - Whatever the markup, the output is well-formed: every kept element is
 *   closed, in order, and text is escaped. It is also nested as a browser's
 *   parser keeps it (html-tree.ts), so markup a page puts after it, such as
 *   byline's credit footer, stays outside it.
 */
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, DROPPED_WITH_CONTENT, RENAMED_TAGS } from './sanitize-policy.js';
import { sanitizeFragment } from './sanitize-writer.js';
import { unwrapCdata } from './text.js';

/** Clean article HTML and its plain text (whitespace folded), both "" when nothing visible is left. */
export interface SanitizedContent {
  html: string;
  text: string;
  /** The URL of the first image in `html` (the lead image when the item names none). */
  image: string | null;
}

const NOTHING: SanitizedContent = { html: '', text: '', image: null };

/**
 * Sanitizes article HTML: allowlisted elements and attributes only, scripts and
 * embeds dropped with their content, every href/src/cite made absolute against
 * `baseUrl` (dropped when that is impossible), lazy images given their real
 * `src`, tracking pixels and the links left empty by them removed. Plain text
 * (no markup at all) becomes paragraphs. Returns "" when nothing visible is
 * left, so renderers can fall back to the summary.
 */
export function sanitizeContent(html: string, baseUrl: string | null): string {
  return sanitizeContentAndText(html, baseUrl).html;
}

/**
 * sanitizeContent, plus the plain text of the result (what htmlToText gives for
 * it). With `textLimit`, the text may stop after its first `textLimit + 1`
 * characters: enough for a caller that only shows or hashes the beginning, and
 * cheaper on long articles.
 */
export function sanitizeContentAndText(html: string, baseUrl: string | null, textLimit = Infinity): SanitizedContent {
  if (typeof html !== 'string' || !/\S/.test(html)) return NOTHING;
  const source = unwrapCdata(html);
  // Unwrapped twice, as ever: a CDATA section wrapped in another one is unwrapped too.
  const markup = /<[a-zA-Z!/?]/.test(source) ? (source === html ? source : unwrapCdata(source)) : textToParagraphs(source);
  const result = sanitizeFragment(markup, baseUrl, textLimit);
  return result.visible ? { html: result.html, text: result.text, image: result.image } : NOTHING;
}

/**
 * The allowlist pass on its own: what sanitizeContent does to markup, without
 * turning plain text into paragraphs or an invisible result into "". Useful to
 * compare byline's policy with another sanitizer's output element by element.
 */
export function sanitizeMarkup(html: string, baseUrl: string | null): string {
  if (typeof html !== 'string' || !/\S/.test(html)) return '';
  return sanitizeFragment(unwrapCdata(html), baseUrl).html;
}

/** The elements and attributes the sanitizer keeps (renamed elements are kept under their new name). */
export const SANITIZER_POLICY: {
  readonly tags: readonly string[];
  readonly renamed: Readonly<Record<string, string>>;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** Elements removed together with everything inside them. */
  readonly droppedWithContent: readonly string[];
} = { tags: ALLOWED_TAGS, renamed: RENAMED_TAGS, attributes: ALLOWED_ATTRIBUTES, droppedWithContent: DROPPED_WITH_CONTENT };

/** Text without markup: blank lines separate paragraphs, single newlines are line breaks. */
function textToParagraphs(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.replace(/\r?\n/g, '<br>')}</p>`)
    .join('');
}
