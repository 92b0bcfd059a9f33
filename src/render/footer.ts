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
import {
  compileTemplate,
  URL_PLACEHOLDERS,
  VIA_LINE_TEMPLATE,
  type CompiledLine,
  type Part,
  type Placeholder,
  type Segment,
} from './footer-template.js';
import { escapeHtml, linkHtml } from './html-escape.js';
import { stripInvalidXmlChars } from './xml-escape.js';

/** The footer used when the operator configures none. */
export { DEFAULT_FOOTER_TEMPLATE };
export { VIA_LINE_TEMPLATE };

type Values = Readonly<Record<Placeholder, string | null>>;

const NEEDS_COLLAPSE = /\s\s|[^\S ]/;

/**
 * Whitespace (line breaks included) collapses so a value can never add a line
 * of its own; characters XML forbids go, as the footer ends up inside feeds.
 */
function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const stripped = stripInvalidXmlChars(value);
  const collapsed = (NEEDS_COLLAPSE.test(stripped) ? stripped.replace(/\s+/g, ' ') : stripped).trim();
  return collapsed ? collapsed : null;
}

/**
 * Hosts of source sites already worked out. A feed holds many articles of
 * each source, and parsing the same site URL for every one of them is most of
 * a footer's cost. Bounded, so a long-running server cannot grow it forever.
 */
const SITE_HOSTS = new Map<string, string | null>();

function cachedSiteHost(site: string | null): string | null {
  if (!site) return null;
  let host = SITE_HOSTS.get(site);
  if (host === undefined) {
    if (SITE_HOSTS.size >= 1024) SITE_HOSTS.clear();
    host = siteHost(site);
    SITE_HOSTS.set(site, host);
  }
  return host;
}

function valuesFor(article: Article): Values {
  const { credit } = article;
  return {
    name: clean(credit.sourceName),
    site: clean(cachedSiteHost(credit.sourceSite)),
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

function renderParts(parts: readonly Part[], values: Values): RenderedLine | null {
  let html = '';
  let text = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      html += part.html;
      text += part.value;
      continue;
    }
    const value = values[part.name];
    if (value === null) return null;
    html += fieldHtml(part.name, value);
    text += value;
  }
  return { html, text };
}

function fieldHtml(name: Placeholder, value: string): string {
  return URL_PLACEHOLDERS.has(name) ? linkHtml(value) : escapeHtml(value);
}

function renderLine(segments: readonly Segment[], values: Values): RenderedLine | null {
  let html = '';
  let text = '';
  for (const segment of segments) {
    if (segment.kind === 'optional') {
      const optional = renderParts(segment.parts, values);
      if (optional) {
        html += optional.html;
        text += optional.text;
      }
    } else if (segment.kind === 'text') {
      html += segment.html;
      text += segment.value;
    } else {
      const value = values[segment.name];
      if (value === null) return null;
      html += fieldHtml(segment.name, value);
      text += value;
    }
  }
  return text.trim() === '' ? null : { html, text };
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
function lineIsCarried(line: CompiledLine, values: Values, carried: CarriedCredit): boolean {
  const deciding = line.required.length > 0 ? line.required : line.optional.filter((name) => values[name] !== null);
  return deciding.length > 0 && deciding.every((name) => carried[CARRIED_BY[name]]);
}

function carriedIn(article: Article, values: Values): CarriedCredit {
  return carriedCredit(article.contentHtml, {
    name: values.name,
    site: values.site,
    siteUrl: values.siteUrl,
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
  const { lines, viaLine } = compileTemplate(template);
  const values = valuesFor(article);
  const carried = options.omitCarried ? carriedIn(article, values) : null;
  const keep = (line: CompiledLine): RenderedLine | null =>
    carried && lineIsCarried(line, values, carried) ? null : renderLine(line.segments, values);
  const rendered: RenderedLine[] = [];
  for (const line of lines) {
    const kept = keep(line);
    if (kept) rendered.push(kept);
  }
  const via = viaLine ? keep(viaLine) : null;
  if (via) rendered.splice(Math.min(1, rendered.length), 0, via);
  if (rendered.length === 0) return { html: '', text: '' };
  // Joined, not concatenated: the footer is kept until the whole feed is
  // written, and one flat string is far cheaper to keep than a rope of pieces.
  const html = ['<div class="byline-credit"><hr>'];
  for (const line of rendered) html.push('<p>', line.html, '</p>');
  html.push('</div>');
  return { html: html.join(''), text: rendered.map((line) => line.text).join('\n') };
}

/**
 * Sanitized article content followed by its credit footer, as pieces to write
 * one after the other: the content, then "\n" and the footer (either may be
 * missing). Writers escape each piece where it stands instead of copying the
 * article into one long string first. Footer lines the content already
 * carries are left out unless `complete` is set (the newsletter profile always
 * prints the whole footer).
 */
export function contentParts(template: string, article: Article, complete = false): string[] {
  const footer = renderFooter(template, article, { omitCarried: !complete }).html;
  if (!footer) return [article.contentHtml];
  return article.contentHtml ? [article.contentHtml, '\n', footer] : [footer];
}

/** {@link contentParts} as one string: every format's full content. */
export function contentWithFooter(template: string, article: Article, complete = false): string {
  return contentParts(template, article, complete).join('');
}
