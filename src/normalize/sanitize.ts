/**
 * The allowlist sanitizer for article HTML. Feed content is untrusted markup
 * that byline republishes, so only structural and inline text elements survive,
 * with a handful of attributes, and every surviving link and image points at an
 * absolute http(s) address (mailto: allowed for links).
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
 */
import sanitizeHtml from 'sanitize-html';
import { imageSource, isTrackingPixel } from './images.js';
import { unwrapCdata } from './text.js';
import { resolveUrl } from './urls.js';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'col', 'colgroup',
  'pre', 'code', 'kbd', 'samp', 'var', 'blockquote', 'figure', 'figcaption', 'details', 'summary',
  'img', 'a',
  'em', 'strong', 'b', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark', 'abbr', 'cite', 'q', 'time', 'del', 'ins',
  'ruby', 'rt', 'rp', 'wbr',
];

/** Elements removed together with everything inside them: active content, forms, foreign markup. */
const DROPPED_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object',
  'embed', 'applet', 'form', 'input', 'button', 'select', 'svg', 'math', 'title', 'head', 'noembed', 'noframes',
  'audio', 'video', 'canvas', 'dialog', 'portal', 'plaintext', 'listing',
];

/** Sectioning and legacy elements kept as the nearest allowed equivalent. */
const RENAMED_TAGS: Readonly<Record<string, string>> = {
  section: 'div', article: 'div', header: 'div', footer: 'div', aside: 'div', main: 'div', nav: 'div',
  center: 'div', address: 'div', hgroup: 'div', strike: 's', tt: 'code',
};

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['dir', 'lang'],
  a: ['href', 'title'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  time: ['datetime'],
  del: ['datetime', 'cite'],
  ins: ['datetime', 'cite'],
  q: ['cite'],
  blockquote: ['cite'],
  abbr: ['title'],
};

/**
 * Sanitizes article HTML: allowlisted elements and attributes only, scripts and
 * embeds dropped with their content, every href/src/cite made absolute against
 * `baseUrl` (dropped when that is impossible), lazy images given their real
 * `src`, tracking pixels and the links left empty by them removed. Plain text
 * (no markup at all) becomes paragraphs. Returns "" when nothing visible is
 * left, so renderers can fall back to the summary.
 */
export function sanitizeContent(html: string, baseUrl: string | null): string {
  if (typeof html !== 'string' || html.trim() === '') return '';
  const source = unwrapCdata(html);
  const markup = /<[a-zA-Z!/?]/.test(source) ? source : textToParagraphs(source);
  const clean = sanitizeMarkup(markup, baseUrl);
  return hasVisibleContent(clean) ? clean : '';
}

/**
 * The allowlist pass on its own: what sanitizeContent does to markup, without
 * turning plain text into paragraphs or an invisible result into "". Useful to
 * compare byline's policy with another sanitizer's output element by element.
 */
export function sanitizeMarkup(html: string, baseUrl: string | null): string {
  if (typeof html !== 'string' || html.trim() === '') return '';
  return removeEmptyLinks(sanitizeHtml(unwrapCdata(html), optionsFor(baseUrl))).trim();
}

/** The elements and attributes the sanitizer keeps (renamed elements are kept under their new name). */
export const SANITIZER_POLICY: {
  readonly tags: readonly string[];
  readonly renamed: Readonly<Record<string, string>>;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** Elements removed together with everything inside them. */
  readonly droppedWithContent: readonly string[];
} = { tags: ALLOWED_TAGS, renamed: RENAMED_TAGS, attributes: ALLOWED_ATTRIBUTES, droppedWithContent: DROPPED_WITH_CONTENT };

function optionsFor(base: string | null): sanitizeHtml.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    nonTextTags: DROPPED_WITH_CONTENT,
    disallowedTagsMode: 'discard',
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    parseStyleAttributes: false,
    transformTags: { '*': (tagName, attribs) => transformTag(tagName, attribs, base) },
    exclusiveFilter: dropEmptyElements,
  };
}

/** Rewrites one element before the allowlist sees it: names, URLs, image sources, sizes. */
function transformTag(tagName: string, attribs: sanitizeHtml.Attributes, base: string | null): sanitizeHtml.Tag {
  const name = RENAMED_TAGS[tagName] ?? tagName;
  // URL attributes first, so the output reads <a href=… title=…> and <img src=… alt=…>.
  const out: sanitizeHtml.Attributes = {};
  if (name === 'a' && attribs['href'] !== undefined) {
    const href = linkTarget(attribs['href'], base);
    if (href) out['href'] = href;
  }
  if (name === 'img') {
    const src = imageSource(attribs, base);
    if (src && !isTrackingPixel(src, attribs)) out['src'] = src;
  }
  if (attribs['cite'] !== undefined) {
    const cite = resolveUrl(attribs['cite'], base);
    if (cite) out['cite'] = cite;
  }
  for (const [key, value] of Object.entries(attribs)) {
    if (key === 'href' || key === 'src' || key === 'cite' || key.startsWith('data-') || key.endsWith('srcset')) continue;
    if ((key === 'width' || key === 'height') && !/^\d{1,5}%?$/.test(value.trim())) continue;
    out[key] = value;
  }
  return { tagName: name, attribs: out };
}

/** An absolute http(s) link, or a mailto: link; anything else is no link. */
function linkTarget(href: string, base: string | null): string | null {
  const trimmed = href.trim();
  // Only a plain, literal mailto: (no control characters or encodings that hide another scheme).
  if (/^mailto:[^\s<>"'\\]+$/i.test(trimmed)) return trimmed;
  return resolveUrl(trimmed, base);
}

/** Removes images left without a usable source and unwraps links left without a target. */
function dropEmptyElements(frame: sanitizeHtml.IFrame): boolean | 'excludeTag' {
  if (frame.tag === 'img') return !frame.attribs['src'];
  if (frame.tag === 'a' && !frame.attribs['href']) return 'excludeTag';
  return false;
}

/**
 * Removes links with nothing left inside (typically a dropped pixel's or feed
 * flare's wrapper). Done on the output, not in the filter, because the parser's
 * frames do not see images nested deeper than one level (`<a><picture><img>`).
 */
function removeEmptyLinks(html: string): string {
  return html.replace(/<a\b[^>]*>(?:\s|<br \/>)*<\/a>/g, '');
}

/** Text without markup: blank lines separate paragraphs, single newlines are line breaks. */
function textToParagraphs(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.replace(/\r?\n/g, '<br>')}</p>`)
    .join('');
}

/** Our own output has well-formed tags and escaped text, so stripping `<…>` leaves exactly the text. */
function hasVisibleContent(html: string): boolean {
  return /<img\s/.test(html) || /[^\s\u200B\uFEFF]/.test(html.replace(/<[^>]*>/g, ''));
}
