/**
 * What the article sanitizer keeps: the allowlists of elements and attributes,
 * the elements dropped with their content, the renamed ones, and how one kept
 * element's start tag is written (URLs made absolute, lazy images resolved,
 * tracking pixels and dead links dropped). sanitize-writer.ts applies it
 * while scanning; the reasons behind the policy are given in sanitize.ts.
 */
import { IMAGE_SOURCE_ATTRIBUTES, imageSource, isDecorativeImage, isTrackingPixel } from './images.js';
import { BLOCK_ELEMENTS } from './text.js';
import { resolveUrl } from './urls.js';

/** Elements kept (under these names), their content with them. */
export const ALLOWED_TAGS: readonly string[] = [
  'p', 'br', 'hr', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'col', 'colgroup',
  'pre', 'code', 'kbd', 'samp', 'var', 'blockquote', 'figure', 'figcaption', 'details', 'summary',
  'img', 'a',
  'em', 'strong', 'b', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark', 'abbr', 'cite', 'q', 'time', 'del', 'ins',
  'ruby', 'rt', 'rp', 'wbr',
];

/**
 * Elements removed together with everything inside them: active content, form controls, foreign
 * markup. `head`, `frame` and `frameset` are not among them: inside a body a browser ignores those
 * tags, and so does the scanner's element tree, so what follows them shows. Nor is `form`: its
 * controls go, but a form left open (a sign-up box pasted mid-post) holds the rest of the article,
 * which a browser shows and a reader must too.
 */
export const DROPPED_WITH_CONTENT: readonly string[] = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'template', 'iframe', 'object',
  'embed', 'applet', 'input', 'button', 'select', 'svg', 'math', 'title', 'noembed', 'noframes',
  'audio', 'video', 'canvas', 'dialog', 'portal', 'plaintext', 'listing',
];

/** Sectioning and legacy elements kept as the nearest allowed equivalent. */
export const RENAMED_TAGS: Readonly<Record<string, string>> = {
  section: 'div', article: 'div', header: 'div', footer: 'div', aside: 'div', main: 'div', nav: 'div',
  center: 'div', address: 'div', hgroup: 'div', strike: 's', tt: 'code',
};

/** Attributes kept, per kept element; `*` lists those kept on every element. */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
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

const GLOBAL_ATTRIBUTES = new Set(ALLOWED_ATTRIBUTES['*']);
const NO_ATTRIBUTES: ReadonlySet<string> = new Set();

/** How the sanitizer treats one element name, resolved once per name. */
export interface TagPolicy {
  /** The name it is written under. */
  readonly tag: string;
  readonly allowed: boolean;
  readonly droppedWithContent: boolean;
  /** Whether its boundaries separate words in the plain text. */
  readonly block: boolean;
  /** Its start tag when it has no attributes to keep. */
  readonly bareStart: string;
  /** Its end tag; "" for elements written as `<x />`. */
  readonly end: string;
  readonly attributes: ReadonlySet<string>;
  /** The attributes startTagFor reads (null when the element is not kept): kept ones and image sources. */
  readonly readAttributes: ReadonlySet<string> | null;
}

const SELF_CLOSING = new Set(['img', 'br', 'hr', 'col']);

function policyFor(name: string): TagPolicy {
  const tag = RENAMED_TAGS[name] ?? name;
  const selfClosing = SELF_CLOSING.has(tag);
  const allowed = ALLOWED_TAGS.includes(tag);
  const attributes = new Set(ALLOWED_ATTRIBUTES[tag] ?? NO_ATTRIBUTES);
  return {
    tag,
    allowed,
    droppedWithContent: DROPPED_WITH_CONTENT.includes(tag),
    block: BLOCK_ELEMENTS.includes(tag),
    bareStart: selfClosing ? `<${tag} />` : `<${tag}>`,
    end: selfClosing ? '' : `</${tag}>`,
    attributes,
    readAttributes: allowed ? new Set([...GLOBAL_ATTRIBUTES, ...attributes, ...(tag === 'img' ? IMAGE_SOURCE_ATTRIBUTES : [])]) : null,
  };
}

