/**
 * JSON Feed 1.1 output, checked against a zod schema of the 1.1 spec written
 * here, plus byline's `_byline` credit extension on every item.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { renderJsonFeed } from '../../src/render/index.js';
import { expectedDefaultFooterLines, makeArticle, makeArticleSet, makeMeta } from './fixtures.js';
import { creditLines } from './html-support.js';

const Rfc3339 = z.iso.datetime({ offset: true });
const Url = z.url();

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1), strict about the fields byline emits. */
const AuthorSchema = z
  .object({ name: z.string().optional(), url: Url.optional(), avatar: Url.optional() })
  .strict()
  .refine((author) => author.name !== undefined || author.url !== undefined || author.avatar !== undefined);

const BylineExtensionSchema = z
  .object({
    source: z.object({ id: z.string().min(1), name: z.string().min(1), home_page_url: z.string().nullable(), feed_url: z.string().min(1).nullable() }).strict(),
    original_url: Url,
    credit: z.string().nullable(),
    license: z.string().nullable(),
    via: z.array(z.object({ name: z.string(), url: z.string().nullable(), feed_url: z.string().nullable() }).strict()),
  })
  .strict();

const ItemSchema = z
  .object({
    id: z.string().min(1),
    url: Url.optional(),
    external_url: Url.optional(),
    title: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    summary: z.string().optional(),
    image: Url.optional(),
    banner_image: Url.optional(),
    date_published: Rfc3339.optional(),
    date_modified: Rfc3339.optional(),
    authors: z.array(AuthorSchema).optional(),
    tags: z.array(z.string()).optional(),
    language: z.string().optional(),
    _byline: BylineExtensionSchema,
  })
  .strict()
  .refine((item) => item.content_html !== undefined || item.content_text !== undefined, 'content_html or content_text is required');

const JsonFeedSchema = z
  .object({
    version: z.literal('https://jsonfeed.org/version/1.1'),
    title: z.string().min(1),
    home_page_url: Url.optional(),
    feed_url: Url.optional(),
    description: z.string().optional(),
    icon: Url.optional(),
    favicon: Url.optional(),
    language: z.string().optional(),
    authors: z.array(AuthorSchema).optional(),
    hubs: z.array(z.object({ type: z.string(), url: Url }).strict()).optional(),
    items: z.array(ItemSchema),
  })
  .strict();

function render(articles = makeArticleSet(), meta = makeMeta()): z.infer<typeof JsonFeedSchema> {
  return JsonFeedSchema.parse(JSON.parse(renderJsonFeed(meta, articles)));
}

