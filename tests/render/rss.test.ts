/**
 * RSS 2.0 output: well-formed XML, a round trip through rss-parser, credit on
 * every item, stable guids, RFC 822 dates independent of the process time
 * zone, exactly the namespaces used, and `]]>` surviving the CDATA split.
 */
import Parser from 'rss-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { renderRss } from '../../src/render/index.js';
import { expectedDefaultFooterLines, makeArticle, makeArticleSet, makeMeta } from './fixtures.js';
import { creditLines } from './html-support.js';
import { childNamed, childrenNamed, expectWellFormed, prefixesDeclared, prefixesUsed, type XmlElement } from './xml-support.js';

async function renderItems(articles = makeArticleSet(), meta = makeMeta()): Promise<{ rss: XmlElement; items: XmlElement[] }> {
  const rss = await expectWellFormed(renderRss(meta, articles));
  return { rss, items: childrenNamed(childNamed(rss, 'channel'), 'item') };
}

describe('renderRss', () => {
  it('produces a well-formed RSS 2.0 document that rss-parser reads back', async () => {
    const articles = makeArticleSet();
    const xml = renderRss(makeMeta(), articles);
    await expectWellFormed(xml);
    const parsed = await new Parser().parseString(xml);
    expect(parsed.title).toBe('Byline AI News');
    expect(parsed.items).toHaveLength(articles.length);
    expect(parsed.items.map((item) => item.title)).toEqual(articles.map((a) => a.title));
    expect(parsed.items.map((item) => item.link)).toEqual(articles.map((a) => a.url));
    expect(parsed.items.map((item) => item.guid)).toEqual(articles.map((a) => a.guid));
  });

  it('keeps the given order instead of sorting by date', async () => {
    const articles = [
      makeArticle({ id: 'old', published: '2020-01-01T00:00:00Z' }),
      makeArticle({ id: 'new', published: '2024-01-01T00:00:00Z' }),
    ];
    const { items } = await renderItems(articles);
    expect(items.map((item) => childNamed(item, 'guid').text)).toEqual(articles.map((a) => a.guid));
  });

  it('credits the source on every item: <source>, footer lines in content, rights', async () => {
    const articles = makeArticleSet();
    const { items } = await renderItems(articles);
    items.forEach((item, index) => {
      const article = articles[index]!;
      const source = childNamed(item, 'source');
      expect(source.attrs['url']).toBe(article.credit.feedUrl);
      expect(source.text).toBe(article.credit.sourceName);
      expect(creditLines(childNamed(item, 'content:encoded').text)).toEqual(expectedDefaultFooterLines(article));
      const rights = childrenNamed(item, 'dc:rights').map((r) => r.text);
      const expected = [article.credit.creditLine, article.credit.license && `License: ${article.credit.license}`].filter(Boolean);
      expect(rights).toEqual(expected.length > 0 ? [expected.join(' ')] : []);
    });
  });

  it('puts credit line and license into dc:rights', async () => {
    const { items } = await renderItems([makeArticle({ credit: { license: 'CC BY 4.0' } })]);
    expect(childNamed(items[0]!, 'dc:rights').text).toBe('Please credit GogoAI when republishing. License: CC BY 4.0');
  });

  it('uses the article guid as a non-permalink guid, identical across renders', async () => {
    const articles = makeArticleSet();
    const first = renderRss(makeMeta(), articles);
    expect(renderRss(makeMeta(), makeArticleSet())).toBe(first);
    const { items } = await renderItems(articles);
    items.forEach((item, index) => {
      const guid = childNamed(item, 'guid');
      expect(guid.text).toBe(articles[index]!.guid);
      expect(guid.attrs['isPermaLink']).toBe('false');
      expect(childNamed(item, 'link').text).toBe(articles[index]!.url);
    });
  });

  it('round-trips hostile titles, plain summaries and `]]>` in content exactly', async () => {
    const articles = makeArticleSet();
    const hostile = articles.find((a) => a.id === 'hostile')!;
    const { items } = await renderItems([hostile]);
    const item = items[0]!;
    expect(childNamed(item, 'title').text).toBe(hostile.title);
    expect(childNamed(item, 'content:encoded').text.startsWith(`${hostile.contentHtml}\n<div class="byline-credit">`)).toBe(true);
    // description is HTML by convention: the plain summary arrives HTML-escaped, so readers show it as text.
    const description = childNamed(item, 'description').text;
    expect(description).toBe('Summary with &lt;tags&gt; &amp; &quot;quotes&quot; ]]&gt; inside');
  });

  it('writes one dc:creator per author and none for an article without authors', async () => {
    const { items } = await renderItems([makeArticle({ authors: ['张三', 'Bob'] }), makeArticle({ id: 'b', authors: [] })]);
    expect(childrenNamed(items[0]!, 'dc:creator').map((c) => c.text)).toEqual(['张三', 'Bob']);
    expect(childrenNamed(items[1]!, 'dc:creator')).toHaveLength(0);
    expect(childrenNamed(items[0]!, 'author')).toHaveLength(0);
  });

  it('writes categories, the via chain as atom:link rel="via", and the lead image as media:content and enclosure', async () => {
    const articles = makeArticleSet();
    const { items } = await renderItems(articles);
    const byId = (id: string): XmlElement => items[articles.findIndex((a) => a.id === id)]!;
    expect(childrenNamed(byId('zh'), 'category').map((c) => c.text)).toEqual(['大模型', 'AI']);
    // dc:source next to <source> reads as the same statement twice to validators; via links use atom:link.
    expect(childrenNamed(byId('via'), 'dc:source')).toHaveLength(0);
    expect(childrenNamed(byId('via'), 'atom:link').map((l) => l.attrs)).toEqual([{ rel: 'via', href: 'https://upstream.example/story' }]);
    const image = byId('image');
    expect(childNamed(image, 'media:content').attrs).toEqual({ url: 'https://cdn.example/img/lead.png?w=800&h=600', type: 'image/png', medium: 'image' });
    expect(childNamed(image, 'enclosure').attrs).toEqual({ url: 'https://cdn.example/img/lead.png?w=800&h=600', length: '0', type: 'image/png' });
    expect(childrenNamed(byId('zh'), 'enclosure')).toHaveLength(0);
  });

  it.each([
    { url: 'https://cdn.example/a.jpg', type: null, length: 1234, expected: { type: 'image/jpeg', length: '1234' } },
    { url: 'https://cdn.example/a.webp', type: null, length: null, expected: { type: 'image/webp', length: '0' } },
    { url: 'https://cdn.example/photo', type: null, length: null, expected: { type: 'image/jpeg', length: '0' } },
    { url: 'https://cdn.example/a.jpg', type: 'image/gif', length: null, expected: { type: 'image/gif', length: '0' } },
  ])('describes the image $url (type $type) as $expected.type', async ({ url, type, length, expected }) => {
    const { items } = await renderItems([makeArticle({ image: { url, type, length } })]);
    expect(childNamed(items[0]!, 'enclosure').attrs).toEqual({ url, ...expected });
  });

  it('writes the channel elements, self and hub links, and the stylesheet PI when asked', async () => {
    const meta = makeMeta({ hubUrl: 'https://hub.example/', stylesheetUrl: '/rss.xsl?v=1&x=2' });
    const xml = renderRss(meta, []);
    expect(xml.split('\n')[1]).toBe('<?xml-stylesheet type="text/xsl" href="/rss.xsl?v=1&amp;x=2"?>');
    const rss = await expectWellFormed(xml);
    expect(rss.attrs['version']).toBe('2.0');
    const channel = childNamed(rss, 'channel');
    const text = (name: string): string => childNamed(channel, name).text;
    expect([text('title'), text('link'), text('description'), text('language'), text('generator')]).toEqual([
      'Byline AI News', 'https://byline.example/', 'AI-industry news, credited.', 'zh-CN', 'byline 0.1.0',
    ]);
    expect(text('lastBuildDate')).toBe('Wed, 06 Mar 2024 00:00:00 +0000');
    expect(text('docs')).toMatch(/^https:\/\//);
    expect(childrenNamed(channel, 'atom:link').map((l) => l.attrs)).toEqual([
      { href: 'https://byline.example/feed.xml', rel: 'self', type: 'application/rss+xml' },
      { href: 'https://hub.example/', rel: 'hub' },
    ]);
    expect(renderRss(makeMeta(), [])).not.toContain('xml-stylesheet');
    expect(renderRss(makeMeta({ language: null }), [])).not.toContain('<language>');
  });

  it('strips characters XML 1.0 forbids from every string', async () => {
    const article = makeArticle({ title: 'Bell\u0007 title\uFFFF', summary: 'NUL\u0000 here', contentHtml: '<p>lone \uD800 surrogate</p>', authors: ['Ann\u001B'] });
    const { items } = await renderItems([article]);
    expect(childNamed(items[0]!, 'title').text).toBe('Bell title');
    expect(childNamed(items[0]!, 'dc:creator').text).toBe('Ann');
    expect(childNamed(items[0]!, 'content:encoded').text).toContain('<p>lone  surrogate</p>');
  });
});

describe('renderRss namespaces', () => {
  it.each([
    { name: 'the full set', articles: makeArticleSet, declared: ['atom', 'content', 'dc', 'media'] },
    { name: 'items without images, authors or rights', articles: () => [makeArticle({ authors: [], credit: { creditLine: null } })], declared: ['atom', 'content'] },
    { name: 'no items', articles: () => [], declared: ['atom'] },
  ])('declares exactly the namespaces used for $name', async ({ articles, declared }) => {
    const rss = await expectWellFormed(renderRss(makeMeta(), articles()));
    expect([...prefixesDeclared(rss)].sort()).toEqual(declared);
    expect([...prefixesUsed(rss)].sort()).toEqual(declared);
  });
});

describe('renderRss dates', () => {
  const savedTz = process.env['TZ'];
  afterEach(() => {
    if (savedTz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = savedTz;
  });

  it.each(['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati'])(
    'formats pubDate as English RFC 822 in UTC with TZ=%s',
    async (tz) => {
      process.env['TZ'] = tz;
      const articles = [
        makeArticle({ id: 'a', published: '2024-03-05T10:00:00+08:00' }),
        makeArticle({ id: 'b', published: '2023-12-31T23:59:59-05:00' }),
        makeArticle({ id: 'c', published: '2024-02-29T00:00:07.250Z' }),
      ];
      const { items } = await renderItems(articles);
      expect(items.map((item) => childNamed(item, 'pubDate').text)).toEqual([
        'Tue, 05 Mar 2024 02:00:00 +0000',
        'Mon, 01 Jan 2024 04:59:59 +0000',
        'Thu, 29 Feb 2024 00:00:07 +0000',
      ]);
    },
  );
});
