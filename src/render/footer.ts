/**
 * The credit footer appended to every item's content in every format, from an
 * operator-editable template. The template is plain text with placeholders;
 * every value and every literal is HTML-escaped, so a template or a feed can
 * never inject markup.
 *
 * Template rules:
 * - lines are separated by "\n";
 * - `{name}` source name, `{site}` host of the source site, `{siteUrl}` the
 *   site's URL, `{link}` the original article URL, `{credit}` the source's
 *   credit line, `{license}`, `{via}` upstream names; other braces are text;
 * - `[...]` is an optional segment, dropped when any placeholder inside it is
 *   empty (no nesting; an unmatched bracket is text);
 * - a line is dropped when any placeholder outside brackets is empty, or when
 *   nothing but whitespace is left of it;
 * - in feed content, a line is also left out when the article's own content
 *   already carries what its placeholders say (see credit-detect.ts), so a
 *   publisher's "Source: …" or "转载请注明…" is not printed twice.
 */
import { DEFAULT_FOOTER_TEMPLATE, type Article } from '../model/index.js';
import { carriedCredit, type CarriedCredit } from './credit-detect.js';
import { originalUrl, siteHost, viaNames } from './credit.js';
import { escapeHtml, linkHtml } from './html-escape.js';
import { stripInvalidXmlChars } from './xml.js';

/** The footer used when the operator configures none. */
export { DEFAULT_FOOTER_TEMPLATE };

/**
 * The line added when an article came through an aggregator and the template
 * does not place `{via}` itself: upstream credit is part of the promise, so it
 * is never silently left out. It goes right after the first (source) line.
 */
export const VIA_LINE_TEMPLATE = '🔁 Via: {via}';

const PLACEHOLDERS = ['name', 'site', 'siteUrl', 'link', 'credit', 'license', 'via'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** Placeholders whose value is a URL and becomes a link in the HTML form. */
const URL_PLACEHOLDERS: ReadonlySet<Placeholder> = new Set(['link', 'siteUrl']);

type Part = { kind: 'text'; value: string } | { kind: 'field'; name: Placeholder };
type Segment = Part | { kind: 'optional'; parts: Part[] };

const PLACEHOLDER_PATTERN = new RegExp(`\\{(${PLACEHOLDERS.join('|')})\\}`, 'g');

function parseParts(source: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ kind: 'text', value: source.slice(last, index) });
    parts.push({ kind: 'field', name: match[1] as Placeholder });
    last = index + match[0].length;
  }
  if (last < source.length) parts.push({ kind: 'text', value: source.slice(last) });
  return parts;
}

function parseLine(line: string): Segment[] {
  const segments: Segment[] = [];
  let rest = line;
  for (;;) {
    const open = rest.indexOf('[');
    const close = open >= 0 ? rest.indexOf(']', open + 1) : -1;
    if (open < 0 || close < 0) break;
    segments.push(...parseParts(rest.slice(0, open)));
    segments.push({ kind: 'optional', parts: parseParts(rest.slice(open + 1, close)) });
    rest = rest.slice(close + 1);
  }
  segments.push(...parseParts(rest));
  return segments;
}

type Values = Readonly<Record<Placeholder, string | null>>;

/**
 * Whitespace (line breaks included) collapses so a value can never add a line
 * of its own; characters XML forbids go, as the footer ends up inside feeds.
 */
function clean(value: string | null | undefined): string | null {
  const collapsed = value === null || value === undefined ? null : stripInvalidXmlChars(value).replace(/\s+/g, ' ').trim();
  return collapsed ? collapsed : null;
}

function valuesFor(article: Article): Values {
  const { credit } = article;
  return {
    name: clean(credit.sourceName),
    site: clean(siteHost(credit.sourceSite)),
    siteUrl: clean(credit.sourceSite),
    link: clean(originalUrl(article)),
    credit: clean(credit.creditLine),
    license: clean(credit.license),
    via: clean(viaNames(credit)),
  };
}

interface RenderedLine {
  html: string;
  text: string;
}

function renderParts(parts: Part[], values: Values): RenderedLine | null {
  let html = '';
  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      html += escapeHtml(part.value);
      text += part.value;
      continue;
    }
    const value = values[part.name];
    if (value === null) return null;
    html += URL_PLACEHOLDERS.has(part.name) ? linkHtml(value) : escapeHtml(value);
    text += value;
  }
  return { html, text };
}

