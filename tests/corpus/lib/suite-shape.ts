/**
 * byline's result for one feedparser test case, laid out the way feedparser
 * lays out its own (`feed[...]`, `entries[i][...]`), for the fields that
 * correspond. Only those keys exist: an expectation that reads any other key
 * (copyright, contributors, enclosures, *_detail metadata…) reads something
 * byline does not model, and feedparser_tool.py reports it as not applicable.
 *
 * Values carry the kind of comparison they need (feedparser_tool.py's
 * `Compared`): `text` for byline's plain-text titles, `html` for sanitized
 * markup (canonically serialized), `url` for canonical links, `author` for
 * names, `plain` for values compared as they are. Dates are `$time` markers,
 * turned into feedparser's 9-field time tuples in Python.
 */
import type { Article, RawFeed, RawItem } from '../../../src/model/index.js';
import {
  feedBasesOf,
  htmlToText,
  itemAddresses,
  normalizeFeed,
  parseDate,
  SANITIZER_POLICY,
  sanitizeMarkup,
} from '../../../src/normalize/index.js';
import { canonicalHtml } from './html-compare.js';
import { CORPUS_NOW, corpusSource, type PipelineResult } from './pipeline.js';

/** The comparison kinds feedparser_tool.py knows. */
export type ValueKind = 'text' | 'html' | 'url' | 'author' | 'plain';

/**
 * A compared value may carry counterfactuals: what byline would have produced
 * if one deliberate rule were switched off, keyed by the rule. When the
 * expectation matches a counterfactual but not the value, the difference is
 * that rule's doing and the comparison does not apply (feedparser_tool.py).
 */
type Alternatives = Record<string, string>;
type Marked = { $kind: ValueKind; value: string | null; alternatives?: Alternatives } | { $time: string | null };
/** A JSON value with kind markers, as feedparser_tool.py's `shape` reads it. */
export type Shaped = Marked | Shaped[] | { [key: string]: Shaped } | null;

function marked(kind: ValueKind, value: string | null | undefined, alternatives?: Alternatives): Marked {
  return alternatives ? { $kind: kind, value: value ?? null, alternatives } : { $kind: kind, value: value ?? null };
}

/** Elements byline drops with their content whose content is text (not code), as other sanitizers keep it. */
const CONTENT_DROPPED = SANITIZER_POLICY.droppedWithContent.filter((tag) => !['script', 'style', 'template'].includes(tag));
const DROPPED_TAG = new RegExp(`<\\/?(?:${CONTENT_DROPPED.join('|')})\\b[^>]*>`, 'gi');
const KEEPS_CONTENT = 'drops <iframe>, <object> and other embedded elements together with their content';

/** The markup with the elements byline drops whole unwrapped instead (their content kept). */
function unwrapDropped(markup: string): string {
  return markup.replace(DROPPED_TAG, '');
}

function html(markup: string | null, base: string | null): Marked {
  if (markup === null) return marked('html', null);
  const value = canonicalHtml(sanitizeMarkup(markup, base));
  return marked('html', value, { [KEEPS_CONTENT]: canonicalHtml(sanitizeMarkup(unwrapDropped(markup), base)) });
}

/** byline's plain-text title, with what it would be without the derived fallback or the dropped-content rule. */
function title(value: string, raw: string | null): Marked {
  return marked('text', value, {
    'derives a title from the text or the URL when the title itself has no text': raw === null ? '' : htmlToText(raw),
    [KEEPS_CONTENT]: raw === null ? '' : htmlToText(unwrapDropped(raw)),
  });
}

function withDetail(value: Marked): { [key: string]: Shaped } {
  return { value };
}

function feedShape(raw: RawFeed | null, feedUrl: string): { [key: string]: Shaped } {
  const bases = raw ? feedBasesOf(raw, feedUrl) : null;
  const feedTitle = raw?.title ? htmlToText(raw.title) : null;
  const title = marked('text', feedTitle, feedTitle === null ? undefined : { [KEEPS_CONTENT]: htmlToText(unwrapDropped(raw?.title ?? '')) });
  const description = html(raw?.description ?? null, bases?.feedBase ?? bases?.feedUrl ?? null);
  return {
    title,
    title_detail: withDetail(title),
    link: marked('url', bases?.feedLink ?? null),
    description,
    subtitle: description,
    tagline: description,
    description_detail: withDetail(description),
    subtitle_detail: withDetail(description),
    tagline_detail: withDetail(description),
    language: marked('plain', raw?.language ?? null),
  };
}

