/** What a feed means by CST: US Central time by the RFC, China Standard Time where the feed shows it. */
import { describe, expect, it } from 'vitest';
import { CHINA_ZONE_NAMES, CHINESE_FEED_ZONE_NAMES } from '../../src/normalize/date-words.js';
import { mentionsCst, zoneNamesOf } from '../../src/normalize/feed-zones.js';
import { normalizeFeed, parseDate } from '../../src/normalize/index.js';
import { planSourceUpdate } from '../../src/pipeline/index.js';
import { NOW, makeContext, makeFeed, makeItem } from './fixtures.js';

// NOW is 20:00 in China and 06:00 in Chicago (CDT; CST is read as its fixed -0600 either way).
const HALF_HOUR_AGO_IN_CHINA = 'Mon, 01 Jun 2026 19:30:00 CST';
const THREE_DAYS_AGO_IN_CHINA = 'Fri, 29 May 2026 19:30:00 CST';

describe('parseDate with China zone names', () => {
  it.each([
    ['Mon, 01 Jun 2026 19:30:00 CST', '2026-06-01T11:30:00.000Z', '2026-06-02T01:30:00.000Z'],
    ['2026-06-01 19:30:00 CST', '2026-06-01T11:30:00.000Z', '2026-06-02T01:30:00.000Z'],
    // A numeric offset outranks the name either way.
    ['Mon, 01 Jun 2026 19:30:00 +0800 (CST)', '2026-06-01T11:30:00.000Z', '2026-06-01T11:30:00.000Z'],
    ['Mon, 01 Jun 2026 19:30:00 EST', '2026-06-02T00:30:00.000Z', '2026-06-02T00:30:00.000Z'],
  ])('%s: %s as China means it, %s by the RFC', (input, china, rfc) => {
    expect(parseDate(input, CHINA_ZONE_NAMES)?.toISOString()).toBe(china);
    expect(parseDate(input)?.toISOString()).toBe(rfc);
  });
});

describe('zoneNamesOf', () => {
  const now = new Date(NOW);
  const feed = (dates: string[], language: string | null = null) =>
    makeFeed(dates.map((published) => makeItem({ published })), { language });

  it.each(['zh', 'zh-CN', 'zh_CN', 'ZH-tw', 'zh-Hant-HK'])('reads a %s feed the way China means CST, and a date without a zone as China time', (language) => {
    const zones = zoneNamesOf(feed([THREE_DAYS_AGO_IN_CHINA], language), now);
    expect(zones).toBe(CHINESE_FEED_ZONE_NAMES);
    expect([zones.get('cst'), zones.get('')]).toEqual([480, 480]);
  });

  it('reads CST by the RFC in a feed of another or no language whose dates are in the past either way', () => {
    expect(zoneNamesOf(feed([THREE_DAYS_AGO_IN_CHINA], 'en-US'), now).get('cst')).toBe(-360);
    expect(zoneNamesOf(feed([THREE_DAYS_AGO_IN_CHINA, 'Mon, 01 Jun 2026 08:00:00 GMT']), now).get('cst')).toBe(-360);
    // Zhuang (zha) is not Chinese.
    expect(zoneNamesOf(feed([THREE_DAYS_AGO_IN_CHINA], 'zha'), now).get('cst')).toBe(-360);
  });

  it('reads it the way China does when a CST date is in the future as US time and not as China time', () => {
    expect(zoneNamesOf(feed([HALF_HOUR_AGO_IN_CHINA, THREE_DAYS_AGO_IN_CHINA]), now)).toBe(CHINA_ZONE_NAMES);
    // The updated date counts too.
    const updatedOnly = makeFeed([makeItem({ published: null, updated: HALF_HOUR_AGO_IN_CHINA })]);
    expect(zoneNamesOf(updatedOnly, now)).toBe(CHINA_ZONE_NAMES);
  });

  it('keeps the RFC when a CST date is in the future whichever way it is read', () => {
    expect(zoneNamesOf(feed([HALF_HOUR_AGO_IN_CHINA, 'Tue, 09 Jun 2026 19:30:00 CST']), now).get('cst')).toBe(-360);
  });

  it('does not count a clock a little fast as evidence', () => {
    // 06:30 in Chicago is 30 minutes past NOW: within the slack.
    expect(zoneNamesOf(feed(['Mon, 01 Jun 2026 06:30:00 CST']), now).get('cst')).toBe(-360);
  });
});

describe('normalizeFeed and CST', () => {
  it('dates every item of a feed whose newest CST date only makes sense in China as China means it', () => {
    const raw = makeFeed([
      makeItem({ link: 'https://news.example.cn/1', published: HALF_HOUR_AGO_IN_CHINA }),
      makeItem({ link: 'https://news.example.cn/2', published: THREE_DAYS_AGO_IN_CHINA }),
    ]);
    const published = normalizeFeed(raw, makeContext()).map(({ article }) => article.published);
    expect(published).toEqual(['2026-06-01T11:30:00.000Z', '2026-05-29T11:30:00.000Z']);
  });

  it('reads a date without a zone as China time in a Chinese-language feed only, and an explicit zone as written', () => {
    const published = (language: string | null, date: string) =>
      normalizeFeed(makeFeed([makeItem({ published: date })], { language }), makeContext())[0]?.article.published;
    for (const date of ['2026-05-29 19:30:00', '2026-05-29T19:30:00', '2026年5月29日 19:30', '20260529T193000', 'Fri, 29 May 2026 19:30:00']) {
      expect(published('zh-CN', date), date).toBe('2026-05-29T11:30:00.000Z');
      expect(published(null, date), date).toBe('2026-05-29T19:30:00.000Z');
      expect(published('en', date), date).toBe('2026-05-29T19:30:00.000Z');
    }
    // A date alone is midnight in China.
    expect(published('zh', '2026-05-29')).toBe('2026-05-28T16:00:00.000Z');
    for (const date of ['2026-05-29T19:30:00Z', '2026-05-29 19:30:00 +0000', 'Fri, 29 May 2026 19:30:00 GMT']) {
      expect(published('zh-CN', date), date).toBe('2026-05-29T19:30:00.000Z');
    }
    // An epoch counts from UTC whatever the feed.
    expect(published('zh-CN', '1780083000')).toBe('2026-05-29T19:30:00.000Z');
  });

  it('reads a Chinese-language feed the same way without needing a recent item', () => {
    const raw = makeFeed([makeItem({ published: THREE_DAYS_AGO_IN_CHINA })], { language: 'zh-cn' });
    expect(normalizeFeed(raw, makeContext())[0]?.article.published).toBe('2026-05-29T11:30:00.000Z');
  });
});

