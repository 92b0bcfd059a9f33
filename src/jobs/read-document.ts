/**
 * Reading one fetched document: decode + parse + normalize, the CPU-heavy
 * half of a refresh. The parse pool's workers run exactly this, and the
 * refresh job runs it in-thread when it has no pool, so both paths agree.
 */
import { normalizeFeed } from '../normalize/index.js';
import { parseFeed } from '../parse/index.js';
import type { ParseInput, ParseOutput } from './parse-messages.js';

/** Parses and normalizes one document on this thread; throws ParseError when it is not a feed we can read. */
export async function readDocument(input: ParseInput): Promise<ParseOutput> {
  const { feed } = await parseFeed(input.bytes, { contentType: input.contentType, url: input.feedUrl });
  const candidates = normalizeFeed(feed, { source: input.source, feedUrl: input.feedUrl, now: input.now });
  return { ttlMinutes: feed.ttlMinutes, skipHours: feed.skipHours, skipDays: feed.skipDays, candidates };
}