describe('renderJsonFeed', () => {
  it('validates as JSON Feed 1.1 with the feed fields set', () => {
    const feed = render(makeArticleSet(), makeMeta({ hubUrl: 'https://hub.example/' }));
    expect(feed).toMatchObject({
      title: 'Byline AI News',
      home_page_url: 'https://byline.example/',
      feed_url: 'https://byline.example/feed.json',
      description: 'AI-industry news, credited.',
      language: 'zh-CN',
      authors: [{ name: 'Byline AI News', url: 'https://byline.example/' }],
      hubs: [{ type: 'WebSub', url: 'https://hub.example/' }],
    });
    expect(render([], makeMeta({ language: null }))).not.toHaveProperty('language');
    expect(render([])).not.toHaveProperty('hubs');
  });

  it('writes every item with guid, original url, title, dates, authors and tags, in the given order', () => {
    const articles = makeArticleSet();
    const feed = render(articles);
    expect(feed.items.map((item) => item.id)).toEqual(articles.map((a) => a.guid));
    feed.items.forEach((item, index) => {
      const article = articles[index]!;
      expect(item.url).toBe(article.url);
      expect(item.title).toBe(article.title);
      expect(item.date_published).toBe('2024-03-05T10:00:00Z');
      expect(item.authors).toEqual(
        article.authors.length > 0 ? article.authors.map((name) => ({ name })) : [{ name: article.credit.sourceName }],
      );
      expect(item.tags).toEqual(article.categories);
    });
  });

  it('credits the source on every item: _byline and footer lines in content_html', () => {
    const articles = makeArticleSet();
    const feed = render(articles);
    feed.items.forEach((item, index) => {
      const article = articles[index]!;
      expect(item._byline).toEqual({
        source: {
          id: article.credit.sourceId,
          name: article.credit.sourceName,
          home_page_url: article.credit.sourceSite,
          feed_url: article.credit.feedUrl,
        },
        original_url: article.credit.originalUrl,
        credit: article.credit.creditLine,
        license: article.credit.license,
        via: article.credit.via.map((v) => ({ name: v.name, url: v.url, feed_url: v.feedUrl })),
      });
      expect(item.content_html?.startsWith(article.contentHtml)).toBe(true);
      expect(creditLines(item.content_html ?? '')).toEqual(expectedDefaultFooterLines(article));
    });
  });

  it('gives one original URL per item: url and _byline.original_url agree', () => {
    const article = makeArticle({ url: 'https://www.gogoai.xin/news/1.html', credit: { originalUrl: 'https://www.gogoai.xin/news/1.html?utm_source=rss' } });
    const [item] = render([article]).items;
    expect(item?.url).toBe('https://www.gogoai.xin/news/1.html');
    expect(item?._byline.original_url).toBe('https://www.gogoai.xin/news/1.html');
  });

  it('includes optional item fields only when known', () => {
    const feed = render([
      makeArticle({
        id: 'full',
        updated: '2024-03-05T12:00:00+01:00',
        image: { url: 'https://cdn.example/a.png', type: null, length: null },
      }),
      makeArticle({ id: 'bare', summary: null, categories: [], image: null }),
    ]);
    expect(feed.items[0]).toMatchObject({ date_modified: '2024-03-05T11:00:00Z', image: 'https://cdn.example/a.png', summary: 'A short plain summary.' });
    for (const key of ['date_modified', 'image', 'summary', 'tags']) expect(feed.items[1]).not.toHaveProperty(key);
  });

  it('carries hostile text verbatim (JSON needs no markup escaping) and is stable across renders', () => {
    const articles = makeArticleSet();
    const hostile = articles.find((a) => a.id === 'hostile')!;
    const item = render(articles).items.find((i) => i.id === hostile.guid);
    expect(item?.title).toBe(hostile.title);
    expect(item?.summary).toBe(hostile.summary);
    expect(renderJsonFeed(makeMeta(), makeArticleSet())).toBe(renderJsonFeed(makeMeta(), articles));
  });

  it('drops characters XML forbids, so every format carries the same text', () => {
    const feed = render([makeArticle({ title: 'a\u0000b\uFFFEc' })]);
    expect(feed.items[0]?.title).toBe('abc');
  });
});

describe('renderJsonFeed layout', () => {
  /** Any UTF-16 string, lone surrogates and control characters included. */
  const anyString = fc.string({ unit: 'binary', maxLength: 30 });
  const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  function strings(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
    return [];
  }

  it('is exactly what JSON.stringify pretty-prints, with no forbidden character in any string', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyString, anyString, anyString, anyString), { maxLength: 4 }), (fields) => {
        const articles = fields.map(([title, contentHtml, author, sourceName], i) =>
          makeArticle({ id: `p${i}`, title, contentHtml, authors: [author], categories: [author], credit: { sourceName, via: [{ name: title, url: null, feedUrl: null }] } }),
        );
        const text = renderJsonFeed(makeMeta({ hubUrl: 'https://hub.example/' }), articles);
        const parsed: unknown = JSON.parse(text);
        expect(text).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
        expect(strings(parsed).filter((s) => forbidden.test(s))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('writes an empty item list as []', () => {
    expect(renderJsonFeed(makeMeta(), [])).toMatch(/"items": \[\]\n\}\n$/);
  });
});
