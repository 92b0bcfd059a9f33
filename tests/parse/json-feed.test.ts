/** JSON Feed 1.0 and 1.1 -> RawFeed. */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { parseFeedText } from '../../src/parse/index.js';
import { fixtureBytes, parseFixture, parseText } from './helpers.js';

describe('JSON Feed 1.1 (jsonfeed-1.1.json)', () => {
  it('reads the feed, escaping plain-text fields to HTML', async () => {
    const feed = await parseFixture('jsonfeed-1.1.json', 'application/feed+json');
    expect(feed).toMatchObject({
      format: 'jsonfeed',
      title: 'Tokens &amp; Thoughts',
      link: 'https://json.example/',
      selfUrl: 'https://json.example/feed.json',
      language: 'en',
      base: null,
      ttlMinutes: null,
    });
  });

  it('reads an item: authors (1.1), attachments with a url, string tags, image, the _byline.source upstream', async () => {
    const [item] = (await parseFixture('jsonfeed-1.1.json')).items;
    expect(item).toMatchObject({
      guid: 'https://json.example/posts/1',
      title: 'Scaling laws &lt;revisited&gt;',
      link: 'https://json.example/posts/1',
      content: '<p>HTML body</p>',
      summary: 'Short &amp; sweet',
      published: '2024-05-01T08:00:00Z',
      updated: '2024-05-02T08:00:00Z',
      authors: ['Item Author'],
      categories: ['scaling', 'research'],
      thumbnail: 'https://json.example/img/1.png',
      enclosures: [{ url: 'https://json.example/audio/1.m4a', type: 'audio/x-m4a', length: 89970236 }],
      upstream: { title: 'Upstream Lab', url: 'https://lab.example/', feedUrl: 'https://lab.example/feed.json' },
    });
  });

  it('turns a numeric id into a string, falls back to external_url, escapes content_text, inherits feed authors, skips non-objects', async () => {
    const feed = await parseFixture('jsonfeed-1.1.json');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[1]).toMatchObject({
      guid: '2',
      link: 'https://elsewhere.example/article',
      content: 'Plain text body with &lt;angle brackets&gt;',
      thumbnail: 'https://json.example/img/banner.png',
      authors: ['Feed Writer'],
      title: null,
    });
  });
});

describe('JSON Feed 1.0 (jsonfeed-1.0.json)', () => {
  it('reads the singular author on items and on the feed', async () => {
    const feed = await parseFixture('jsonfeed-1.0.json');
    expect(feed.items.map((item) => item.authors)).toEqual([['Guest Author'], ['Solo Author']]);
    expect(feed.items.map((item) => item.content)).toEqual(['Hello', '<p>World</p>']);
  });
});

describe('JSON Feed detection and errors', () => {
  it('detects a JSON Feed by its leading { even when served as text/xml', async () => {
    const text = fixtureBytes('jsonfeed-1.0.json').toString('utf8');
    expect((await parseText(`\n  ${text}`, 'text/xml')).format).toBe('jsonfeed');
  });

  it.each([
    ['invalid JSON served as JSON', '{"version": "https://jsonfeed.org/version/1.1", ', 'application/feed+json', 'parse_error'],
    ['invalid JSON without a JSON content type', '{ nope', null, 'not_a_feed'],
    ['JSON that is not a JSON Feed', '{"version": "2.0", "items": []}', 'application/json', 'not_a_feed'],
    ['a JSON array', '[1, 2, 3]', 'application/json', 'not_a_feed'],
    ['a JSON Feed whose items are not a list', '{"version": "https://jsonfeed.org/version/1", "items": 3}', null, 'parse_error'],
  ])('%s -> %s', async (_name, text, contentType, code) => {
    const error = await parseFeedText(text, { contentType }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ code });
    expect((error as ParseError).message).toMatch(/^json feed: /);
  });

  it('drops fields of the wrong type instead of failing the feed', async () => {
    const feed = await parseText(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: { not: 'a string' },
        items: [{ id: 'x', title: 42, url: ['no'], tags: 'not-a-list', authors: 'nobody' }],
      }),
    );
    expect(feed.title).toBeNull();
    expect(feed.items[0]).toMatchObject({ guid: 'x', title: '42', link: null, categories: [], authors: [] });
  });
});
