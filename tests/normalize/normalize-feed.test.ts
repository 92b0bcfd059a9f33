/** normalizeFeed end to end on hand-built RawFeeds. */
import { describe, expect, it } from 'vitest';
import { ArticleSchema } from '../../src/model/index.js';
import { CandidateSchema } from '../../src/model/index.js';
import { articleIdFor, guidFor, normalizeFeed } from '../../src/normalize/index.js';
import { NOW, makeContext, makeFeed, makeItem, makeSource } from './fixtures.js';

describe('normalizeFeed: a full item', () => {
  it('produces a complete, valid, credited article', () => {
    const raw = makeFeed([
      makeItem({
        guid: 'urn:uuid:1',
        guidIsPermaLink: false,
        title: '  GPT &amp; friends: <em>a survey</em> ',
        link: '/2026/06/survey?utm_source=rss&id=4',
        published: 'Mon, 01 Jun 2026 16:00:00 +0800',
        updated: '2026-06-01T10:00:00Z',
        authors: ['jane@example.com (Jane Doe)', 'Jane Doe', 'Bob'],
        summary: '<p>A short teaser.</p>',
        content: '<p onclick="x()">Full <a href="related">text</a>.</p><img src="img/chart.png" alt="chart"><script>bad()</script>',
        categories: ['AI', ' ai ', 'Research'],
        upstream: { title: 'Origin Lab', url: 'https://origin.example/', feedUrl: null },
      }),
    ]);
    const context = makeContext({ source: makeSource({ credit: 'Credit Example News.', license: 'CC BY 4.0' }) });
    const [candidate, ...rest] = normalizeFeed(raw, context);
    expect(rest).toHaveLength(0);
    expect(CandidateSchema.parse(candidate)).toBeTruthy();

    const url = 'https://news.example.com/2026/06/survey?id=4';
    expect(candidate?.aliasKeys).toEqual([`url:${url}`, 'guid:example:urn:uuid:1']);
    const id = articleIdFor(`url:${url}`);
    expect(candidate?.article).toEqual({
      id,
      guid: guidFor(id),
      sourceId: 'example',
      title: 'GPT & friends: a survey',
      url,
      upstreamGuid: 'urn:uuid:1',
      published: '2026-06-01T08:00:00.000Z',
      dateFromSource: true,
      updated: '2026-06-01T10:00:00.000Z',
      firstSeen: NOW,
      authors: ['Jane Doe', 'Bob'],
      summary: 'A short teaser.',
      contentHtml:
        '<p>Full <a href="https://news.example.com/2026/06/related">text</a>.</p><img src="https://news.example.com/2026/06/img/chart.png" alt="chart" />',
      image: { url: 'https://news.example.com/2026/06/img/chart.png', type: 'image/png', length: null },
      categories: ['AI', 'Research'],
      credit: {
        sourceId: 'example',
        sourceName: 'Example News',
        sourceSite: 'https://news.example.com/',
        feedUrl: 'https://news.example.com/feed.xml',
        originalUrl: url,
        creditLine: 'Credit Example News.',
        license: 'CC BY 4.0',
        via: [{ name: 'Origin Lab', url: 'https://origin.example/', feedUrl: null }],
      },
    });
  });

  it('returns no candidates for a feed without items', () => {
    expect(normalizeFeed(makeFeed([]), makeContext())).toEqual([]);
  });
});

describe('normalizeFeed: URLs and bases', () => {
  const urlOf = (item: Parameters<typeof makeItem>[0], feed: Parameters<typeof makeFeed>[1] = {}, feedUrl?: string) =>
    normalizeFeed(makeFeed([makeItem(item)], feed), makeContext(feedUrl ? { feedUrl } : {}))[0]?.article.url;

  it('resolves the link against the item base, then the feed base, then the feed link, then the feed URL', () => {
    expect(urlOf({ link: 'p', base: 'https://base.example/items/' }, { base: 'https://base.example/root/' })).toBe('https://base.example/items/p');
    // The item's base is the whole chain in force, the feed's included: a relative one is relative to the document.
    expect(urlOf({ link: 'p', base: 'root/items/' }, { base: 'root/' }, 'https://feeds.example/x/feed.xml')).toBe('https://feeds.example/x/root/items/p');
    expect(urlOf({ link: 'p' }, { base: 'https://base.example/root/' })).toBe('https://base.example/root/p');
    expect(urlOf({ link: 'p' }, { link: 'https://site.example/blog/' })).toBe('https://site.example/blog/p');
    expect(urlOf({ link: 'p' }, { link: null }, 'https://feeds.example/x/feed.xml')).toBe('https://feeds.example/x/p');
  });

  it('falls back to the site when the item has no usable link', () => {
    expect(urlOf({ link: 'javascript:void(0)' })).toBe('https://news.example.com/');
    expect(urlOf({ link: null }, { link: null })).toBe('https://news.example.com/feed.xml');
  });

  it('makes content URLs absolute against the article URL when no xml:base is given', () => {
    const [candidate] = normalizeFeed(
      makeFeed([makeItem({ link: 'https://news.example.com/a/b/post', content: '<a href="../x">x</a>' })]),
      makeContext(),
    );
    expect(candidate?.article.contentHtml).toBe('<a href="https://news.example.com/a/x">x</a>');
  });

  it('uses the site link absolute in the credit even when the feed gives it relative', () => {
    const [candidate] = normalizeFeed(makeFeed([makeItem()], { link: '/' }), makeContext());
    expect(candidate?.article.credit.sourceSite).toBe('https://news.example.com/');
  });
});

