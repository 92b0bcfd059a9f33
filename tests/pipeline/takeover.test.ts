/** The publisher's own item taking an article over from an alerts feed: when it applies, and what each source's records become. */
import { describe, expect, it } from 'vitest';
import { initialSourceState, type Article, type Credit, type SourceAliasEntry } from '../../src/model/index.js';
import { isRedirectorKey } from '../../src/normalize/index.js';
import { planTakeover, publishesOwnPage, type TakeoverInput } from '../../src/pipeline/index.js';
import { makeArticle, makeCandidate } from '../helpers/articles.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const TODAY = Math.floor(NOW.getTime() / 86_400_000);
const PAGE = 'https://pub.example/2026/11/story.html';
const GOOGLE_KEY = `url:https://www.google.com/url?rct=j&sa=t&url=${encodeURIComponent(PAGE)}&ct=ga`;
const ALERT_KEYS = [`url:${PAGE}`, 'guid:alerts:tag:google.com,2013:googlealerts/feed:1', GOOGLE_KEY];

function credit(sourceId: string, site: string | null, feedUrl: string, via: Credit['via'] = []): Credit {
  return { sourceId, sourceName: sourceId, sourceSite: site, feedUrl, originalUrl: PAGE, creditLine: null, license: null, via };
}

const held = makeArticle({
  id: 'x',
  sourceId: 'alerts',
  url: PAGE,
  title: 'Snippet title',
  contentHtml: '<p>Snippet ...</p>',
  firstSeen: '2026-11-25T10:00:00.000Z',
  published: '2026-11-25T09:30:00.000Z',
  credit: credit('alerts', 'https://www.google.com/alerts/feeds/1/2', 'https://www.google.com/alerts/feeds/1/2'),
});
const fresh = (overrides: Partial<Article> = {}) =>
  makeCandidate(
    {
      id: 'x',
      sourceId: 'pub',
      url: PAGE,
      title: 'The whole story',
      authors: ['Jane Roe'],
      contentHtml: '<p>Everything.</p>',
      published: '2026-11-25T08:00:00.000Z',
      firstSeen: NOW.toISOString(),
      credit: credit('pub', 'https://pub.example/', 'https://feeds.pub.example/rss'),
      ...overrides,
    },
    [`url:${PAGE}`, 'guid:pub:p-1'],
  );

function input(overrides: Partial<TakeoverInput> = {}): TakeoverInput {
  return {
    held,
    holder: {
      state: { ...initialSourceState('alerts'), itemsStored: 2, revision: 3 },
      index: [
        { id: 'y', sortKey: '2026-11-25T11:00:00.000Z' },
        { id: 'x', sortKey: '2026-11-25T09:30:00.000Z' },
      ],
      record: [
        { id: 'x', keys: ALERT_KEYS },
        { id: 'y', keys: ['url:https://other.example/y'] },
      ],
    },
    target: {
      state: { ...initialSourceState('pub'), itemsStored: 1, revision: 5 },
      index: [{ id: 'p', sortKey: '2026-11-24T00:00:00.000Z' }],
      record: [
        { id: 'p', keys: ['url:https://pub.example/p'] },
        { id: 'x', keys: [`url:${PAGE}`, 'guid:pub:p-1'], listedDay: TODAY, foreign: true },
      ],
    },
    candidate: fresh(),
    now: NOW,
    retention: { maxItemsPerSource: 10, maxAgeDays: 90 },
    isRedirectorKey,
    ...overrides,
  };
}

describe('publishesOwnPage', () => {
  it.each([
    ['on the configured site', 'https://pub.example/', 'https://127.0.0.1/feed.xml', true],
    ['with www. on one side', 'https://www.pub.example/', 'https://127.0.0.1/feed.xml', true],
    ['on the parent of a site that is a subdomain', 'https://news.pub.example/', 'https://127.0.0.1/feed.xml', true],
    ['served from a feeds subdomain, no site', null, 'https://feeds.pub.example/rss', true],
    ['on another site', 'https://digest.example/', 'https://digest.example/feed', false],
    ['a search engine alert', 'https://www.google.com/alerts', 'https://www.google.com/alerts/feeds/1/2', false],
  ])('%s: %s', (_what, site, feedUrl, expected) => {
    expect(publishesOwnPage(makeArticle({ id: 'x', url: PAGE, credit: credit('s', site, feedUrl) }))).toBe(expected);
  });

  it('is false when the source names an upstream publisher for the item', () => {
    const via = [{ name: 'Pub', url: 'https://pub.example/', feedUrl: null }];
    expect(publishesOwnPage(makeArticle({ id: 'x', url: PAGE, credit: credit('s', 'https://pub.example/', 'https://pub.example/f', via) }))).toBe(false);
  });

  it('never matches on a bare top-level name', () => {
    expect(publishesOwnPage(makeArticle({ id: 'x', url: 'https://localhost/a', credit: credit('s', 'https://a.localhost/', 'https://a.localhost/f') }))).toBe(false);
  });
});

