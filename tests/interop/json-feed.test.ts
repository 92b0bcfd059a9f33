/**
 * A second JSON Feed parser (feedsmith's, from npm) reads the served JSON
 * Feed and follows `next_url` into the archive: every item with its id, URL,
 * title, authors and date, and the credit footer in content_html (feedsmith
 * drops extension objects such as `_byline`, so the footer is what survives).
 */
import { parseJsonFeed } from 'feedsmith';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useTempDirs } from '../helpers/tmp.js';
import { PublishedItemSchema, startServedSite, type ServedSite } from './served-site.js';

const tempDir = useTempDirs('byline-jsonfeed-');
let site: ServedSite;

beforeAll(async () => {
  site = await startServedSite({ dir: tempDir(), settings: 'output:\n  archivePageSize: 10\n' });
}, 60_000);
afterAll(() => site.close());

async function read(url: string) {
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
  const text = await response.text();
  return { raw: z.object({ items: z.array(PublishedItemSchema) }).parse(JSON.parse(text)), parsed: parseJsonFeed(text) };
}

describe('feedsmith reads the served JSON Feed', () => {
  it('reads every item with title, link, authors, date and credit', async () => {
    const { raw, parsed } = await read(new URL('feed.json', site.url).toString());
    expect(parsed.title).toBe('Test Aggregate');
    expect(parsed.feed_url).toBe(new URL('feed.json', site.url).toString());
    const items = parsed.items ?? [];
    expect(items).toHaveLength(raw.items.length);
    expect(items.length).toBe(11);
    items.forEach((item, index) => {
      const original = raw.items[index]!;
      expect(item.id).toBe(original.id);
      expect(item.url).toBe(original.url);
      expect(item.title).toBe(original.title);
      expect(item.date_published).toBe(original.date_published);
      expect(item.authors?.length).toBeGreaterThan(0);
      expect(item.content_html).toContain(`📌 Source: ${original._byline.source.name}`);
    });
  });

  it('follows next_url from the subscription feed through the archive', async () => {
    const first = await read(new URL('feed.json', site.url).toString());
    expect(first.parsed.next_url).toBe(new URL('archive/1.json', site.url).toString());
    const page = await read(first.parsed.next_url!);
    expect(page.parsed.items).toHaveLength(10);
    // Page 1 is the oldest: nothing older to point to.
    expect(page.parsed.next_url).toBeUndefined();
    const current = new Set(first.raw.items.map((item) => item.id));
    // Together the feed and its archive hold every stored item once per id.
    const all = new Set([...current, ...(page.parsed.items ?? []).map((item) => item.id)]);
    expect(all.size).toBe(11);
  });
});
