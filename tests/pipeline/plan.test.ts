import { describe, expect, it } from 'vitest';
import { mergeArticle, planSourceUpdate, sortKeyOf, type PlanInput } from '../../src/pipeline/index.js';
import { makeArticle, makeCandidate } from '../helpers/articles.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const RETENTION = { maxItemsPerSource: 200, maxAgeDays: 90 };
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function plan(partial: Partial<PlanInput>) {
  return planSourceUpdate({
    sourceId: 'src',
    candidates: [],
    aliasHits: new Map(),
    existing: new Map(),
    index: [],
    now: NOW,
    retention: RETENTION,
    ...partial,
  });
}

describe('sortKeyOf', () => {
  it.each([
    ['published before first seen', '2026-11-20T10:00:00.000Z', '2026-11-21T00:00:00.000Z', '2026-11-20T10:00:00.000Z'],
    ['back-dated to the future is capped at first seen', '2027-01-01T00:00:00.000Z', '2026-11-21T00:00:00.000Z', '2026-11-21T00:00:00.000Z'],
    ['offsets normalised to UTC', '2026-11-20T18:00:00+08:00', '2026-11-21T00:00:00.000Z', '2026-11-20T10:00:00.000Z'],
    ['UTC without milliseconds rewritten in full', '2026-11-20T10:00:00Z', '2026-11-21T00:00:00.000Z', '2026-11-20T10:00:00.000Z'],
    ['an earlier first-seen wins over a later offset date', '2026-11-21T09:00:00+01:00', '2026-11-21T07:59:59.999Z', '2026-11-21T07:59:59.999Z'],
  ])('%s', (_name, published, firstSeen, expected) => {
    expect(sortKeyOf({ published, firstSeen })).toBe(expected);
  });
});