function entryShape(raw: RawFeed, item: RawItem, feedUrl: string): { [key: string]: Shaped } {
  const source = corpusSource(feedUrl);
  // Each item is normalized on its own so that entries[i] is always the i-th item (normalizeFeed drops repeats).
  const [candidate] = normalizeFeed({ ...raw, items: [item] }, { source, feedUrl, now: CORPUS_NOW });
  if (!candidate) throw new Error('normalizeFeed returned no article for an item');
  const article: Article = candidate.article;
  const { ownUrl, contentBase } = itemAddresses(item, feedBasesOf(raw, feedUrl), { source, feedUrl });
  const entryTitle = title(article.title, item.title);
  // feedparser's summary falls back to the content when an entry has no summary of its own.
  const summary = html(item.summary ?? item.content, contentBase);
  const authors = article.authors.map((name) => ({ name: marked('plain', name) }));
  const via = article.credit.via[0] ?? null;
  return {
    title: entryTitle,
    title_detail: withDetail(entryTitle),
    link: marked('url', ownUrl),
    id: marked('plain', article.upstreamGuid),
    guid: marked('plain', article.upstreamGuid),
    summary,
    description: summary,
    summary_detail: withDetail(summary),
    description_detail: withDetail(summary),
    content: item.content === null ? [] : [{ value: html(item.content, contentBase) }],
    author: marked('author', article.authors[0] ?? null),
    author_detail: { name: marked('plain', article.authors[0] ?? null) },
    authors,
    tags: article.categories.map((term) => ({ term: marked('plain', term) })),
    category: marked('plain', article.categories[0] ?? null),
    published: marked('plain', item.published),
    updated: marked('plain', item.updated),
    published_parsed: { $time: parseDate(item.published) ? article.published : null },
    updated_parsed: { $time: article.updated },
    source: { title: marked('text', via?.name ?? null), link: marked('url', via?.url ?? null) },
  };
}

const FEED_FIELDS = [
  'title', 'title_detail.value', 'link', 'description', 'subtitle', 'tagline', 'description_detail.value',
  'subtitle_detail.value', 'tagline_detail.value', 'language',
];
const ENTRY_FIELDS = [
  'title', 'title_detail.value', 'link', 'id', 'guid', 'summary', 'description', 'summary_detail.value',
  'description_detail.value', 'content[].value', 'author', 'author_detail.name', 'authors[].name', 'tags[].term',
  'category', 'published', 'updated', 'published_parsed', 'updated_parsed', 'source.title', 'source.link',
];

/** Every access path (with its prefixes) that has a counterpart in byline's result, e.g. `entries[].authors[].name`. */
export function modelledPaths(): string[] {
  const paths = new Set<string>(['entries[]']);
  const add = (root: string, field: string): void => {
    const full = `${root}.${field}`;
    // Every prefix: `entries[].authors`, `entries[].authors[]`, `entries[].authors[].name`.
    for (let end = 0; end <= full.length; end++) {
      if (end === full.length || full[end] === '.' || full[end] === '[') paths.add(full.slice(0, end));
    }
    paths.add(full);
  };
  FEED_FIELDS.forEach((field) => add('feed', field));
  ENTRY_FIELDS.forEach((field) => add('entries[]', field));
  return [...paths].filter((path) => path.includes('.') || path.includes('['));
}

/** The access paths a shaped value actually has (for checking it against modelledPaths). */
export function pathsOf(value: Shaped, prefix: string): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  if (Array.isArray(value)) return [prefix, ...value.flatMap((element) => pathsOf(element, `${prefix}[]`))];
  if ('$kind' in value || '$time' in value) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => pathsOf(child as Shaped, `${prefix}.${key}`))];
}

/** What the expectation's `feed`, `entries` and `encoding` are bound to. */
export interface ShapedResult {
  feed: { [key: string]: Shaped };
  entries: { [key: string]: Shaped }[];
  encoding: string | null;
}

/** byline's result in feedparser's layout; a document byline rejected has no entries and empty feed fields. */
export function shapeResult(result: PipelineResult, feedUrl: string): ShapedResult {
  if (result.kind !== 'ok') {
    return { feed: feedShape(null, feedUrl), entries: [], encoding: result.kind === 'crash' ? null : result.encoding };
  }
  return {
    feed: feedShape(result.raw, feedUrl),
    entries: result.raw.items.map((item) => entryShape(result.raw, item, feedUrl)),
    encoding: result.encoding,
  };
}
