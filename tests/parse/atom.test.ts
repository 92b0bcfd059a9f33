/** Atom 1.0 and 0.3 documents -> RawFeed. */
import { describe, expect, it } from 'vitest';
import { normalizeFeed } from '../../src/normalize/index.js';
import { atom, parseFixture, parseText } from './helpers.js';

describe('Atom 1.0 (atom-full.xml)', () => {
  it('reads the feed: text title escaped to HTML, html subtitle as is, links resolved against xml:base, xml:lang', async () => {
    const feed = await parseFixture('atom-full.xml');
    expect(feed).toMatchObject({
      format: 'atom',
      title: 'Notes &amp; Tensors',
      description: '<i>Weekly</i> notes',
      base: 'https://atoms.example/blog/',
      link: 'https://atoms.example/blog/',
      selfUrl: 'https://atoms.example/blog/atom.xml',
      language: 'fr',
      ttlMinutes: null,
    });
    expect(feed.items).toHaveLength(3);
  });

  it('picks the text/html alternate over other alternates and ignores rel=edit', async () => {
    const [entry] = (await parseFixture('atom-full.xml')).items;
    expect(entry?.link).toBe('https://atoms.example/blog/posts/2024/one.html');
  });

  it('gives the item its own base and, apart, the base in force for its content (the content element’s own xml:base)', async () => {
    const [entry] = (await parseFixture('atom-full.xml')).items;
    expect(entry?.base).toBe('https://atoms.example/blog/posts/2024/');
    expect(entry?.contentBase).toBe('https://cdn.atoms.example/media/');
    expect(entry?.enclosures).toEqual([{ url: 'https://atoms.example/blog/posts/2024/one.ogg', type: 'audio/ogg', length: 999 }]);
  });

  it('keeps xhtml content as the inner markup of the div, in order', async () => {
    const [entry] = (await parseFixture('atom-full.xml')).items;
    expect(entry?.content).toBe('<p>First <b>bold</b> then <i>italic</i> and <img src="fig1.png"/> tail.</p>');
  });

  it('reads every author, dates, categories (label over term) and escapes type="text"', async () => {
    const [entry] = (await parseFixture('atom-full.xml')).items;
    expect(entry).toMatchObject({
      guid: 'tag:atoms.example,2024:1',
      guidIsPermaLink: null,
      title: 'Why a &lt; b matters',
      published: '2024-02-28T08:00:00+01:00',
      updated: '2024-02-29T08:00:00+01:00',
      authors: ['Ada', 'Grace'],
      categories: ['Machine Learning', 'notes'],
      summary: 'Plain summary with 5 &gt; 3',
      upstream: null,
    });
  });

  it('keeps an undated entry without an alternate link, with the feed author inherited', async () => {
    const entry = (await parseFixture('atom-full.xml')).items[1];
    expect(entry).toMatchObject({
      title: '<em>Undated</em> note',
      link: null,
      published: null,
      updated: null,
      authors: ['Feed Author'],
      content: '<p>No date, no alternate link.</p>',
      base: 'https://atoms.example/blog/',
    });
  });

  it('reads atom:source as the upstream publisher', async () => {
    const entry = (await parseFixture('atom-full.xml')).items[2];
    expect(entry?.upstream).toEqual({
      title: 'Upstream Research Blog',
      url: 'https://upstream.example/',
      feedUrl: 'https://upstream.example/atom.xml',
    });
    expect(entry?.link).toBe('https://upstream.example/posts/7');
  });
});

describe('Atom 0.3', () => {
  const feed03 = (entries: string) =>
    `<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title>` +
    `<tagline>Since 2004</tagline><link rel="alternate" type="text/html" href="https://old.example/"/>${entries}</feed>`;

  it('reads issued/modified, tagline and the link', async () => {
    const feed = await parseText(
      feed03('<entry><title>E</title><id>tag:1</id><issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified></entry>'),
    );
    expect(feed).toMatchObject({ format: 'atom', description: 'Since 2004', link: 'https://old.example/' });
    expect(feed.items[0]).toMatchObject({ published: '2004-01-01T00:00:00Z', updated: '2004-01-02T00:00:00Z' });
  });

  it.each([
    ['mode="escaped" type="text/html"', '&lt;b&gt;bold&lt;/b&gt;', '<b>bold</b>'],
    ['mode="base64" type="text/html"', 'PGI+Ym9sZDwvYj4=', '<b>bold</b>'],
    // Atom 0.3 has no wrapper div (Atom 1.0 does): a div there is part of the content.
    [
      'mode="xml" type="application/xhtml+xml"',
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>a <b>b</b> c</p></div>',
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>a <b>b</b> c</p></div>',
    ],
    ['type="text/plain"', 'a &lt; b', 'a &lt; b'],
  ])('content %s', async (attrs, body, expected) => {
    const feed = await parseText(feed03(`<entry><title>E</title><content ${attrs}>${body}</content></entry>`));
    expect(feed.items[0]?.content).toBe(expected);
  });
});

