/**
 * Article and FeedMeta builders for the render tests. Every call returns a
 * fresh object validated by the model's schemas, so no test can leak changes
 * into another and every fixture is a real, valid Article.
 */
import { ArticleSchema, type Article, type Credit } from '../../src/model/index.js';
import { FeedMetaSchema, type FeedMeta } from '../../src/render/index.js';

export type ArticleOverrides = Partial<Omit<Article, 'credit'>> & { credit?: Partial<Credit> };

/** A valid article from "GogoAI News"; override any field, credit fields merge. */
export function makeArticle(overrides: ArticleOverrides = {}): Article {
  const { credit, ...rest } = overrides;
  const id = rest.id ?? 'a1';
  const url = rest.url ?? `https://www.gogoai.xin/news/${id}.html`;
  return ArticleSchema.parse({
    id,
    guid: `tag:byline.example,2024:${id}`,
    sourceId: 'gogoai',
    title: 'OpenAI ships a new model',
    url,
    upstreamGuid: null,
    published: '2024-03-05T10:00:00Z',
    dateFromSource: true,
    updated: null,
    firstSeen: '2024-03-05T10:05:00Z',
    authors: ['Alice'],
    summary: 'A short plain summary.',
    contentHtml: '<p>Full <strong>content</strong>.</p>',
    image: null,
    categories: ['AI'],
    ...rest,
    credit: {
      sourceId: 'gogoai',
      sourceName: 'GogoAI News',
      sourceSite: 'https://www.gogoai.xin/',
      feedUrl: 'https://www.gogoai.xin/feed.xml',
      originalUrl: url,
      creditLine: 'Please credit GogoAI when republishing.',
      license: null,
      via: [],
      ...credit,
    },
  });
}

/**
 * The mixed set most tests render: a Chinese title, hostile-looking text, a
 * `]]>` inside content, an article with no author, one with an upstream via,
 * one with no credit line, and one with a lead image.
 */
export function makeArticleSet(): Article[] {
  return [
    makeArticle({
      id: 'zh',
      title: '人工智能周报：大模型的新进展',
      authors: ['张三', '李四'],
      categories: ['大模型', 'AI'],
      summary: '本周要闻。',
      contentHtml: '<p>中文内容</p>',
    }),
    makeArticle({
      id: 'hostile',
      title: '</title><script>alert("x")</script> & <b>bold</b>',
      summary: 'Summary with <tags> & "quotes" ]]> inside',
      contentHtml: '<p>Code sample: if (a[b[0]]> 1) { x = "]]>"; }</p><p>end ]]></p>',
    }),
    makeArticle({ id: 'noauthor', authors: [], title: 'No author here' }),
    makeArticle({
      id: 'via',
      title: 'Relayed story',
      credit: {
        sourceId: 'aggregator',
        sourceName: 'AI Aggregator',
        sourceSite: 'https://agg.example/',
        feedUrl: 'https://agg.example/rss',
        via: [
          { name: 'Upstream Daily', url: 'https://upstream.example/story', feedUrl: 'https://upstream.example/feed' },
          { name: 'Origin Wire', url: null, feedUrl: null },
        ],
      },
    }),
    makeArticle({
      id: 'nocredit',
      title: 'Source without a credit line',
      credit: { sourceId: 'plain', sourceName: 'Plain Blog', sourceSite: null, feedUrl: 'https://plain.example/atom', creditLine: null },
    }),
    makeArticle({
      id: 'image',
      title: 'With a lead image',
      image: { url: 'https://cdn.example/img/lead.png?w=800&h=600', type: null, length: null },
      credit: { license: 'CC BY 4.0' },
    }),
  ];
}

/** Feed metadata for byline.example; override any field. */
export function makeMeta(overrides: Partial<FeedMeta> = {}): FeedMeta {
  return FeedMetaSchema.parse({
    title: 'Byline AI News',
    description: 'AI-industry news, credited.',
    homeUrl: 'https://byline.example/',
    selfUrls: {
      rss: 'https://byline.example/feed.xml',
      atom: 'https://byline.example/atom.xml',
      json: 'https://byline.example/feed.json',
      html: 'https://byline.example/',
    },
    language: 'zh-CN',
    updated: '2024-03-06T00:00:00Z',
    generator: 'byline 0.1.0',
    hubUrl: null,
    stylesheetUrl: null,
    ...overrides,
  });
}

/**
 * What the default footer must say for an article, worked out here from the
 * article's fields (independently of renderFooter) as a test oracle.
 */
export function expectedDefaultFooterLines(article: Article): string[] {
  const { credit } = article;
  const site = credit.sourceSite ? ` (${new URL(credit.sourceSite).host})` : '';
  const lines = [`📌 Source: ${credit.sourceName}${site}`];
  if (credit.via.length > 0) lines.push(`🔁 Via: ${credit.via.map((v) => v.name).join(', ')}`);
  lines.push(`🔗 Original: ${article.url}`);
  if (credit.creditLine) lines.push(`⚠️ ${credit.creditLine}`);
  return lines;
}
