/** Article identity: stable ids and GUIDs, and how links and guids become alias keys. */
import { describe, expect, it } from 'vitest';
import { articleIdFor, guidFor, normalizeFeed } from '../../src/normalize/index.js';
import { planSourceUpdate, sortKeyOf } from '../../src/pipeline/index.js';
import { makeContext, makeFeed, makeItem, makeSource } from './fixtures.js';

describe('articleIdFor / guidFor', () => {
  it('is a pure function of the key (same value in every run and process)', () => {
    // Pinned: if this changes, every published GUID changes and readers see every article again.
    expect(articleIdFor('url:https://example.com/a')).toBe(articleIdFor('url:https://example.com/a'));
    expect(articleIdFor('url:https://example.com/a')).toBe('atvreqjyaesqjle3sc33hv5g7b');
  });

  it('is short, lower-case base32 and differs per key', () => {
    const ids = ['a', 'b', 'url:https://example.com/a', 'url:https://example.com/b', ''].map(articleIdFor);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes a valid tag URI that depends only on the id', () => {
    const guid = guidFor('abc234');
    expect(guid).toBe('tag:byline,2026:abc234');
    expect(guid).toMatch(/^tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:[\w\-.~%!$&'()*+,;=:@/?]+$/);
  });
});

describe('identity in normalizeFeed', () => {
  it('gives the same id on every run, independent of the clock, source name and site', () => {
    const first = normalizeFeed(makeFeed(), makeContext());
    const later = normalizeFeed(
      makeFeed(),
      makeContext({ now: new Date('2030-01-01T00:00:00Z'), source: makeSource({ name: 'Renamed', site: 'https://elsewhere.example/' }) }),
    );
    expect(later[0]?.article.id).toBe(first[0]?.article.id);
    expect(later[0]?.article.guid).toBe(first[0]?.article.guid);
  });

  it('uses the canonical URL as the primary key, so tracking parameters do not split an article', () => {
    const plain = normalizeFeed(makeFeed([makeItem({ link: 'https://news.example.com/posts/1' })]), makeContext());
    const tracked = normalizeFeed(
      makeFeed([makeItem({ link: 'https://NEWS.example.com:443/posts/1?utm_source=rss&utm_medium=feed#xtor=RSS-3' })]),
      makeContext(),
    );
    expect(tracked[0]?.aliasKeys[0]).toBe('url:https://news.example.com/posts/1');
    expect(tracked[0]?.article.id).toBe(plain[0]?.article.id);
    expect(tracked[0]?.article.url).toBe('https://news.example.com/posts/1');
  });

  it('keeps the id of an article stored before a tracking parameter of its link was known as one', () => {
    const link = 'https://www.heise.de/news/Ein-Beitrag-1234.html?wt_mc=rss.ho.beitrag.rdf';
    const [candidate] = normalizeFeed(makeFeed([makeItem({ link, guid: null })]), makeContext());
    expect(candidate?.aliasKeys).toEqual([`url:https://www.heise.de/news/Ein-Beitrag-1234.html`, `url:${link}`]);
    expect(candidate?.article.url).toBe('https://www.heise.de/news/Ein-Beitrag-1234.html');
    // Stored under the link as it was canonicalized before: the plan finds it by that key and keeps its id.
    const stored = { ...candidate!.article, id: articleIdFor(`url:${link}`), guid: guidFor(articleIdFor(`url:${link}`)), title: 'Before' };
    const plan = planSourceUpdate({
      sourceId: stored.sourceId,
      candidates: [candidate!],
      aliasHits: new Map([[`url:${link}`, stored.id]]),
      existing: new Map([[stored.id, stored]]),
      index: [{ id: stored.id, sortKey: sortKeyOf(stored) }],
      now: new Date(candidate!.article.firstSeen),
      retention: { maxItemsPerSource: 200, maxAgeDays: 36500 },
    });
    expect(plan.upserts.map((article) => article.guid)).toEqual([stored.guid]);
    expect(plan.added).toBe(0);
    expect(plan.aliases).toEqual({ 'url:https://www.heise.de/news/Ein-Beitrag-1234.html': stored.id });
  });

  it('lists the guid key second; a changed guid keeps the id but changes the keys', () => {
    const before = normalizeFeed(makeFeed([makeItem({ guid: 'post-1' })]), makeContext());
    const after = normalizeFeed(makeFeed([makeItem({ guid: 'post-1-v2' })]), makeContext());
    expect(before[0]?.aliasKeys).toEqual(['url:https://news.example.com/posts/1', 'guid:example:post-1']);
    expect(after[0]?.aliasKeys).toEqual(['url:https://news.example.com/posts/1', 'guid:example:post-1-v2']);
    expect(after[0]?.article.id).toBe(before[0]?.article.id);
    expect(after[0]?.article.upstreamGuid).toBe('post-1-v2');
  });

  it('keys a link-less item by its guid, scoped to the source', () => {
    const a = normalizeFeed(makeFeed([makeItem({ link: null, guid: ' 1234 ' })]), makeContext());
    const b = normalizeFeed(makeFeed([makeItem({ link: null, guid: '1234' })]), makeContext({ source: makeSource({ id: 'other' }) }));
    expect(a[0]?.aliasKeys).toEqual(['guid:example:1234']);
    expect(b[0]?.aliasKeys).toEqual(['guid:other:1234']);
    expect(a[0]?.article.id).not.toBe(b[0]?.article.id);
    expect(a[0]?.article.id).toBe(articleIdFor('guid:example:1234'));
  });

  it('treats two items with the same guid but different links as two articles', () => {
    const candidates = normalizeFeed(
      makeFeed([
        makeItem({ guid: 'same', link: 'https://news.example.com/a' }),
        makeItem({ guid: 'same', link: 'https://news.example.com/b' }),
      ]),
      makeContext(),
    );
    expect(candidates).toHaveLength(2);
    expect(candidates[0]?.article.id).not.toBe(candidates[1]?.article.id);
    expect(candidates.map((c) => c.aliasKeys[1])).toEqual(['guid:example:same', 'guid:example:same']);
  });

  it('keeps only the first of two items with the same link', () => {
    const candidates = normalizeFeed(
      makeFeed([makeItem({ title: 'first' }), makeItem({ title: 'second', link: 'https://news.example.com/posts/1?utm_source=x' })]),
      makeContext(),
    );
    expect(candidates.map((c) => c.article.title)).toEqual(['first']);
  });

  it('knows items that share one link by their guids: a podcast linking every episode to the show', () => {
    const episode = (n: number) => makeItem({ link: 'https://show.example/', guid: `https://show.example/episode-${n}.mp3`, title: `Episode ${n}` });
    const candidates = normalizeFeed(makeFeed([episode(3), episode(2), episode(1)]), makeContext());
    expect(candidates.map((c) => c.article.title)).toEqual(['Episode 3', 'Episode 2', 'Episode 1']);
    expect(candidates.map((c) => c.aliasKeys)).toEqual([3, 2, 1].map((n) => [`guid:example:https://show.example/episode-${n}.mp3`]));
    expect(candidates.every((c) => c.article.url === 'https://show.example/')).toBe(true);
  });

  it("knows an item linking to the feed's home page by its guid, even alone", () => {
    const [candidate] = normalizeFeed(makeFeed([makeItem({ link: 'https://news.example.com/', guid: 'update-7' })]), makeContext());
    expect(candidate?.aliasKeys).toEqual(['guid:example:update-7']);
  });

  it("keeps items that link to the feed's home page and have no guid apart, by their text and date", () => {
    const notice = (n: number) => makeItem({ link: 'https://news.example.com/', guid: null, title: `Notice ${n}`, published: `Mon, 0${n} Jun 2026 08:00:00 GMT` });
    const [first] = normalizeFeed(makeFeed([notice(1)]), makeContext());
    expect(first?.aliasKeys).toHaveLength(1);
    expect(first?.aliasKeys[0]).toMatch(/^item:example:/);
    const stored = first!.article;
    const second = normalizeFeed(makeFeed([notice(2), notice(1)]), makeContext());
    expect(second.map((c) => c.article.title)).toEqual(['Notice 2', 'Notice 1']);
    expect(second[1]?.article.id).toBe(stored.id);
    const known = new Set(first!.aliasKeys);
    const plan = planSourceUpdate({
      sourceId: stored.sourceId,
      candidates: second,
      aliasHits: new Map(second.flatMap((c) => c.aliasKeys).filter((key) => known.has(key)).map((key) => [key, stored.id])),
      existing: new Map([[stored.id, stored]]),
      index: [{ id: stored.id, sortKey: sortKeyOf(stored) }],
      now: new Date(stored.firstSeen),
      retention: { maxItemsPerSource: 200, maxAgeDays: 36500 },
    });
    expect([plan.added, plan.updated]).toEqual([1, 0]);
    expect(plan.upserts.map((article) => article.title)).toEqual(['Notice 2']);
  });

  it('stores a new episode under a shared link as new, and leaves the one stored before it alone', () => {
    const episode = (n: number) => makeItem({ link: 'https://show.example/', guid: `ep-${n}`, title: `Episode ${n}`, published: `Mon, 0${n} Jun 2026 08:00:00 GMT` });
    // First fetch: one episode, whose link is then its own.
    const [first] = normalizeFeed(makeFeed([episode(1)]), makeContext());
    expect(first?.aliasKeys).toEqual(['url:https://show.example/', 'guid:example:ep-1']);
    const stored = first!.article;
    const aliasHits = new Map(first!.aliasKeys.map((key) => [key, stored.id]));
    const second = normalizeFeed(makeFeed([episode(2), episode(1)]), makeContext());
    const plan = planSourceUpdate({
      sourceId: stored.sourceId,
      candidates: second,
      aliasHits: new Map(second.flatMap((c) => c.aliasKeys).filter((key) => aliasHits.has(key)).map((key) => [key, aliasHits.get(key)!])),
      existing: new Map([[stored.id, stored]]),
      index: [{ id: stored.id, sortKey: sortKeyOf(stored) }],
      now: new Date(stored.firstSeen),
      retention: { maxItemsPerSource: 200, maxAgeDays: 36500 },
    });
    expect([plan.added, plan.updated]).toEqual([1, 0]);
    expect(plan.upserts.map((article) => article.title)).toEqual(['Episode 2']);
    expect(plan.upserts[0]?.id).not.toBe(stored.id);
  });

  it('uses a permalink guid as the URL key when there is no link', () => {
    const [candidate] = normalizeFeed(
      makeFeed([makeItem({ link: null, guid: 'https://news.example.com/p/9?utm_source=rss', guidIsPermaLink: null })]),
      makeContext(),
    );
    expect(candidate?.aliasKeys).toEqual([
      'url:https://news.example.com/p/9',
      'guid:example:https://news.example.com/p/9?utm_source=rss',
    ]);
    expect(candidate?.article.url).toBe('https://news.example.com/p/9');
  });

  it('does not use a guid marked isPermaLink="false" as a link, and falls back to the site as url', () => {
    const [candidate] = normalizeFeed(
      makeFeed([makeItem({ link: null, guid: 'https://news.example.com/p/9', guidIsPermaLink: false })]),
      makeContext(),
    );
    expect(candidate?.aliasKeys).toEqual(['guid:example:https://news.example.com/p/9']);
    expect(candidate?.article.url).toBe('https://news.example.com/');
  });

  it('keys an item with neither link nor guid by source, title and date', () => {
    const item = (overrides = {}) => makeItem({ link: null, guid: null, ...overrides });
    const key = (overrides = {}) => normalizeFeed(makeFeed([item(overrides)]), makeContext())[0]?.aliasKeys ?? [];
    expect(key()).toHaveLength(1);
    expect(key()[0]).toMatch(/^item:example:[a-z2-7]{26}$/);
    expect(key()).toEqual(key());
    expect(key({ title: 'Another' })).not.toEqual(key());
    expect(key({ published: 'Tue, 02 Jun 2026 08:00:00 GMT' })).not.toEqual(key());
    // The fallback "now" date never enters the key: without a date the key must survive the next fetch.
    const undated = normalizeFeed(makeFeed([item({ published: null })]), makeContext());
    const undatedLater = normalizeFeed(makeFeed([item({ published: null })]), makeContext({ now: new Date('2027-01-01T00:00:00Z') }));
    expect(undatedLater[0]?.aliasKeys).toEqual(undated[0]?.aliasKeys);
  });

  it('keys such an item by its date as written when that lies in the future, not by the fetch time it is capped at', () => {
    const item = makeItem({ link: null, guid: null, title: 'Webinar', published: 'Mon, 01 Jun 2026 18:00:00 GMT' });
    const at = (now: string) => normalizeFeed(makeFeed([item]), makeContext({ now: new Date(now) }))[0];
    const first = at('2026-06-01T12:00:00.000Z');
    const later = at('2026-06-01T12:15:00.000Z');
    expect([first?.article.published, later?.article.published]).toEqual(['2026-06-01T12:00:00.000Z', '2026-06-01T12:15:00.000Z']);
    expect(later?.aliasKeys).toEqual(first?.aliasKeys);
    expect(at('2026-06-02T00:00:00.000Z')?.article.id).toBe(first?.article.id);
  });

  it('keys such an item without its date when the date is relative or partial, which moves between fetches', () => {
    const item = (published: string) => makeItem({ link: null, guid: null, published });
    const at = (published: string, now: string) => normalizeFeed(makeFeed([item(published)]), makeContext({ now: new Date(now) }))[0];
    // 3小时前 at 10:20 and at 10:50 (China time), then the same item as the site prints it later in the day and the next.
    const first = at('3小时前', '2026-06-01T02:20:00.000Z');
    const later = at('3小时前', '2026-06-01T02:50:00.000Z');
    expect([first?.article.published, later?.article.published]).toEqual(['2026-05-31T23:20:00.000Z', '2026-05-31T23:50:00.000Z']);
    expect(later?.aliasKeys).toEqual(first?.aliasKeys);
    expect(at('今天 07:20', '2026-06-01T06:00:00.000Z')?.aliasKeys).toEqual(first?.aliasKeys);
    expect(at('6月1日 07:20', '2026-06-02T06:00:00.000Z')?.article.id).toBe(first?.article.id);
  });
});