describe('Atom robustness', () => {
  it('reads a prefixed Atom feed (atom:feed) and keeps entries whose dates are not dates', async () => {
    const feed = await parseText(
      '<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>P</atom:title><atom:entry><atom:title>E</atom:title>' +
        '<atom:link href="https://p.example/1"/><atom:published>someday</atom:published></atom:entry></atom:feed>',
    );
    expect(feed).toMatchObject({ format: 'atom', title: 'P' });
    expect(feed.items[0]).toMatchObject({ title: 'E', link: 'https://p.example/1', published: 'someday' });
  });

  it("resolves a relative entry link without the content's xml:base, which applies to the content alone", async () => {
    const feed = await parseText(
      atom(
        '<entry><id>tag:b,1</id><title>One</title><link href="posts/one"/>' +
          '<content type="html" xml:base="https://cdn.example/x/">&lt;a href="two"&gt;two&lt;/a&gt;</content></entry>',
        '<link href="https://blog.example/blog/"/>',
      ),
    );
    expect(feed.items[0]).toMatchObject({ link: 'posts/one', base: null, contentBase: 'https://cdn.example/x/' });
    const [article] = normalizeFeed(feed, {
      source: { id: 'b', name: 'B', url: 'https://blog.example/atom.xml', enabled: true },
      feedUrl: 'https://blog.example/atom.xml',
      now: new Date('2026-06-01T00:00:00Z'),
    }).map((candidate) => candidate.article);
    expect(article?.url).toBe('https://blog.example/blog/posts/one');
    expect(article?.contentHtml).toBe('<a href="https://cdn.example/x/two">two</a>');
  });

  it('keeps base64 content that is text, and drops a picture or other binary content rather than show its bytes', async () => {
    const base64 = (bytes: number[] | string) => Buffer.from(typeof bytes === 'string' ? bytes : Uint8Array.from(bytes)).toString('base64');
    const png = base64([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const entry = (type: string, body: string) => `<entry><id>${type}</id><summary>S</summary><content type="${type}">${body}</content></entry>`;
    const feed = await parseText(
      atom(
        entry('application/octet-stream', base64('Example <b>Atom</b>')) +
          entry('image/png', base64('looks like text')) +
          entry('application/pdf', png) +
          entry('application/octet-stream', base64([0x63, 0x61, 0xff, 0xfe, 0x66])),
      ),
    );
    expect(feed.items.map((item) => item.content)).toEqual(['Example <b>Atom</b>', null, null, null]);
    expect(feed.items.map((item) => item.summary)).toEqual(['S', 'S', 'S', 'S']);
  });

  it('accepts links written as text and entries whose only links are not alternates', async () => {
    const feed = await parseText(
      atom('<entry><id>1</id><link>https://t.example/1</link></entry><entry><id>2</id><link rel="replies" href="https://t.example/c"/></entry>'),
    );
    expect(feed.items.map((item) => item.link)).toEqual(['https://t.example/1', null]);
  });

  it('strips an xhtml namespace prefix inside xhtml content', async () => {
    const feed = await parseText(
      atom(
        '<entry><id>1</id><content type="xhtml"><xhtml:div xmlns:xhtml="http://www.w3.org/1999/xhtml">' +
          '<xhtml:p>Hi <xhtml:em>there</xhtml:em></xhtml:p></xhtml:div></content></entry>',
      ),
    );
    expect(feed.items[0]?.content).toBe('<p>Hi <em>there</em></p>');
  });

  it('reads xhtml titles as markup and media:group thumbnails/descriptions (YouTube style)', async () => {
    const feed = await parseText(
      atom(
        '<entry><id>1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <b>bold</b> title</div></title>' +
          '<media:group><media:title>v</media:title><media:thumbnail url="https://yt.example/t.jpg"/>' +
          '<media:description>Plain &lt;text&gt;</media:description></media:group></entry>',
        '',
        ' xmlns:media="http://search.yahoo.com/mrss/"',
      ),
    );
    expect(feed.items[0]).toMatchObject({
      title: 'A <b>bold</b> title',
      thumbnail: 'https://yt.example/t.jpg',
      summary: 'Plain &lt;text&gt;',
    });
  });

  it('drops out-of-line content (src) rather than inventing it', async () => {
    const feed = await parseText(atom('<entry><id>1</id><content src="https://x.example/body.html" type="text/html"/></entry>'));
    expect(feed.items[0]?.content).toBeNull();
  });
});