describe('mergeArticle', () => {
  const stored = makeArticle({ id: 'a', firstSeen: '2026-11-01T00:00:00.000Z', published: '2026-10-31T00:00:00.000Z' });

  it('keeps id, guid and first-seen whatever the fresh copy says', () => {
    const fresh = makeArticle({ id: 'other', guid: 'tag:byline,2026:other', title: 'New title', firstSeen: NOW.toISOString() });
    const merged = mergeArticle(stored, fresh);
    expect(merged).toMatchObject({ id: 'a', guid: stored.guid, firstSeen: stored.firstSeen, title: 'New title' });
  });

  it('keeps the stored date when the source gives none', () => {
    const fresh = makeArticle({ id: 'a', published: NOW.toISOString(), dateFromSource: false });
    expect(mergeArticle(stored, fresh).published).toBe(stored.published);
  });

  it('caps a fresh date at the stored first-seen time', () => {
    const fresh = makeArticle({ id: 'a', published: '2026-11-25T00:00:00.000Z' });
    expect(mergeArticle(stored, fresh).published).toBe(stored.firstSeen);
  });

  it('keeps the stored dates over approximate fresh ones, and fills only a date the store lacks', () => {
    const withUpdated = { ...stored, updated: '2026-10-31T06:00:00.000Z' };
    const fresh = makeArticle({
      id: 'a',
      published: '2026-10-31T00:30:00.000Z',
      updated: '2026-10-31T06:30:00.000Z',
      dateMargins: { published: HOUR_MS, updated: HOUR_MS },
    });
    const merged = mergeArticle(withUpdated, fresh);
    expect([merged.published, merged.updated, merged.dateMargins]).toEqual([stored.published, withUpdated.updated, undefined]);
    expect(merged).not.toHaveProperty('dateMargins');
    // First seen undated: the approximate date is better than the first-seen time.
    const undated = { ...stored, published: stored.firstSeen, dateFromSource: false };
    const filled = mergeArticle(undated, fresh);
    expect([filled.published, filled.dateFromSource, filled.updated, filled.dateMargins]).toEqual([
      fresh.published,
      true,
      fresh.updated,
      { published: HOUR_MS, updated: HOUR_MS },
    ]);
  });

  describe('a date first read roughly', () => {
    // Read at 12:00 UTC (20:00 in China) from "3小时前": 09:00, give or take an hour.
    const rough = makeArticle({ id: 'a', published: '2026-11-26T09:00:00.000Z', firstSeen: NOW.toISOString(), dateMargins: { published: HOUR_MS } });
    const fresh = (published: string, dateMargins?: { published?: number; updated?: number }) =>
      makeArticle({ id: 'a', published, firstSeen: '2026-11-27T12:00:00.000Z', ...(dateMargins ? { dateMargins } : {}) });

    it('takes an exact date, and is exact from then on', () => {
      const merged = mergeArticle(rough, fresh('2026-11-26T08:41:00.000Z'));
      expect([merged.id, merged.guid, merged.firstSeen, merged.published]).toEqual([rough.id, rough.guid, rough.firstSeen, '2026-11-26T08:41:00.000Z']);
      expect(merged).not.toHaveProperty('dateMargins');
      // Any rough reading after that leaves it alone.
      expect(mergeArticle(merged, fresh('2026-11-26T09:00:00.000Z', { published: MINUTE_MS }))).toEqual(merged);
    });

    it('takes a closer reading ("昨天 08:41" over "3小时前"), and then neither one as close nor a rougher one', () => {
      const sharpened = mergeArticle(rough, fresh('2026-11-26T08:41:00.000Z', { published: MINUTE_MS }));
      expect([sharpened.published, sharpened.dateMargins]).toEqual(['2026-11-26T08:41:00.000Z', { published: MINUTE_MS }]);
      expect(mergeArticle(sharpened, fresh('2026-11-26T08:42:00.000Z', { published: MINUTE_MS }))).toEqual(sharpened);
      expect(mergeArticle(sharpened, fresh('2026-11-26T08:00:00.000Z', { published: HOUR_MS }))).toEqual(sharpened);
      // As rough as the stored reading: not taken either, however different.
      expect(mergeArticle(rough, fresh('2026-11-26T09:30:00.000Z', { published: HOUR_MS }))).toEqual(rough);
    });

    it('takes a day ("11月10日") over weeks ("2周前")', () => {
      const weeks = { ...rough, published: '2026-11-12T12:00:00.000Z', dateMargins: { published: 7 * DAY_MS } };
      const merged = mergeArticle(weeks, fresh('2026-11-09T16:00:00.000Z', { published: DAY_MS }));
      expect([merged.published, merged.dateMargins]).toEqual(['2026-11-09T16:00:00.000Z', { published: DAY_MS }]);
    });

    it('caps a closer reading at the first-seen time, as any date', () => {
      const justNow = { ...rough, published: rough.firstSeen, dateMargins: { published: 5 * MINUTE_MS } };
      const merged = mergeArticle(justNow, fresh('2026-11-26T12:03:00.000Z', { published: MINUTE_MS }));
      expect([merged.published, merged.dateMargins]).toEqual([rough.firstSeen, { published: MINUTE_MS }]);
    });

    it('never gives way to a rough reading when stored without margins (exact, or stored before margins were kept)', () => {
      const old = makeArticle({ id: 'a', published: '2026-11-26T09:00:00.000Z', firstSeen: NOW.toISOString() });
      expect(mergeArticle(old, fresh('2026-11-26T08:41:00.000Z', { published: 1000 }))).toEqual(old);
    });

    it('sharpens the updated date by the same rule, on its own', () => {
      const withUpdated = { ...rough, updated: '2026-11-26T10:00:00.000Z', dateMargins: { published: HOUR_MS, updated: HOUR_MS } };
      const closer = { ...fresh('2026-11-26T08:00:00.000Z', { published: HOUR_MS, updated: MINUTE_MS }), updated: '2026-11-26T10:20:00.000Z' };
      const merged = mergeArticle(withUpdated, closer);
      expect([merged.published, merged.updated, merged.dateMargins]).toEqual([rough.published, '2026-11-26T10:20:00.000Z', { published: HOUR_MS, updated: MINUTE_MS }]);
      const exactUpdate = { ...fresh('2026-11-26T08:00:00.000Z', { published: HOUR_MS }), updated: '2026-11-26T10:12:00.000Z' };
      const exact = mergeArticle(merged, exactUpdate);
      expect([exact.published, exact.updated, exact.dateMargins]).toEqual([rough.published, '2026-11-26T10:12:00.000Z', { published: HOUR_MS }]);
    });
  });
});