describe('planTakeover', () => {
  it("moves the article to the publisher with the publisher's fields, keeping id, GUID and firstSeen", () => {
    const plan = planTakeover(input())!;
    expect(plan.article).toMatchObject({
      id: 'x',
      guid: held.guid,
      firstSeen: held.firstSeen,
      sourceId: 'pub',
      title: 'The whole story',
      authors: ['Jane Roe'],
      contentHtml: '<p>Everything.</p>',
      published: '2026-11-25T08:00:00.000Z',
    });
    expect(plan.article.credit.sourceId).toBe('pub');
    expect(plan.target.state).toMatchObject({ sourceId: 'pub', itemsStored: 2, oldestKept: '2026-11-24T00:00:00.000Z', revision: 6 });
    expect(plan.holder.state).toMatchObject({ sourceId: 'alerts', itemsStored: 1, oldestKept: '2026-11-25T11:00:00.000Z', revision: 4 });
    expect(plan.target.deletes).toEqual([]);
    expect(plan.target.aliases).toEqual({ [`url:${PAGE}`]: 'x', 'guid:pub:p-1': 'x' });
  });

  it("makes the publisher's record name every key of the article as its own, and the alert's say it is another source's", () => {
    const plan = planTakeover(input())!;
    expect(plan.target.sourceAliases).toEqual<SourceAliasEntry[]>([
      { id: 'p', keys: ['url:https://pub.example/p'] },
      { id: 'x', keys: [`url:${PAGE}`, 'guid:pub:p-1', ALERT_KEYS[1]!, GOOGLE_KEY] },
    ]);
    expect(plan.holder.sourceAliases).toEqual<SourceAliasEntry[]>([
      { id: 'x', keys: ALERT_KEYS, listedDay: TODAY, foreign: true },
      { id: 'y', keys: ['url:https://other.example/y'] },
    ]);
  });

  it('retires what the article pushes out of the publisher, starting its grace period', () => {
    const plan = planTakeover(input({ retention: { maxItemsPerSource: 1, maxAgeDays: 90 } }))!;
    expect(plan.target.deletes).toEqual(['p']);
    expect(plan.target.state.itemsStored).toBe(1);
    expect(plan.target.sourceAliases[0]).toEqual({ id: 'p', keys: ['url:https://pub.example/p'], listedDay: TODAY });
  });

  it.each<[string, Partial<TakeoverInput>]>([
    ['the holder did not know it through a redirector link', { holder: { ...input().holder, record: [{ id: 'x', keys: [`url:${PAGE}`] }] } }],
    ['the holder has no record of it', { holder: { ...input().holder, record: [] } }],
    ["the holder's item is its own page", { held: { ...held, credit: credit('alerts', 'https://pub.example/', 'https://pub.example/f') } }],
    ["the item is not the taker's own page", { candidate: fresh({ credit: credit('pub', 'https://digest.example/', 'https://digest.example/f') }) }],
    ['the item came through a redirector itself', { candidate: { ...fresh(), aliasKeys: [`url:${PAGE}`, GOOGLE_KEY] } }],
    ['the taker already holds it', { held: { ...held, sourceId: 'pub' } }],
    ["the taker's retention would drop it at once", { retention: { maxItemsPerSource: 1, maxAgeDays: 90 }, target: { ...input().target, index: [{ id: 'p', sortKey: '2026-11-26T00:00:00.000Z' }] } }],
  ])('does nothing when %s', (_what, overrides) => {
    expect(planTakeover(input(overrides))).toBeNull();
  });
});