describe('normalizeFeed: dates', () => {
  const datesOf = (item: Parameters<typeof makeItem>[0]) => {
    const article = normalizeFeed(makeFeed([makeItem(item)]), makeContext())[0]?.article;
    return { published: article?.published, dateFromSource: article?.dateFromSource, updated: article?.updated };
  };

  it('uses published, else updated, else now', () => {
    expect(datesOf({ published: '2026-05-01T00:00:00Z', updated: '2026-05-02T00:00:00Z' })).toEqual({
      published: '2026-05-01T00:00:00.000Z',
      dateFromSource: true,
      updated: '2026-05-02T00:00:00.000Z',
    });
    expect(datesOf({ published: null, updated: '2026-05-02T00:00:00Z' })).toEqual({
      published: '2026-05-02T00:00:00.000Z',
      dateFromSource: true,
      updated: '2026-05-02T00:00:00.000Z',
    });
    expect(datesOf({ published: 'not a date', updated: null })).toEqual({ published: NOW, dateFromSource: false, updated: null });
  });

  it('dates undated items a second apart in document order, leaving dated ones as they are', () => {
    const items = [
      makeItem({ link: 'https://news.example.com/a', published: null }),
      makeItem({ link: 'https://news.example.com/b', published: '2026-05-01T00:00:00Z' }),
      makeItem({ link: 'https://news.example.com/c', published: 'not a date' }),
      makeItem({ link: 'https://news.example.com/d', published: null }),
    ];
    const dates = normalizeFeed(makeFeed(items), makeContext()).map(({ article }) => [article.published, article.dateFromSource]);
    const before = (seconds: number) => new Date(Date.parse(NOW) - seconds * 1000).toISOString();
    // Positions count every item, so an item's date does not depend on which of the others are dated.
    expect(dates).toEqual([
      [NOW, false],
      ['2026-05-01T00:00:00.000Z', true],
      [before(2), false],
      [before(3), false],
    ]);
  });

  it('reads a relative or partial Chinese date against now, and marks it approximate with how far it may be off', () => {
    const approximateOf = (item: Parameters<typeof makeItem>[0]) =>
      normalizeFeed(makeFeed([makeItem(item)]), makeContext())[0]?.article.dateMargins;
    const [minute, hour, day] = [60_000, 3_600_000, 86_400_000];
    // NOW is 20:00 in China.
    expect(datesOf({ published: '3小时前' })).toEqual({ published: '2026-06-01T09:00:00.000Z', dateFromSource: true, updated: null });
    expect(approximateOf({ published: '3小时前' })).toEqual({ published: hour });
    expect(datesOf({ published: null, updated: '昨天 09:05' })).toEqual({
      published: '2026-05-31T01:05:00.000Z',
      dateFromSource: true,
      updated: '2026-05-31T01:05:00.000Z',
    });
    expect(approximateOf({ published: null, updated: '昨天 09:05' })).toEqual({ published: minute, updated: minute });
    expect(approximateOf({ published: '2026-05-01T00:00:00Z', updated: '５分钟前' })).toEqual({ updated: minute });
    expect(['刚刚', '昨天 09:05:30', '5月30日', '5月30日 09:05', '2周前', '一年前'].map((published) => approximateOf({ published }))).toEqual(
      [minute, 1000, day, minute, 7 * day, 366 * day].map((margin) => ({ published: margin })),
    );
    expect(approximateOf({ published: '2026-05-01T00:00:00Z' })).toBeUndefined();
    // Later today in China is still ahead of the fetch: capped like any future date.
    expect(datesOf({ published: '今天 23:00' })).toEqual({ published: NOW, dateFromSource: true, updated: null });
    expect(approximateOf({ published: '今天 23:00' })).toEqual({ published: 3 * hour + minute });
    // An old item dated 两个月前 sorts two months back, not at the fetch as if it were new.
    expect(datesOf({ published: '两个月前' })).toEqual({ published: '2026-04-01T12:00:00.000Z', dateFromSource: true, updated: null });
    expect(approximateOf({ published: '两个月前' })).toEqual({ published: 31 * day });
  });

  it('treats an impossible relative date like any unreadable one', () => {
    for (const published of ['99999天前', '13月1日', '今天 25:61']) {
      const [candidate] = normalizeFeed(makeFeed([makeItem({ published })]), makeContext());
      expect([candidate?.article.published, candidate?.article.dateFromSource, candidate?.article.dateMargins]).toEqual([
        NOW,
        false,
        undefined,
      ]);
    }
  });

  it('takes the Unix epoch a generator prints for a missing date as no date, so retention does not discard the item', () => {
    expect(datesOf({ published: 'Thu, 01 Jan 1970 00:00:00 +0000', updated: null })).toEqual({ published: NOW, dateFromSource: false, updated: null });
  });

  it('caps a future date at now', () => {
    expect(datesOf({ published: '2099-01-01T00:00:00Z', updated: '2099-01-02T00:00:00Z' })).toEqual({
      published: NOW,
      dateFromSource: true,
      updated: NOW,
    });
  });
});