describe('a guessed CST across fetches', () => {
  it('marks a CST date approximate where its meaning is guessed, and only there', () => {
    expect([
      'Mon, 01 Jun 2026 19:30:00 CST',
      '2026-06-01 19:30:00 cst',
      'Mon, 01 Jun 2026 19:30:00 +0800 (CST)',
      '2026-06-01T19:30:00+08:00 CST',
      'Mon, 01 Jun 2026 19:30:00 EST',
      'Mon, 01 Jun 2026 19:30:00 GMT-0600 (CST)',
      'Mon, 01 Jun 2026 19:30:00 CST+0800',
      '2026-06-01 CST',
    ].map(mentionsCst)).toEqual([true, true, false, false, false, false, false, true]);
    const approximate = (language: string | null) =>
      normalizeFeed(makeFeed([makeItem({ published: THREE_DAYS_AGO_IN_CHINA })], { language }), makeContext())[0]?.article.dateMargins;
    expect(approximate(null)).toEqual({ published: 14 * 3_600_000 });
    expect(approximate('en-US')).toEqual({ published: 14 * 3_600_000 });
    expect(approximate('zh-CN')).toBeUndefined();
  });

  it('keeps the date first read when a later fetch, with no recent item, reads the same CST as US time', () => {
    const items = [
      makeItem({ link: 'https://news.example.cn/1', published: HALF_HOUR_AGO_IN_CHINA }),
      makeItem({ title: 'No link, no guid', link: null, guid: null, published: HALF_HOUR_AGO_IN_CHINA }),
    ];
    const first = normalizeFeed(makeFeed(items), makeContext());
    // A day later the item is no longer recent: this fetch reads CST the RFC's way, 14 hours later.
    const dayLater = new Date(Date.parse(NOW) + 86_400_000);
    const second = normalizeFeed(makeFeed(items), { ...makeContext(), now: dayLater });
    expect(first.map(({ article }) => article.published)).toEqual(['2026-06-01T11:30:00.000Z', '2026-06-01T11:30:00.000Z']);
    expect(second.map(({ article }) => article.published)).toEqual(['2026-06-02T01:30:00.000Z', '2026-06-02T01:30:00.000Z']);
    // The same articles, by the same keys, and nothing to rewrite.
    expect(second.map(({ aliasKeys }) => aliasKeys)).toEqual(first.map(({ aliasKeys }) => aliasKeys));
    const stored = new Map(first.map(({ article }) => [article.id, { ...article, firstSeen: '2026-06-01T12:00:00.000Z' }]));
    const plan = planSourceUpdate({
      sourceId: first[0]!.article.sourceId,
      candidates: second,
      aliasHits: new Map(first.flatMap(({ article, aliasKeys }) => aliasKeys.map((key) => [key, article.id] as const))),
      existing: stored,
      index: [...stored.values()].map(({ id, published }) => ({ id, sortKey: published })),
      now: dayLater,
      retention: { maxItemsPerSource: 100, maxAgeDays: 3650 },
    });
    expect(plan).toMatchObject({ added: 0, updated: 0, upserts: [] });
  });

  it('takes the China reading once a fetch shows it, over a date first read as US time for want of evidence', () => {
    const items = [makeItem({ link: 'https://news.example.cn/1', published: THREE_DAYS_AGO_IN_CHINA })];
    // No recent item: read as US time, approximate.
    const first = normalizeFeed(makeFeed(items), makeContext());
    expect(first[0]!.article.published).toBe('2026-05-30T01:30:00.000Z');
    expect(first[0]!.article.dateMargins).toEqual({ published: 14 * 3_600_000 });
    // A recent item shows China time: the same date reads 14 hours earlier, exactly, and replaces the guess.
    const recent = makeItem({ link: 'https://news.example.cn/2', published: HALF_HOUR_AGO_IN_CHINA });
    const second = normalizeFeed(makeFeed([recent, ...items]), makeContext());
    expect(second[1]!.article.published).toBe('2026-05-29T11:30:00.000Z');
    expect(second[1]!.article.dateMargins).toBeUndefined();
    expect(second[1]!.aliasKeys).toEqual(first[0]!.aliasKeys);
    const stored = { ...first[0]!.article, firstSeen: NOW };
    const plan = planSourceUpdate({
      sourceId: stored.sourceId,
      candidates: [second[1]!],
      aliasHits: new Map(first[0]!.aliasKeys.map((key) => [key, stored.id] as const)),
      existing: new Map([[stored.id, stored]]),
      index: [{ id: stored.id, sortKey: stored.published }],
      now: new Date(NOW),
      retention: { maxItemsPerSource: 100, maxAgeDays: 3650 },
    });
    expect(plan.upserts.map((article) => [article.published, article.dateMargins])).toEqual([['2026-05-29T11:30:00.000Z', undefined]]);
  });
});
