/**
 * Plain text from feed markup: titles, summaries, author and category names.
 * Uses sanitize-html's parser (htmlparser2) with nothing allowed, so entities are
 * decoded exactly as a browser would and script/style bodies never leak in.
 */
import sanitizeHtml from 'sanitize-html';

/** Elements whose end separates words ("<p>a</p><p>b</p>" is "a b", not "ab"). */
const BLOCK_TAG = /<(\/?)(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|thead|tbody|tfoot|caption|blockquote|pre|section|article|header|footer|aside|nav|figure|figcaption|address|details|summary|main|img)(?=[\s/>])/gi;

/** Elements dropped with everything inside them when turning markup into text. */
const INVISIBLE_TAGS = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'template', 'iframe', 'object',
  'embed', 'svg', 'math', 'select', 'button', 'noembed', 'noframes', 'frameset', 'applet', 'audio', 'video',
];

const TEXT_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
  nonTextTags: INVISIBLE_TAGS,
};

/**
 * Plain text of an HTML fragment: tags stripped, entities decoded, CDATA
 * wrappers unwrapped, whitespace (including no-break and ideographic spaces)
 * folded to single spaces and trimmed.
 */
export function htmlToText(html: string): string {
  if (typeof html !== 'string' || html === '') return '';
  const prepared = unwrapCdata(html).replace(BLOCK_TAG, ' <$1$2');
  const escaped = sanitizeHtml(prepared, TEXT_OPTIONS);
  return foldWhitespace(decodeBasicEntities(escaped));
}

/** `<![CDATA[x]]>` left inside a value by a double-wrapping generator means just `x`. */
export function unwrapCdata(html: string): string {
  return html.replace(/<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g, '$1');
}

/** Collapses runs of whitespace and strips control characters that have no business in text. */
export function foldWhitespace(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F\u200B\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Shortens text to about `max` characters, cutting at the last space when one
 * falls in the final 40% (CJK text has none: it is cut at the limit) and adding
 * an ellipsis. Never splits a surrogate pair.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/** sanitize-html re-escapes the text it emits; undo exactly those escapes. */
function decodeBasicEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|amp);/g, (_match, name: string) => {
    switch (name) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      default:
        return '&';
    }
  });
}
