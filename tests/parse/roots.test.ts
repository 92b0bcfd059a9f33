/**
 * Roots and channels as lenient readers take them (Python feedparser 6 reads
 * each document here the same way): every channel of an RSS document, and
 * roots whose names carry a prefix bound to the format's namespace.
 */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { parseText } from './helpers.js';

describe('an RSS document with more than one channel', () => {
  const doc = (second: string): string =>
    '<?xml version="1.0"?><rss version="2.0"><channel><title>One</title><link>https://one.example/</link>' +
    '<item><title>a</title><link>https://one.example/a</link></item></channel>' +
    `${second}</rss>`;

  it('reads the items of every channel, in document order, and the first channel describes the feed', async () => {
    const feed = await parseText(
      doc('<channel><title>Two</title><item><title>b</title><link>https://two.example/b</link></item><item><title>c</title></item></channel>'),
    );
    expect(feed.items.map((item) => [item.title, item.link])).toEqual([
      ['a', 'https://one.example/a'],
      ['b', 'https://two.example/b'],
      ['c', null],
    ]);
    expect(feed).toMatchObject({ title: 'One', link: 'https://one.example/' });
  });

  it("matches each later item with its own markup and xml:base", async () => {
    const feed = await parseText(
      doc('<channel xml:base="https://two.example/dir/"><item><title>b</title><description>x <b>bold</b> y</description></item></channel>'),
    );
    expect(feed.items[1]).toMatchObject({ title: 'b', summary: 'x <b>bold</b> y', base: 'https://two.example/dir/' });
    expect(feed.items[0]?.base).toBeNull();
  });
});

describe('a root name with a prefix', () => {
  it.each(['http://backend.userland.com/rss2', 'http://backend.userland.com/rss', 'http://blogs.law.harvard.edu/tech/rss'])(
    'reads <r:rss> whose prefix is bound to RSS 2.0 namespace %s',
    async (namespace) => {
      const feed = await parseText(
        `<?xml version="1.0"?><r:rss xmlns:r="${namespace}" version="2.0"><r:channel><r:title>T</r:title>` +
          '<r:item><r:title>a</r:title><r:link>https://x.example/a</r:link><r:guid>g-a</r:guid></r:item></r:channel></r:rss>',
      );
      expect(feed.format).toBe('rss2');
      expect(feed.title).toBe('T');
      expect(feed.items.map((item) => [item.title, item.link, item.guid])).toEqual([['a', 'https://x.example/a', 'g-a']]);
    },
  );

  it('still refuses <x:rss> bound to another vocabulary, naming the root', async () => {
    const text = '<x:rss xmlns:x="https://other.example/ns" version="2.0"><x:channel><x:item><x:title>a</x:title></x:item></x:channel></x:rss>';
    const error = await parseText(text).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ code: 'not_a_feed', message: expect.stringContaining('<x:rss>') });
  });

  it('reads an Atom feed whose elements carry a prefix bound to the Atom namespace like an unprefixed one', async () => {
    const text =
      '<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>T</a:title><a:id>urn:t</a:id>' +
      '<a:link href="https://x.example/"/><a:entry><a:title>a</a:title><a:id>urn:a</a:id><a:link href="https://x.example/a"/>' +
      '<a:updated>2024-01-01T00:00:00Z</a:updated><a:content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>hi</p></div></a:content>' +
      '</a:entry></a:feed>';
    const feed = await parseText(text);
    expect(feed).toMatchObject({ format: 'atom', title: 'T', link: 'https://x.example/' });
    expect(feed.items.map((item) => [item.guid, item.title, item.link, item.updated, item.content])).toEqual([
      ['urn:a', 'a', 'https://x.example/a', '2024-01-01T00:00:00Z', '<p>hi</p>'],
    ]);
  });
});
