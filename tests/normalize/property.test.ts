/**
 * Property test: whatever a parser hands over (random strings, markup, garbage
 * in every field), normalizeFeed neither throws nor produces an invalid Article.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArticleSchema } from '../../src/model/index.js';
import type { RawFeed, RawItem, Source } from '../../src/model/index.js';
import { articleIdFor, guidFor, normalizeFeed, parseDate } from '../../src/normalize/index.js';

const FRAGMENTS = [
  '<p>', '</p>', '<script>alert(1)</script>', '<img src="x" onerror="y">', '<a href="javascript:x">', '</a>', '&amp;',
  '&#0;', '&#xD800;', '&bogus;', '<![CDATA[', ']]>', '<!--', '-->', '<svg><g/>', '<math>', '<', '>', '"', "'", '\u0000',
  '\uD800', '中文', '🚀', 'https://example.com/a?utm_source=x', '//cdn.example.com/i.png', 'data:image/png;base64,AA',
  '<img srcset="a.jpg 1x, b.jpg 2x">', '<iframe>', '<table><tr><td>', 'Thu, 26 Nov 2026 08:00:00 GMT', '2026-11-26T08:00:00Z',
  '1700000000', '\n', '\t', ' ', 'jane@example.com (Jane)', '#frag', '?q=1', '../', 'mailto:a@b.c',
];

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join('')),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });
const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN));

const item: fc.Arbitrary<RawItem> = fc.record({
  guid: maybe(text),
  guidIsPermaLink: maybe(fc.boolean()),
  title: maybe(text),
  link: maybe(text),
  originalLink: maybe(text),
  base: maybe(text),
  contentBase: maybe(text),
  published: maybe(text),
  updated: maybe(text),
  authors: fc.array(text, { maxLength: 3 }),
  summary: maybe(text),
  content: maybe(text),
  categories: fc.array(text, { maxLength: 3 }),
  enclosures: fc.array(fc.record({ url: text, type: maybe(text), length: maybe(anyNumber) }), { maxLength: 2 }),
  media: fc.array(fc.record({ url: text, type: maybe(text), medium: maybe(text), width: maybe(anyNumber), fileSize: maybe(anyNumber) }), { maxLength: 2 }),
  thumbnail: maybe(text),
  upstream: maybe(fc.record({ title: maybe(text), url: maybe(text), feedUrl: maybe(text) })),
});

const feed: fc.Arbitrary<RawFeed> = fc.record({
  format: fc.constantFrom('rss2', 'rss1', 'rss09', 'atom', 'jsonfeed'),
  title: maybe(text),
  link: maybe(text),
  selfUrl: maybe(text),
  base: maybe(text),
  description: maybe(text),
  language: maybe(text),
  ttlMinutes: maybe(anyNumber),
  skipHours: fc.array(fc.integer({ min: 0, max: 23 }), { maxLength: 24 }),
  skipDays: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 7 }),
  items: fc.array(item, { maxLength: 5 }),
});

const source: fc.Arbitrary<Source> = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8})?$/),
  name: fc.string({ minLength: 1, maxLength: 20 }).filter((name) => name.trim() !== ''),
  url: fc.webUrl(),
  site: fc.option(fc.webUrl(), { nil: undefined }),
  credit: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
  license: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
  enabled: fc.constant(true),
});

describe('normalizeFeed on arbitrary input', () => {
  it('never throws and always yields valid, self-consistent articles', () => {
    fc.assert(
      fc.property(
        feed,
        source,
        fc.oneof(fc.webUrl(), fc.constant('file:///srv/feed.xml')),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        (raw, src, feedUrl, now) => {
          const candidates = normalizeFeed(raw, { source: src, feedUrl, now });
          expect(candidates.length).toBeLessThanOrEqual(raw.items.length);
          expect(new Set(candidates.map((c) => c.article.id)).size).toBe(candidates.length);
          for (const { article, aliasKeys } of candidates) {
            ArticleSchema.parse(article);
            expect(aliasKeys.length).toBeGreaterThan(0);
            expect(article.id).toBe(articleIdFor(aliasKeys[0] ?? ''));
            expect(article.guid).toBe(guidFor(article.id));
            expect(Date.parse(article.published)).toBeLessThanOrEqual(now.getTime());
            expect(article.firstSeen).toBe(now.toISOString());
            // Text is escaped, so a "<" here always opens a real tag.
            expect(article.contentHtml).not.toMatch(/<script/i);
            expect(article.contentHtml).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
            expect(article.contentHtml).not.toMatch(/<[a-z][^>]*\s(?:href|src|cite)="(?!https?:\/\/|mailto:)/i);
            expect(article.credit.sourceId).toBe(src.id);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parseDate never throws and returns a valid date or null', () => {
    fc.assert(
      fc.property(text, (value) => {
        const date = parseDate(value);
        if (date !== null) expect(Number.isNaN(date.getTime())).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