const NOT_ALLOWED: TagPolicy = {
  tag: '', allowed: false, droppedWithContent: false, block: false, bareStart: '', end: '', attributes: NO_ATTRIBUTES, readAttributes: null,
};
/** Every name the policy mentions has its entry; any other name is simply not allowed. */
const POLICIES: ReadonlyMap<string, TagPolicy> = new Map(
  [...ALLOWED_TAGS, ...DROPPED_WITH_CONTENT, ...Object.keys(RENAMED_TAGS)].map((name) => [name, policyFor(name)]),
);

/** The policy for an element name (lower-case, as the scanner reports it). */
export function tagPolicy(name: string): TagPolicy {
  return POLICIES.get(name) ?? NOT_ALLOWED;
}

/** Text for an attribute value in double quotes. */
export function escapeAttribute(value: string): string {
  if (!/[&<>"]/.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attribute(attributes: readonly string[], name: string): string | undefined {
  for (let index = 0; index < attributes.length; index += 2) if (attributes[index] === name) return attributes[index + 1];
  return undefined;
}

/**
 * The `src` of the last image startTagFor wrote when it could lead the
 * article, null when it was an emoji, icon or avatar (read right after the
 * call; spares returning a pair per tag).
 */
export let lastImageSource: string | null = null;

/**
 * The start tag a kept element is written with, or null when the element
 * itself goes (an image without a usable source, a link without a usable
 * target: its content stays). URL attributes come first, so the output reads
 * `<a href=… title=…>` and `<img src=… alt=…>`.
 */
export function startTagFor(policy: TagPolicy, attributes: readonly string[], base: string | null): string | null {
  const tag = policy.tag;
  if (attributes.length === 0 && tag !== 'a' && tag !== 'img') return policy.bareStart;
  let out = `<${tag}`;
  if (tag === 'a') {
    const href = attribute(attributes, 'href');
    const target = href === undefined ? null : linkTarget(href, base);
    if (!target) return null;
    out += ` href="${escapeAttribute(target)}"`;
  } else if (tag === 'img') {
    const record: Record<string, string> = {};
    for (let index = 0; index < attributes.length; index += 2) record[attributes[index] ?? ''] = attributes[index + 1] ?? '';
    const src = imageSource(record, base);
    if (!src || isTrackingPixel(src, record)) return null;
    lastImageSource = isDecorativeImage(src, record) ? null : src;
    out += ` src="${escapeAttribute(src)}"`;
  }
  const allowed = policy.attributes;
  if (allowed.has('cite')) {
    const cite = attribute(attributes, 'cite');
    const resolved = cite === undefined ? null : resolveUrl(cite, base);
    if (resolved) out += ` cite="${escapeAttribute(resolved)}"`;
  }
  for (let index = 0; index < attributes.length; index += 2) {
    const name = attributes[index] ?? '';
    const value = attributes[index + 1] ?? '';
    if (!GLOBAL_ATTRIBUTES.has(name) && !allowed.has(name)) continue;
    if (name === 'href' || name === 'src' || name === 'cite') continue;
    if ((name === 'width' || name === 'height') && !/^\d{1,5}%?$/.test(value.trim())) continue;
    if (value === '') {
      // Empty values mean nothing for every kept attribute but these two.
      if (name === 'alt') out += ' alt=""';
      else if (name === 'reversed') out += ' reversed';
      continue;
    }
    out += ` ${name}="${escapeAttribute(value)}"`;
  }
  return `${out}${policy.end === '' ? ' />' : '>'}`;
}

/** An absolute http(s) link, or a mailto: link; anything else is no link. */
function linkTarget(href: string, base: string | null): string | null {
  const trimmed = href.trim();
  // Only a plain, literal mailto: (no control characters or encodings that hide another scheme).
  if (/^mailto:[^\s<>"'\\]+$/i.test(trimmed)) return trimmed;
  return resolveUrl(trimmed, base);
}