describe('planSourceUpdate', () => {
  it('adds new articles with their alias keys', () => {
    const result = plan({ candidates: [makeCandidate({ id: 'a' }, ['url:https://example.com/a', 'guid:src:1'])] });
    expect(result.added).toBe(1);
    expect(result.upserts.map((a) => a.id)).toEqual(['a']);
    expect(result.aliases).toEqual({ 'url:https://example.com/a': 'a', 'guid:src:1': 'a' });
    expect(result.itemsAfter).toBe(1);
  });

  it('writes nothing when a known article did not change', () => {
    const stored = makeArticle({ id: 'a' });
    const result = plan({
      candidates: [makeCandidate({ id: 'a' })],
      aliasHits: new Map([['url:https://example.com/a', 'a']]),
      existing: new Map([['a', stored]]),
      index: [{ id: 'a', sortKey: sortKeyOf(stored) }],
    });
    expect(result).toMatchObject({ upserts: [], deletes: [], aliases: {}, added: 0, updated: 0, itemsAfter: 1 });
  });

  it('does not count an unchanged article as updated when its relative date is read again later', () => {
    // "3小时前" read at 12:00 and again at 12:30.
    const stored = makeArticle({ id: 'a', published: '2026-11-26T09:00:00.000Z', firstSeen: NOW.toISOString(), dateMargins: { published: HOUR_MS } });
    const later = { published: '2026-11-26T09:30:00.000Z', firstSeen: '2026-11-26T12:30:00.000Z', dateMargins: { published: HOUR_MS } };
    const input = {
      aliasHits: new Map([['url:https://example.com/a', 'a']]),
      existing: new Map([['a', stored]]),
      index: [{ id: 'a', sortKey: sortKeyOf(stored) }],
      now: new Date(later.firstSeen),
    };
    const unchanged = plan({ ...input, candidates: [makeCandidate({ id: 'a', ...later })] });
    expect(unchanged).toMatchObject({ upserts: [], added: 0, updated: 0, itemsAfter: 1 });
    // An edit is still an update, and still keeps the date first read.
    const edited = plan({ ...input, candidates: [makeCandidate({ id: 'a', ...later, title: 'Edited' })] });
    expect(edited.upserts.map((a) => [a.title, a.published])).toEqual([['Edited', stored.published]]);
    expect(edited).toMatchObject({ added: 0, updated: 1 });
  });

  it('counts a stored rough date sharpened by a later fetch as updated, moving its sort key, and a rougher reading after it as nothing', () => {
    // "3小时前" read at 12:00; at 13:00 the site shows "2026-11-26 16:41" (China time).
    const stored = makeArticle({ id: 'a', published: '2026-11-26T09:00:00.000Z', firstSeen: NOW.toISOString(), dateMargins: { published: HOUR_MS } });
    const input = { aliasHits: new Map([['url:https://example.com/a', 'a']]), now: new Date('2026-11-26T13:00:00.000Z') };
    const sharpened = plan({
      ...input,
      existing: new Map([['a', stored]]),
      index: [{ id: 'a', sortKey: sortKeyOf(stored) }],
      candidates: [makeCandidate({ id: 'a', published: '2026-11-26T08:41:00.000Z', firstSeen: input.now.toISOString() })],
    });
    expect(sharpened).toMatchObject({ added: 0, updated: 1, itemsAfter: 1, oldestKept: '2026-11-26T08:41:00.000Z' });
    const [written] = sharpened.upserts;
    expect(written).toEqual({ ...stored, published: '2026-11-26T08:41:00.000Z', dateMargins: undefined });
    expect(written).not.toHaveProperty('dateMargins');
    // At 14:00 the site shows "5小时前" again.
    const after = plan({
      ...input,
      now: new Date('2026-11-26T14:00:00.000Z'),
      existing: new Map([['a', written!]]),
      index: [{ id: 'a', sortKey: sortKeyOf(written!) }],
      candidates: [makeCandidate({ id: 'a', published: '2026-11-26T09:00:00.000Z', firstSeen: '2026-11-26T14:00:00.000Z', dateMargins: { published: HOUR_MS } })],
    });
    expect(after).toMatchObject({ upserts: [], added: 0, updated: 0 });
  });

  it('maps a changed GUID to the same article through its link, recording the new alias', () => {
    const stored = makeArticle({ id: 'a' });
    const result = plan({
      candidates: [makeCandidate({ id: 'new-id', title: 'Edited' }, ['url:https://example.com/a', 'guid:src:changed'])],
      aliasHits: new Map([['url:https://example.com/a', 'a']]),
      existing: new Map([['a', stored]]),
      index: [{ id: 'a', sortKey: sortKeyOf(stored) }],
    });
    expect(result.upserts.map((a) => [a.id, a.guid, a.title])).toEqual([['a', stored.guid, 'Edited']]);
    expect(result.aliases).toEqual({ 'guid:src:changed': 'a' });
    expect(result).toMatchObject({ added: 0, updated: 1 });
  });

  it('keeps the first of two entries that resolve to the same article', () => {
    const result = plan({
      candidates: [makeCandidate({ id: 'a', title: 'First' }), makeCandidate({ id: 'a', title: 'Second' })],
    });
    expect(result.upserts.map((a) => a.title)).toEqual(['First']);
  });

  it('does not duplicate a link another source already published', () => {
    const theirs = makeArticle({ id: 'a', sourceId: 'other' });
    const result = plan({
      candidates: [makeCandidate({ id: 'a' })],
      aliasHits: new Map([['url:https://example.com/a', 'a']]),
      existing: new Map([['a', theirs]]),
    });
    expect(result).toMatchObject({ upserts: [], added: 0, itemsAfter: 0 });
  });

  it('never brings back an article retention removed', () => {
    const result = plan({
      candidates: [makeCandidate({ id: 'a' })],
      aliasHits: new Map([['url:https://example.com/a', 'a']]),
    });
    expect(result).toMatchObject({ upserts: [], added: 0 });
  });

  it('drops articles older than maxAgeDays and never stores old new ones', () => {
    const old = makeArticle({ id: 'old', published: '2026-01-01T00:00:00.000Z', firstSeen: '2026-01-01T00:00:00.000Z' });
    const result = plan({
      candidates: [
        makeCandidate({ id: 'fresh' }),
        makeCandidate({ id: 'ancient', published: '2025-01-01T00:00:00.000Z', firstSeen: NOW.toISOString() }),
      ],
      existing: new Map([['old', old]]),
      index: [{ id: 'old', sortKey: sortKeyOf(old) }],
    });
    expect(result.upserts.map((a) => a.id)).toEqual(['fresh']);
    expect(result.deletes).toEqual(['old']);
    expect(result.added).toBe(1);
    // The too-old entry is remembered by alias so it is not reconsidered as new every fetch.
    expect(result.aliases['url:https://example.com/ancient']).toBe('ancient');
  });

  it('takes a candidate whose link names an earlier item for its own article when its guid names that', () => {
    // "live-1" was first seen alone with the link (its URL key names it), then beside "live-2" (the link
    // shared, each known by its guid). Now "live-2" is left alone with the link.
    const link = 'https://news.example/live';
    const first = makeArticle({ id: 'one', url: link, upstreamGuid: 'live-1', title: 'Live: morning' });
    const second = makeArticle({ id: 'two', url: link, upstreamGuid: 'live-2', title: 'Live: afternoon' });
    const result = plan({
      candidates: [makeCandidate({ id: 'new', url: link, upstreamGuid: 'live-2', title: 'Live: afternoon' }, [`url:${link}`, 'guid:src:live-2'])],
      aliasHits: new Map([
        [`url:${link}`, 'one'],
        ['guid:src:live-2', 'two'],
      ]),
      existing: new Map([
        ['one', first],
        ['two', second],
      ]),
      index: [first, second].map((article) => ({ id: article.id, sortKey: sortKeyOf(article) })),
    });
    expect(result).toMatchObject({ upserts: [], deletes: [], added: 0, updated: 0, itemsAfter: 2 });
    expect(result.aliases).toEqual({ [`url:${link}`]: 'two' });
    // A guid that changed while the link stayed still finds the article by its link.
    const renamed = plan({
      candidates: [makeCandidate({ id: 'new', url: link, upstreamGuid: 'live-1b', title: 'Live: morning' }, [`url:${link}`, 'guid:src:live-1b'])],
      aliasHits: new Map([[`url:${link}`, 'one']]),
      existing: new Map([['one', first]]),
      index: [{ id: 'one', sortKey: sortKeyOf(first) }],
    });
    expect(renamed.upserts.map((a) => [a.id, a.upstreamGuid])).toEqual([['one', 'live-1b']]);
  });

  it('keeps only the newest maxItemsPerSource', () => {
    const candidates = Array.from({ length: 5 }, (_, i) =>
      makeCandidate({ id: `a${i}`, published: `2026-11-2${i}T00:00:00.000Z`, firstSeen: NOW.toISOString() }),
    );
    const result = plan({ candidates, retention: { ...RETENTION, maxItemsPerSource: 3 } });
    expect(result.upserts.map((a) => a.id).sort()).toEqual(['a2', 'a3', 'a4']);
    expect(result).toMatchObject({ added: 3, itemsAfter: 3 });
  });
});
