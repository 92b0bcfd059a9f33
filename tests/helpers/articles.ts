/** Builds valid Articles for tests, overriding only what a test cares about. */
import { ArticleSchema, type Article, type Candidate } from '../../src/model/index.js';

export function makeArticle(overrides: Partial<Article> & { id: string }): Article {
  const sourceId = overrides.sourceId ?? 'src';
  const url = overrides.url ?? `https://example.com/${overrides.id}`;
  return ArticleSchema.parse({
    guid: `tag:byline,2026:${overrides.id}`,
    sourceId,
    title: `Title ${overrides.id}`,
    url,
    upstreamGuid: null,
    published: '2026-11-20T10:00:00.000Z',
    dateFromSource: true,
    updated: null,
    firstSeen: '2026-11-20T10:05:00.000Z',
    authors: [],
    summary: 'Summary',
    contentHtml: '<p>Body</p>',
    image: null,
    categories: [],
    credit: {
      sourceId,
      sourceName: 'Source',
      sourceSite: 'https://example.com/',
      feedUrl: 'https://example.com/feed.xml',
      originalUrl: url,
      creditLine: 'Please credit Source when republishing.',
      license: null,
      via: [],
    },
    ...overrides,
  });
}

export function makeCandidate(overrides: Partial<Article> & { id: string }, aliasKeys?: string[]): Candidate {
  const article = makeArticle(overrides);
  return { article, aliasKeys: aliasKeys ?? [`url:${article.url}`] };
}
