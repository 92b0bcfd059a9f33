/**
 * JSON Feed 1.0 and 1.1 -> RawFeed, validated with zod. Lenient the way feed
 * readers are: a field of the wrong type is dropped rather than failing the
 * feed, items that are not objects are skipped, numeric ids become strings.
 * Plain-text fields (title, summary, content_text) are HTML-escaped so that
 * every RawItem text field reads as HTML, as for Atom type="text".
 */
import { z } from 'zod';
import { ParseError } from '../errors.js';
import type { RawEnclosure, RawFeed, RawItem, RawUpstream } from '../model/index.js';
import { unique } from './media.js';
import { escapeHtml } from './text-construct.js';
import { cleanText } from './xml-node.js';

const STAGE = 'json feed';

const text = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .catch(null)
  .transform((value) => cleanText(value));

const AuthorSchema = z
  .union([z.string().transform((name) => ({ name: cleanText(name), url: null })), z.object({ name: text, url: text })])
  .catch({ name: null, url: null });
const AuthorsSchema = z.array(z.unknown()).nullish().catch(null).transform((list) =>
  (list ?? []).map((entry) => AuthorSchema.parse(entry)),
);
/** byline's own JSON Feed extension (see src/render/json-feed.ts): `_byline.source` names the publisher. */
const BylineExtensionSchema = z
  .object({ source: z.object({ name: text, home_page_url: text, feed_url: text }).nullish().catch(null) })
  .nullish()
  .catch(null);

const AttachmentSchema = z.object({
  url: z.string().trim().min(1),
  mime_type: text,
  size_in_bytes: z.number().nonnegative().nullish().catch(null),
});

const ItemSchema = z.object({
  id: text,
  url: text,
  external_url: text,
  title: text,
  content_html: text,
  content_text: text,
  summary: text,
  image: text,
  banner_image: text,
  date_published: text,
  date_modified: text,
  author: AuthorSchema.nullish().catch(null),
  authors: AuthorsSchema,
  tags: z.array(z.unknown()).nullish().catch(null),
  attachments: z.array(z.unknown()).nullish().catch(null),
  /** Not in the spec: byline's extension, when the feed is another byline's output. */
  _byline: BylineExtensionSchema,
});

const FeedSchema = z.object({
  version: z.string(),
  title: text,
  home_page_url: text,
  feed_url: text,
  description: text,
  language: text,
  author: AuthorSchema.nullish().catch(null),
  authors: AuthorsSchema,
  items: z.array(z.unknown()),
});

type JsonItem = z.infer<typeof ItemSchema>;

/** True when a parsed JSON value claims to be a JSON Feed. */
export function looksLikeJsonFeed(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const version = (value as { version?: unknown }).version;
  return typeof version === 'string' && version.includes('jsonfeed.org');
}

function namesOf(authors: { name: string | null }[], author: { name: string | null } | null | undefined): string[] {
  // JSON Feed 1.1 `authors` replaces 1.0 `author`; both are read.
  const names = [...authors, ...(author ? [author] : [])].map((entry) => entry.name);
  return unique(names.filter((name): name is string => name !== null));
}

/** The publisher a byline-made feed credits for an item (the item's upstream when we aggregate it). */
function upstreamOf(item: JsonItem): RawUpstream | null {
  const source = item._byline?.source;
  if (!source) return null;
  const upstream = { title: source.name, url: source.home_page_url, feedUrl: source.feed_url };
  return upstream.title === null && upstream.url === null && upstream.feedUrl === null ? null : upstream;
}

function enclosuresOf(item: JsonItem): RawEnclosure[] {
  return (item.attachments ?? []).flatMap((entry) => {
    const parsed = AttachmentSchema.safeParse(entry);
    if (!parsed.success) return [];
    return [{ url: parsed.data.url, type: parsed.data.mime_type, length: parsed.data.size_in_bytes ?? null }];
  });
}

function escapeOrNull(value: string | null): string | null {
  return value === null ? null : escapeHtml(value);
}

function jsonItem(item: JsonItem, feedAuthors: string[]): RawItem {
  const authors = namesOf(item.authors, item.author);
  const tags = (item.tags ?? []).filter((tag): tag is string => typeof tag === 'string');
  return {
    guid: item.id,
    guidIsPermaLink: null,
    title: escapeOrNull(item.title),
    link: item.url ?? item.external_url,
    originalLink: null,
    base: null,
    contentBase: null,
    published: item.date_published,
    updated: item.date_modified,
    // The spec: an item without authors has the feed's.
    authors: authors.length > 0 ? authors : feedAuthors,
    summary: escapeOrNull(item.summary),
    content: item.content_html ?? escapeOrNull(item.content_text),
    categories: unique(tags.map((tag) => tag.trim()).filter(Boolean)),
    enclosures: enclosuresOf(item),
    media: [],
    thumbnail: item.image ?? item.banner_image,
    upstream: upstreamOf(item),
  };
}

/**
 * Parses a JSON Feed document. `declaredJson` (the Content-Type said JSON)
 * makes invalid JSON a parse_error rather than not_a_feed.
 */
export function parseJsonFeed(source: string, declaredJson: boolean): RawFeed {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    const detail = `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
    throw new ParseError(declaredJson ? 'parse_error' : 'not_a_feed', `${STAGE}: ${detail}`, { cause: error });
  }
  if (!looksLikeJsonFeed(value)) {
    throw new ParseError('not_a_feed', `${STAGE}: not a JSON Feed (no jsonfeed.org version)`);
  }
  const parsed = FeedSchema.safeParse(value);
  if (!parsed.success) {
    throw new ParseError('parse_error', `${STAGE}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`, {
      cause: parsed.error,
    });
  }
  const feed = parsed.data;
  const feedAuthors = namesOf(feed.authors, feed.author);
  const items = feed.items.flatMap((entry) => {
    const item = ItemSchema.safeParse(entry);
    return item.success ? [jsonItem(item.data, feedAuthors)] : [];
  });
  return {
    format: 'jsonfeed',
    title: escapeOrNull(feed.title),
    link: feed.home_page_url,
    selfUrl: feed.feed_url,
    base: null,
    description: escapeOrNull(feed.description),
    language: feed.language,
    ttlMinutes: null,
    skipHours: [],
    skipDays: [],
    items,
  };
}
