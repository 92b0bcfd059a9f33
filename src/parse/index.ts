/**
 * The parse stage: fetched bytes -> decoded text -> a format-neutral RawFeed
 * (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1). Pure: no I/O.
 */
import { ParseError } from '../errors.js';
import type { RawFeed } from '../model/index.js';
import { decodeFeedBytes } from './decode.js';
import { parseJsonFeed } from './json-feed.js';
import { parseXmlFeed } from './xml-feed.js';

export { decodeFeedBytes } from './decode.js';
export type { DecodedFeed } from './decode.js';

/** Options shared by the parse entry points. */
export interface ParseOptions {
  /** The HTTP Content-Type header, when known. */
  contentType?: string | null;
  /** The address the document came from, when known: an HTML page's links to its feeds are resolved against it. */
  url?: string | null;
}

function declaresJson(contentType: string | null | undefined): boolean {
  return /^\s*application\/(?:feed\+)?json\b/i.test(contentType ?? '');
}

/**
 * Text -> RawFeed. The document's own first character decides between JSON
 * and XML (a JSON Content-Type only matters for how invalid JSON is
 * reported). Throws ParseError `not_a_feed` (empty, HTML, not XML/JSON, no
 * feed root) or `parse_error` (a feed broken beyond repair).
 */
export async function parseFeedText(text: string, options: ParseOptions = {}): Promise<RawFeed> {
  const body = text.replace(/^[\uFEFF\s]+/, '');
  if (body === '') throw new ParseError('not_a_feed', 'rss: unable to parse feed: the document is empty');
  if (body.startsWith('{') || (declaresJson(options.contentType) && !body.startsWith('<'))) {
    return parseJsonFeed(body, declaresJson(options.contentType));
  }
  if (!body.includes('<')) {
    throw new ParseError('not_a_feed', 'rss: unable to parse feed: the document is neither XML nor JSON');
  }
  return parseXmlFeed(body, options.url ?? null);
}

/** A parsed feed and the charset its bytes were decoded from. */
export interface ParsedFeed {
  feed: RawFeed;
  encoding: string;
}

/** Decode + parse in one call (what the refresh job uses); `encoding` is the charset the bytes were read in. */
export async function parseFeed(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedFeed> {
  const { text, encoding } = decodeFeedBytes(bytes, options.contentType);
  return { feed: await parseFeedText(text, options), encoding };
}
export { parseOpml } from './opml.js';
