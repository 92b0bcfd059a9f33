/**
 * Builders for the normalize tests: each call returns a fresh RawFeed, RawItem,
 * Source or context, so no test can leak state into another.
 */
import type { RawFeed, RawItem, Source } from '../../src/model/index.js';
import type { NormalizeContext } from '../../src/normalize/index.js';

export const NOW = '2026-06-01T12:00:00.000Z';

export function makeItem(overrides: Partial<RawItem> = {}): RawItem {
  return {
    guid: null,
    guidIsPermaLink: null,
    title: 'A title',
    link: 'https://news.example.com/posts/1',
    originalLink: null,
    base: null,
    contentBase: null,
    published: 'Mon, 01 Jun 2026 08:00:00 GMT',
    updated: null,
    authors: [],
    summary: null,
    content: null,
    categories: [],
    enclosures: [],
    media: [],
    thumbnail: null,
    upstream: null,
    ...overrides,
  };
}

export function makeFeed(items: RawItem[] = [makeItem()], overrides: Partial<RawFeed> = {}): RawFeed {
  return {
    format: 'rss2',
    title: 'Example News',
    link: 'https://news.example.com/',
    selfUrl: null,
    base: null,
    description: null,
    language: null,
    ttlMinutes: null,
    skipHours: [],
    skipDays: [],
    items,
    ...overrides,
  };
}

export function makeSource(overrides: Partial<Source> = {}): Source {
  return {
    id: 'example',
    name: 'Example News',
    url: 'https://news.example.com/feed.xml',
    enabled: true,
    ...overrides,
  };
}

export function makeContext(overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return {
    source: makeSource(),
    feedUrl: 'https://news.example.com/feed.xml',
    now: new Date(NOW),
    ...overrides,
  };
}