describe('normalizeFeed: text fallbacks', () => {
  it('uses the summary as content when there is no content, and derives the summary from it', () => {
    const [candidate] = normalizeFeed(makeFeed([makeItem({ summary: '<p>Only a description.</p>', content: null })]), makeContext());
    expect(candidate?.article.contentHtml).toBe('<p>Only a description.</p>');
    expect(candidate?.article.summary).toBe('Only a description.');
  });

  it('falls back to the summary when the content sanitizes to nothing', () => {
    const [candidate] = normalizeFeed(
      makeFeed([makeItem({ summary: 'Plain summary', content: '<script>x()</script><iframe src="https://v.example/"></iframe>' })]),
      makeContext(),
    );
    expect(candidate?.article.contentHtml).toBe('<p>Plain summary</p>');
  });

  it('has empty content and a null summary when the item has no text', () => {
    const [candidate] = normalizeFeed(makeFeed([makeItem({ summary: null, content: null })]), makeContext());
    expect(candidate?.article.contentHtml).toBe('');
    expect(candidate?.article.summary).toBeNull();
  });

  it('derives a missing title from the text, else uses the URL', () => {
    const [withText] = normalizeFeed(
      makeFeed([makeItem({ title: null, content: '<p>Anthropic published a paper on interpretability of large models today.</p>' })]),
      makeContext(),
    );
    expect(withText?.article.title).toBe('Anthropic published a paper on interpretability of large models today.');
    const [bare] = normalizeFeed(makeFeed([makeItem({ title: '<br>' })]), makeContext());
    expect(bare?.article.title).toBe('https://news.example.com/posts/1');
  });

  it('keeps Chinese titles and content intact', () => {
    const [candidate] = normalizeFeed(
      makeFeed([makeItem({ title: '<![CDATA[智谱发布 GLM-5：开源大模型]]>', content: '<p>正文内容。</p>' })]),
      makeContext(),
    );
    expect(candidate?.article.title).toBe('智谱发布 GLM-5：开源大模型');
    expect(candidate?.article.contentHtml).toBe('<p>正文内容。</p>');
  });
});

describe('normalizeFeed: robustness', () => {
  it('normalizes a file: feed URL (local sources) without inventing http links', () => {
    const [candidate] = normalizeFeed(
      makeFeed([makeItem({ link: 'relative.html' })], { link: null }),
      makeContext({ feedUrl: 'file:///srv/feeds/local.xml', source: makeSource({ url: 'file:///srv/feeds/local.xml' }) }),
    );
    expect(candidate?.article.url).toBe('file:///srv/feeds/local.xml');
    expect(ArticleSchema.safeParse(candidate?.article).success).toBe(true);
  });

  it('does not mutate its input', () => {
    const raw = makeFeed([makeItem({ content: '<p>x</p>', authors: ['A'] })]);
    const snapshot = structuredClone(raw);
    normalizeFeed(raw, makeContext());
    expect(raw).toEqual(snapshot);
  });
});
