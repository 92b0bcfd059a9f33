/** Shared helpers for the parse-stage tests: fixture bytes and schema-checked parsing. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { RawFeedSchema, type RawFeed } from '../../src/model/index.js';
import { parseFeed, parseFeedText } from '../../src/parse/index.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A fresh copy of a committed fixture's bytes. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

/** Asserts the RawFeed contract: exactly the schema's keys, every optional value null rather than missing. */
export function expectValidRawFeed(feed: RawFeed): RawFeed {
  const strictItems = RawFeedSchema.shape.items.element.strict();
  expect(() => RawFeedSchema.extend({ items: strictItems.array() }).strict().parse(feed)).not.toThrow();
  return feed;
}

/** Parses a committed fixture through the full bytes -> RawFeed path. */
export async function parseFixture(name: string, contentType?: string): Promise<RawFeed> {
  const { feed } = await parseFeed(fixtureBytes(name), { contentType: contentType ?? null });
  return expectValidRawFeed(feed);
}

/** Parses text and checks the contract. */
export async function parseText(text: string, contentType?: string): Promise<RawFeed> {
  return expectValidRawFeed(await parseFeedText(text, { contentType: contentType ?? null }));
}

/** Wraps item markup in a minimal RSS 2.0 channel. */
export function rss(items: string, channelExtra = '', rootAttrs = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"${rootAttrs}><channel><title>T</title>${channelExtra}${items}</channel></rss>`;
}

/** Wraps entry markup in a minimal Atom 1.0 feed. */
export function atom(entries: string, feedExtra = '', rootAttrs = ''): string {
  return `<feed xmlns="http://www.w3.org/2005/Atom"${rootAttrs}><title>T</title><id>urn:t</id>${feedExtra}${entries}</feed>`;
}
