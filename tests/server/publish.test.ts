/**
 * The publish job over a real SQLite store: the subscription feed's order
 * (published, capped at first seen), the newsletter selection (by first seen,
 * no back-fill), and RFC 5005 archive pages that keep their items as new ones
 * arrive and as retention deletes old ones, linked oldest to newest, with
 * JSON Feed paging alongside; an unreadable record of their layout neither
 * stops the feeds nor outlives the next fix.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSourceSchema, SettingsSchema, type Config } from '../../src/config/index.js';
import { StoreError, UnreadableRecordError } from '../../src/errors.js';
import { createArchiveIndex, fixArchivePages, planArchive, SETTLE_MS } from '../../src/jobs/archive.js';
import { loadSnapshot, outputPaths, renderPath } from '../../src/jobs/publish.js';
import { initialSourceState, type Article } from '../../src/model/index.js';
import { normalizeFeed } from '../../src/normalize/index.js';
import { openSqliteStore, SourceChangeSchema, type Store } from '../../src/store/index.js';
import { makeArticle } from '../helpers/articles.js';
import { makeFeed, makeItem } from '../normalize/fixtures.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-publish-');
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function openStore(): Promise<Store> {
  const store = await openSqliteStore({ file: path.join(tempDir(), 'byline.sqlite') });
  stores.push(store);
  return store;
}

function makeConfig(output: Record<string, unknown> = {}): Config {
  return {
    dir: 'feeds',
    settings: SettingsSchema.parse({ title: 'Byline', link: 'https://byline.example/', output }),
    sources: [ConfigSourceSchema.parse({ id: 'src', name: 'Source', url: 'https://example.com/feed.xml', site: 'https://example.com/' })],
  };
}

let revision = 0;
async function commit(store: Store, articles: Article[], deletes: string[] = []): Promise<void> {
  const state = { ...initialSourceState('src'), status: 'ok' as const, itemsStored: articles.length, revision: ++revision };
  await store.commitSource(SourceChangeSchema.parse({ sourceId: 'src', state, upserts: articles, deletes, aliases: {} }));
}

const at = (hours: number): string => new Date(Date.UTC(2026, 10, 20, 0, 0, 0) + hours * 3_600_000).toISOString();

describe('the subscription feed and the newsletter', () => {
  const articles = () => [
    makeArticle({ id: 'x', title: 'X', published: at(10), firstSeen: at(10.1) }),
    // Found late: sorts by its publication time, not when we saw it.
    makeArticle({ id: 'y', title: 'Y', published: at(9), firstSeen: at(12) }),
    makeArticle({ id: 'z', title: 'Z', published: at(11), firstSeen: at(11) }),
    // Back-fill: published two days before we first saw it.
    makeArticle({ id: 'w', title: 'W', published: at(-38), firstSeen: at(12) }),
  ];

  it('orders the feed by publication time capped at first seen', async () => {
    const store = await openStore();
    await commit(store, articles());
    const snapshot = await loadSnapshot(makeConfig(), store, { now: () => new Date(at(13)) });
    expect(snapshot.articles.map((a) => a.title)).toEqual(['Z', 'X', 'Y', 'W']);
    const rss = (await renderPath(snapshot, 'feed.xml'))!;
    expect([...rss.matchAll(/<title>(\w)<\/title>/g)].map((m) => m[1])).toEqual(['Z', 'X', 'Y', 'W']);
  });

  it('dates the newsletter by first seen, newest first, without back-fill', async () => {
    const store = await openStore();
    await commit(store, articles());
    const snapshot = await loadSnapshot(makeConfig(), store, { now: () => new Date(at(13)) });
    expect(snapshot.newsletter.map((a) => a.title)).toEqual(['Y', 'Z', 'X']);
    const xml = (await renderPath(snapshot, 'newsletter.xml'))!;
    expect(xml).toContain('<atom:link href="https://byline.example/newsletter.xml" rel="self"');
    expect([...xml.matchAll(/<pubDate>([^<]+)</g)].map((m) => m[1])).toEqual([
      'Fri, 20 Nov 2026 12:00:00 +0000',
      'Fri, 20 Nov 2026 11:00:00 +0000',
      'Fri, 20 Nov 2026 10:06:00 +0000',
    ]);
    // The channel changed when its newest item arrived, not before it: never earlier than an item's date.
    expect(/<lastBuildDate>([^<]+)</.exec(xml)?.[1]).toBe('Fri, 20 Nov 2026 12:00:00 +0000');
  });

  it('moves lastBuildDate and the Atom feed\'s updated when a back-dated item arrives', async () => {
    const store = await openStore();
    await commit(store, [makeArticle({ id: 'z', title: 'Z', published: at(11), firstSeen: at(11) })]);
    const before = (await renderPath(await loadSnapshot(makeConfig(), store, { now: () => new Date(at(13)) }), 'feed.xml'))!;
    expect(/<lastBuildDate>([^<]+)</.exec(before)?.[1]).toBe('Fri, 20 Nov 2026 11:00:00 +0000');
    // Found at 12:00, published at 09:00: the feed's content changed at 12:00.
    await commit(store, [makeArticle({ id: 'z', title: 'Z', published: at(11), firstSeen: at(11) }), makeArticle({ id: 'y', title: 'Y', published: at(9), firstSeen: at(12) })]);
    const snapshot = await loadSnapshot(makeConfig(), store, { now: () => new Date(at(13)) });
    expect(/<lastBuildDate>([^<]+)</.exec((await renderPath(snapshot, 'feed.xml'))!)?.[1]).toBe('Fri, 20 Nov 2026 12:00:00 +0000');
    // The feed's own updated, the first one in the document (each entry has its own after it).
    expect(/<updated>([^<]+)</.exec((await renderPath(snapshot, 'atom.xml'))!)?.[1]).toBe('2026-11-20T12:00:00Z');
  });

  it('keeps the items one fetch brought in the order the source listed them', async () => {
    const store = await openStore();
    // Ids in the opposite order, so an order that fell back to ids would show it.
    const listed = ['n3', 'n2', 'n1', 'n0'];
    const normalized = normalizeFeed(
      makeFeed(listed.map((id) => makeItem({ title: id, link: `https://example.com/${id}`, published: null }))),
      { source: makeConfig().sources[0]!, feedUrl: 'https://example.com/feed.xml', now: new Date(at(12)) },
    ).map(({ article }) => article);
    expect(normalized.map((a) => a.id)).not.toEqual([...normalized.map((a) => a.id)].sort());
    const dated = [makeArticle({ id: 'd0', title: 'd0', published: at(11.5), firstSeen: at(12) }), makeArticle({ id: 'd1', title: 'd1', published: at(11.9), firstSeen: at(12) })];
    await commit(store, [...normalized, ...dated]);
    const snapshot = await loadSnapshot(makeConfig(), store, { now: () => new Date(at(13)) });
    expect(snapshot.articles.map((a) => a.title)).toEqual([...listed, 'd1', 'd0']);
    // The newsletter dates all six by first seen; among them the source's order (newest published first) holds.
    expect(snapshot.newsletter.map((a) => a.title)).toEqual([...listed, 'd1', 'd0']);
  });

  it('finds the newest fresh items even past a long run of back-fill', async () => {
    const store = await openStore();
    const backfill = Array.from({ length: 120 }, (_, i) => makeArticle({ id: `old${i}`, published: at(-100 - i), firstSeen: at(50) }));
    const fresh = Array.from({ length: 3 }, (_, i) => makeArticle({ id: `new${i}`, published: at(-200 + i), firstSeen: at(-199 + i) }));
    await commit(store, [...backfill, ...fresh]);
    const snapshot = await loadSnapshot(makeConfig({ maxItems: 10 }), store, { now: () => new Date(at(60)) });
    expect(snapshot.newsletter.map((a) => a.id)).toEqual(['new2', 'new1', 'new0']);
  });
});

describe('planArchive', () => {
  const entries = (n: number, hour = 0) => Array.from({ length: n }, (_, i) => ({ id: `e${String(i).padStart(3, '0')}`, firstSeen: at(hour + i / 100) }));

  it.each([
    { name: 'no entries', n: 0, size: 10, pages: 0 },
    { name: 'fewer than a page', n: 9, size: 10, pages: 0 },
    { name: 'exactly a page', n: 10, size: 10, pages: 1 },
    { name: 'a page and a bit', n: 25, size: 10, pages: 2 },
  ])('$name: $pages complete page(s)', ({ n, size, pages }) => {
    const plan = planArchive(entries(n), size, new Date(Date.parse(at(0)) + SETTLE_MS + 3_600_000));
    expect(plan.pageCount).toBe(pages);
    for (let page = 1; page <= pages; page++) expect(plan.entriesOf(page).map((e) => e.id)).toEqual(entries(n).slice((page - 1) * size, page * size).map((e) => e.id));
    expect(plan.entriesOf(0)).toEqual([]);
    expect(plan.entriesOf(pages + 1)).toEqual([]);
  });

  it('orders by first seen then id, whatever the input order', () => {
    const input = [...entries(20)].reverse();
    expect(planArchive(input, 10, new Date(at(10))).entriesOf(1).map((e) => e.id)).toEqual(entries(20).slice(0, 10).map((e) => e.id));
  });

  describe('with recorded pages', () => {
    const ids = (list: readonly { id: string }[]) => list.map((entry) => entry.id);
    const all = entries(30);
    const later = new Date(at(10));
    const recorded = planArchive(all, 10, later).layout;
    const without = (drop: number[]) => all.filter((_, i) => !drop.includes(i));

    it('records each complete page by its newest entry', () => {
      expect(recorded).toEqual({ pages: [all[9], all[19], all[29]] });
    });

    it('keeps every page where it was when entries are deleted: a page loses only its own', () => {
      const plan = planArchive(without([0, 1, 2, 12]), 10, later, recorded);
      expect(plan.pageCount).toBe(3);
      expect(ids(plan.entriesOf(1))).toEqual(ids(all.slice(3, 10)));
      expect(ids(plan.entriesOf(2))).toEqual(ids([...all.slice(10, 12), ...all.slice(13, 20)]));
      expect(ids(plan.entriesOf(3))).toEqual(ids(all.slice(20, 30)));
      expect(plan.layout).toEqual(recorded);
      // What recording prevents: cut afresh, every page after the deletions moves.
      expect(ids(planArchive(without([0, 1, 2, 12]), 10, later).entriesOf(1))).toEqual(ids([...all.slice(3, 12), all[13]!]));
    });

    it('keeps a page whose entries are all deleted, empty, so the pages after it keep their numbers', () => {
      const plan = planArchive(without([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 10, later, recorded);
      expect(plan.pageCount).toBe(3);
      expect(plan.entriesOf(1)).toEqual([]);
      expect(ids(plan.entriesOf(3))).toEqual(ids(all.slice(20, 30)));
    });

    it('cuts new pages after the recorded ones, at the current page size', () => {
      const more = [...all, ...entries(40, 1)];
      const plan = planArchive(more, 20, new Date(at(20)), { pages: recorded.pages.slice(0, 2) });
      expect(plan.pageCount).toBe(4);
      expect(ids(plan.entriesOf(2))).toEqual(ids(all.slice(10, 20)));
      expect(ids(plan.entriesOf(3))).toEqual(ids(more.slice(20, 40)));
      expect(ids(plan.entriesOf(4))).toEqual(ids(more.slice(40, 60)));
      expect(plan.layout.pages).toEqual([all[9], all[19], more[39], more[59]]);
    });
  });

  it('waits until a page has settled before publishing it', () => {
    const list = entries(10, 0);
    expect(planArchive(list, 10, new Date(Date.parse(list[9]!.firstSeen) + SETTLE_MS - 1)).pageCount).toBe(0);
    expect(planArchive(list, 10, new Date(Date.parse(list[9]!.firstSeen) + SETTLE_MS)).pageCount).toBe(1);
  });
});

describe('archive pages', () => {
  const batch = (from: number, count: number, hour: number): Article[] =>
    Array.from({ length: count }, (_, i) => makeArticle({ id: `a${String(from + i).padStart(3, '0')}`, title: `Item ${from + i}`, published: at(hour - 1), firstSeen: at(hour) }));

  it('keep their items as new ones arrive, and link oldest to newest', async () => {
    const store = await openStore();
    const config = makeConfig({ archivePageSize: 10 });
    await commit(store, [...batch(0, 12, 0), ...batch(12, 13, 1)]);
    const early = await loadSnapshot(config, store, { now: () => new Date(at(5)) });
    expect(early.archive.pageCount).toBe(2);
    const before = await Promise.all(['archive/1.xml', 'archive/1.atom', 'archive/1.json', 'archive/2.xml'].map((p) => renderPath(early, p)));

    // Later: 20 more items, some of them published (back-dated) before everything archived so far.
    const late = [...batch(25, 10, 10), ...batch(35, 10, 11).map((a) => ({ ...a, published: at(-50) }))];
    await commit(store, [...batch(0, 12, 0), ...batch(12, 13, 1), ...late]);
    const later = await loadSnapshot(config, store, { now: () => new Date(at(20)) });
    expect(later.archive.pageCount).toBe(4);
    const after = await Promise.all(['archive/1.xml', 'archive/1.atom', 'archive/1.json', 'archive/2.xml'].map((p) => renderPath(later, p)));
    // Page 2 now links a next-archive; everything else about pages 1 and 2 is unchanged.
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
    const items = (xml: string | null) => [...(xml ?? '').matchAll(/<title>(Item \d+)<\/title>/g)].map((m) => m[1]);
    expect(items(after[3]!)).toEqual(items(before[3]!));
    expect(items(after[0]!)).toEqual(Array.from({ length: 10 }, (_, i) => `Item ${9 - i}`));

    const page = (n: number) => renderPath(later, `archive/${n}.xml`);
    const rels = (xml: string | null) => Object.fromEntries([...(xml ?? '').matchAll(/<atom:link rel="([\w-]+)" href="([^"]+)"/g)].map((m) => [m[1], m[2]]));
    expect(rels(await page(1))).toEqual({ current: 'https://byline.example/feed.xml', 'next-archive': 'https://byline.example/archive/2.xml' });
    expect(rels(await page(3))).toEqual({
      current: 'https://byline.example/feed.xml',
      'prev-archive': 'https://byline.example/archive/2.xml',
      'next-archive': 'https://byline.example/archive/4.xml',
    });
    expect(await page(1)).toContain('<fh:archive/>');
    expect(await page(5)).toBeNull();
    const feed = (await renderPath(later, 'feed.xml'))!;
    expect(feed).toContain('<atom:link rel="prev-archive" href="https://byline.example/archive/4.xml"/>');
    expect(feed).not.toContain('fh:archive');
    expect(JSON.parse((await renderPath(later, 'feed.json'))!).next_url).toBe('https://byline.example/archive/4.json');
    expect(JSON.parse((await renderPath(later, 'archive/4.json'))!).next_url).toBe('https://byline.example/archive/3.json');
    expect(outputPaths(later)).toEqual(expect.arrayContaining(['archive/index.html', 'archive/4.xml', 'archive/4.atom', 'archive/4.json']));
    expect(outputPaths(later)).not.toContain('archive/5.xml');
    expect(await renderPath(later, 'archive/index.html')).toContain('Page 4');
  });

  it('stay where they were when retention deletes old items, once recorded', async () => {
    const store = await openStore();
    const config = makeConfig({ archivePageSize: 10 });
    const items = [...batch(0, 12, 0), ...batch(12, 13, 1)];
    await commit(store, items);
    const index = createArchiveIndex();
    const now = new Date(at(5));
    expect(await fixArchivePages(store, index, ['src'], 10, now)).toEqual({ added: 2, replaced: null });
    // Recorded already: a second run adds nothing.
    expect(await fixArchivePages(store, index, ['src'], 10, now)).toEqual({ added: 0, replaced: null });
    const titles = async (page: number, snapshot: Awaited<ReturnType<typeof loadSnapshot>>) =>
      [...((await renderPath(snapshot, `archive/${page}.xml`)) ?? '').matchAll(/<title>(Item \d+)<\/title>/g)].map((m) => m[1]);
    const before = await loadSnapshot(config, store, { now: () => now });
    const page2 = await titles(2, before);

    // Retention drops the three oldest items.
    await commit(store, [], ['a000', 'a001', 'a002']);
    const after = await loadSnapshot(config, store, { now: () => now });
    expect(after.archive.pageCount).toBe(2);
    expect(await titles(1, after)).toEqual(Array.from({ length: 7 }, (_, i) => `Item ${9 - i}`));
    expect(await titles(2, after)).toEqual(page2);
  });

  it('are listed on the archive index when retention has emptied one, with the page size cut', async () => {
    const store = await openStore();
    const config = makeConfig({ archivePageSize: 10 });
    await commit(store, [...batch(0, 12, 0), ...batch(12, 13, 1)]);
    const now = new Date(at(5));
    await fixArchivePages(store, createArchiveIndex(), ['src'], 10, now);
    // Retention drops every item of page 1 and one of page 2.
    await commit(store, [], Array.from({ length: 11 }, (_, i) => `a${String(i).padStart(3, '0')}`));
    const snapshot = await loadSnapshot(config, store, { now: () => now });
    expect(snapshot.archive.pageCount).toBe(2);
    const html = (await renderPath(snapshot, 'archive/index.html'))!;
    expect(html).toContain('10 per page');
    expect(html).toMatch(/Page 1: no items left \(all expired\) · <a href="https:\/\/byline\.example\/archive\/1\.xml">/);
    expect(html).toMatch(/Page 2: <time[^>]*>[^<]*<\/time> to <time[^>]*>[^<]*<\/time>, 9 items · /);
    // The emptied page itself still answers, so readers walking the archive are not cut off.
    expect(await renderPath(snapshot, 'archive/1.xml')).toContain('<fh:archive/>');
  });

  it('do not stop the feeds when their record is unreadable, and are recorded anew', async () => {
    const file = path.join(tempDir(), 'byline.sqlite');
    const store = await openSqliteStore({ file });
    stores.push(store);
    const config = makeConfig({ archivePageSize: 10 });
    await commit(store, [...batch(0, 12, 0), ...batch(12, 13, 1)]);
    const raw = new Database(file);
    raw.prepare('INSERT INTO kv (key, value) VALUES (?, ?)').run('byline:archive:layout', '{"value":{"pages":"three"}}');
    raw.close();
    await expect(store.getArchiveLayout()).rejects.toBeInstanceOf(UnreadableRecordError);

    const now = new Date(at(5));
    const snapshot = await loadSnapshot(config, store, { now: () => now });
    expect(snapshot.articles).toHaveLength(25);
    expect(await renderPath(snapshot, 'feed.xml')).toContain('<title>Item 24</title>');
    expect(snapshot.archive.pageCount).toBe(2);

    const fixed = await fixArchivePages(store, createArchiveIndex(), ['src'], 10, now);
    expect(fixed.added).toBe(2);
    expect(fixed.replaced).toMatch(/unreadable record at key "archive:layout": does not match its schema/);
    expect((await store.getArchiveLayout()).pages).toHaveLength(2);
    expect(await fixArchivePages(store, createArchiveIndex(), ['src'], 10, now)).toEqual({ added: 0, replaced: null });
  });

  it('keep their record when the store does not answer, and the error is the caller\'s', async () => {
    const store = await openStore();
    await commit(store, [...batch(0, 12, 0), ...batch(12, 13, 1)]);
    const writes: unknown[] = [];
    // The real store, except that reading the layout fails the way a store that is down fails.
    const down: Store = Object.create(store) as Store;
    down.getArchiveLayout = () => Promise.reject(new StoreError('store(redis): getArchiveLayout timed out after 10000 ms'));
    down.setArchiveLayout = (layout) => {
      writes.push(layout);
      return store.setArchiveLayout(layout);
    };
    await expect(fixArchivePages(down, createArchiveIndex(), ['src'], 10, new Date(at(5)))).rejects.toThrow(/timed out/);
    await expect(loadSnapshot(makeConfig({ archivePageSize: 10 }), down)).rejects.toThrow(/timed out/);
    expect(writes).toEqual([]);
  });
});