function renderLine(segments: Segment[], values: Values): RenderedLine | null {
  let html = '';
  let text = '';
  for (const segment of segments) {
    if (segment.kind === 'optional') {
      const optional = renderParts(segment.parts, values);
      if (optional) {
        html += optional.html;
        text += optional.text;
      }
      continue;
    }
    const rendered = renderParts([segment], values);
    if (!rendered) return null;
    html += rendered.html;
    text += rendered.text;
  }
  return text.trim() === '' ? null : { html, text };
}

function fieldsOf(segments: Segment[]): { required: Placeholder[]; optional: Placeholder[] } {
  const required: Placeholder[] = [];
  const optional: Placeholder[] = [];
  for (const segment of segments) {
    if (segment.kind === 'field') required.push(segment.name);
    else if (segment.kind === 'optional') for (const part of segment.parts) if (part.kind === 'field') optional.push(part.name);
  }
  return { required, optional };
}

const CARRIED_BY: Readonly<Record<Placeholder, keyof CarriedCredit>> = {
  name: 'name',
  site: 'name',
  siteUrl: 'name',
  link: 'link',
  credit: 'creditLine',
  license: 'license',
  via: 'via',
};

/**
 * Whether the content already says everything a line would: the line's
 * placeholders outside brackets (or, when it has none, its filled bracket
 * placeholders) are all carried. A line of plain text is never dropped.
 */
function lineIsCarried(segments: Segment[], values: Values, carried: CarriedCredit): boolean {
  const { required, optional } = fieldsOf(segments);
  const deciding = required.length > 0 ? required : optional.filter((name) => values[name] !== null);
  return deciding.length > 0 && deciding.every((name) => carried[CARRIED_BY[name]]);
}

function carriedIn(article: Article, values: Values): CarriedCredit {
  return carriedCredit(article.contentHtml, {
    name: values.name,
    site: values.site,
    link: values.link,
    creditLine: values.credit,
    license: values.license,
    via: article.credit.via.map((via) => via.name),
  });
}

/** Options of {@link renderFooter}. */
export interface FooterOptions {
  /**
   * Leave out lines whose credit the article's content already carries
   * (feed content). Off for places that show the footer without the content,
   * such as the HTML page, and for the newsletter profile.
   */
  omitCarried?: boolean;
}

/**
 * Renders the credit footer of one article. `html` is a
 * `<div class="byline-credit">` with an `<hr>` and one `<p>` per line (kept by
 * feed readers that strip classes); `text` is the same lines joined by "\n".
 * Both are empty strings when every line was dropped.
 */
export function renderFooter(template: string, article: Article, options: FooterOptions = {}): { html: string; text: string } {
  const values = valuesFor(article);
  const lines = template.split(/\r?\n/).map(parseLine);
  const usesVia = lines.some((segments) =>
    segments.some((s) => (s.kind === 'optional' ? s.parts : [s]).some((p) => p.kind === 'field' && p.name === 'via')),
  );
  const carried = options.omitCarried ? carriedIn(article, values) : null;
  const keep = (segments: Segment[]): RenderedLine | null =>
    carried && lineIsCarried(segments, values, carried) ? null : renderLine(segments, values);
  const rendered = lines.map(keep).filter((line) => line !== null);
  if (!usesVia) {
    const viaLine = keep(parseLine(VIA_LINE_TEMPLATE));
    if (viaLine) rendered.splice(Math.min(1, rendered.length), 0, viaLine);
  }
  if (rendered.length === 0) return { html: '', text: '' };
  const paragraphs = rendered.map((line) => `<p>${line.html}</p>`).join('');
  return {
    html: `<div class="byline-credit"><hr>${paragraphs}</div>`,
    text: rendered.map((line) => line.text).join('\n'),
  };
}

/**
 * Sanitized article content followed by its credit footer, as every format's
 * full content. Footer lines the content already carries are left out unless
 * `complete` is set (the newsletter profile always prints the whole footer).
 */
export function contentWithFooter(template: string, article: Article, complete = false): string {
  const footer = renderFooter(template, article, { omitCarried: !complete }).html;
  if (!footer) return article.contentHtml;
  return article.contentHtml ? `${article.contentHtml}\n${footer}` : footer;
}
