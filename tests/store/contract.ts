/**
 * The one behavioural contract every store backend must meet, as a suite
 * parameterised by a harness factory. Each backend's test file runs it with a
 * fresh fixture per test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { Alert, Article } from '../../src/model/index.js';
import type { ArticleRef, SourceChange, Store, StoreBackend } from '../../src/store/index.js';
import { article, at, change, state } from './fixtures.js';

/** One test's backing data, reachable by several Store instances in turn or at once. */
export interface StoreHarness {
  /** A new Store on this fixture's data (a new connection / client each time). */
  open(): Promise<Store>;
  /** Writes `raw` as the stored value of a logical key (`article:x`, `state:s`…), bypassing the Store. */
  writeRaw(key: string, raw: string): Promise<void>;
  /** The stored text of a logical key, as another reader of the backend would see it; null when absent. */
  readRaw(key: string): Promise<string | null>;
  /** Removes the fixture (stores opened through `open` are closed by the suite). */
  dispose(): Promise<void>;
}

/** A harness per test, from inside a suite's `describe`. */
export interface HarnessPerTest<H extends StoreHarness> {
  /** This test's harness. */
  readonly harness: H;
  /** A new Store on this test's data, closed after the test. */
  open(): Promise<Store>;
}

/**
 * Makes a fresh harness before each test; after it, closes every store the
 * test opened and disposes of the harness. Call it inside a `describe`.
 */
export function harnessPerTest<H extends StoreHarness>(makeHarness: () => Promise<H>): HarnessPerTest<H> {
  let current: H | null = null;
  const opened: Store[] = [];
  beforeEach(async () => {
    current = await makeHarness();
  });
  afterEach(async () => {
    for (const each of opened.splice(0)) await each.close();
    await current?.dispose();
    current = null;
  });
  const harness = (): H => {
    if (!current) throw new Error('harnessPerTest: no harness outside a test');
    return current;
  };
  return {
    get harness() {
      return harness();
    },
    async open() {
      const next = await harness().open();
      opened.push(next);
      return next;
    },
  };
}

/** Where to look for articles `ids` of source `sourceId`. */
export const of = (sourceId: string, ...ids: string[]): ArticleRef[] => ids.map((id) => ({ sourceId, id }));

/** Registers the contract suite for `backend`. */
export function storeContract(backend: StoreBackend, makeHarness: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);
    const { open } = fixture;
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    /** Everything a reader can see of sources `ids`, for "nothing changed" assertions. */
    async function snapshot(target: Store, ids: string[], articleRefs: ArticleRef[], aliasKeys: string[]) {
      return {
        states: await target.getStates(ids),
        indexes: await Promise.all(ids.map((id) => target.getIndex(id))),
        articles: await target.getArticles(articleRefs),
        aliases: await target.resolveAliases(aliasKeys),
      };
    }

    it('names its backend', () => {
      expect(store.backend).toBe(backend);
    });

    it('reads nothing from an empty store', async () => {
      expect(await store.getState('s')).toBeNull();
      expect(await store.getStates(['s', 't'])).toEqual(new Map());
      expect(await store.resolveAliases(['url:https://x.example/'])).toEqual(new Map());
      expect(await store.getArticles(of('s', 'a'))).toEqual(new Map());
      expect(await store.getIndex('s')).toEqual([]);
      expect(await store.listNewest({ sourceIds: ['s'], limit: 10 })).toEqual([]);
    });

    it('round-trips articles, states and aliases unchanged', async () => {
      const a = article('s', 'a');
      const b = article('s', 'b:with/odd?chars', { image: null, summary: null, updated: at(3), categories: [] });
      const st = state('s', { revision: 7, itemsStored: 2, lastError: { code: 'timeout', message: 'slow', at: at(2) } });
      await store.commitSource(change('s', { state: st, upserts: [a, b], aliases: { 'url:https://s.example/a': 'a', 'guid:s:b': b.id } }));

      expect(await store.getState('s')).toEqual(st);
      expect(await store.getStates(['s', 'unknown'])).toEqual(new Map([['s', st]]));
      expect(await store.getArticles(of('s', 'a', b.id, 'missing'))).toEqual(new Map([['a', a], [b.id, b]]));
      expect(await store.resolveAliases(['url:https://s.example/a', 'guid:s:b', 'guid:s:zzz'])).toEqual(
        new Map([['url:https://s.example/a', 'a'], ['guid:s:b', b.id]]),
      );
    });

    it('indexes a source newest first by min(published, firstSeen), ties by id', async () => {
      const upserts = [
        article('s', 'a', { published: at(10), firstSeen: at(100) }),
        article('s', 'b', { published: at(500), firstSeen: at(50) }),
        article('s', 'd', { published: at(30), firstSeen: at(30) }),
        article('s', 'c', { published: at(30), firstSeen: at(40) }),
        // 03:00+02:00 is 01:00Z: the offset must be honoured, not compared as text.
        article('s', 'e', { published: '2024-05-01T03:00:00+02:00', firstSeen: at(600) }),
      ];
      await store.commitSource(change('s', { upserts }));
      expect(await store.getIndex('s')).toEqual([
        { id: 'e', sortKey: at(60) },
        { id: 'b', sortKey: at(50) },
        { id: 'c', sortKey: at(30) },
        { id: 'd', sortKey: at(30) },
        { id: 'a', sortKey: at(10) },
      ]);
    });

    it('replaces an upserted article and moves it in the index', async () => {
      await store.commitSource(change('s', { upserts: [article('s', 'a', { published: at(10) }), article('s', 'b', { published: at(20) })] }));
      const newer = article('s', 'a', { published: at(30), title: 'Edited' });
      await store.commitSource(change('s', { upserts: [newer] }));
      expect((await store.getArticles(of('s', 'a'))).get('a')).toEqual(newer);
      expect((await store.getIndex('s')).map((entry) => entry.id)).toEqual(['a', 'b']);
    });

    it('deletes leave the aliases: they still resolve, the article is gone from every read', async () => {
      await store.commitSource(
        change('s', { upserts: [article('s', 'a'), article('s', 'b', { published: at(5) })], aliases: { 'guid:s:a': 'a' } }),
      );
      await store.commitSource(change('s', { deletes: ['a'] }));

      expect(await store.resolveAliases(['guid:s:a'])).toEqual(new Map([['guid:s:a', 'a']]));
      expect(await store.getArticles(of('s', 'a', 'b'))).toEqual(new Map([['b', article('s', 'b', { published: at(5) })]]));
      expect(await store.getIndex('s')).toEqual([{ id: 'b', sortKey: at(5) }]);
      expect((await store.listNewest({ sourceIds: ['s'], limit: 10 })).map((item) => item.id)).toEqual(['b']);

      // A deleted id can be stored again (the pipeline decides whether it should).
      await store.commitSource(change('s', { upserts: [article('s', 'a')] }));
      expect([...(await store.getArticles(of('s', 'a'))).keys()]).toEqual(['a']);
    });

    it('prunes an alias only while it names the id given, with the tombstone of a pruned id, and keeps the alias record', async () => {
      await store.commitSource(
        change('s', {
          upserts: [article('s', 'a'), article('s', 'b', { published: at(5) })],
          aliases: { 'guid:s:a': 'a', 'url:https://s.example/a': 'a', 'url:https://shared.example/': 'a' },
          sourceAliases: [{ id: 'a', keys: ['guid:s:a', 'url:https://s.example/a'] }],
        }),
      );
      expect(await store.getSourceAliases('s')).toEqual([{ id: 'a', keys: ['guid:s:a', 'url:https://s.example/a'] }]);
      await store.commitSource(change('s', { deletes: ['a'] }));
      // Another source took the shared key since: it is not ours to remove.
      await store.commitSource(change('t', { aliases: { 'url:https://shared.example/': 'x' } }));
      expect(await fixture.harness.readRaw('article:s:a')).not.toBeNull();

      await store.commitSource(
        change('s', {
          sourceAliases: [],
          pruned: { aliases: { 'guid:s:a': 'a', 'url:https://s.example/a': 'a', 'url:https://shared.example/': 'a' }, ids: ['a', 'b'] },
        }),
      );
      expect(await store.resolveAliases(['guid:s:a', 'url:https://s.example/a', 'url:https://shared.example/'])).toEqual(
        new Map([['url:https://shared.example/', 'x']]),
      );
      expect(await fixture.harness.readRaw('article:s:a')).toBeNull();
      // A live article is never pruned.
      expect([...(await store.getArticles(of('s', 'b'))).keys()]).toEqual(['b']);
      expect(await store.getSourceAliases('s')).toEqual([]);
    });

    it('ignores deletes of ids the source does not hold, leaving other sources intact', async () => {
      await store.commitSource(change('other', { upserts: [article('other', 'x')] }));
      await store.commitSource(change('s', { deletes: ['x', 'never-stored'] }));
      expect([...(await store.getArticles(of('other', 'x'))).keys()]).toEqual(['x']);
      expect(await store.getIndex('other')).toHaveLength(1);
      expect(await store.getIndex('s')).toEqual([]);
    });

    describe('listNewest', () => {
      const bySource: Record<string, Article[]> = {
        s1: [article('s1', 'a', { published: at(50) }), article('s1', 'b', { published: at(30) }), article('s1', 'c', { published: at(10) })],
        s2: [article('s2', 'd', { published: at(40) }), article('s2', 'e', { published: at(30) }), article('s2', 'f', { published: at(5) })],
        s3: [article('s3', 'g', { published: at(60) })],
      };
      const orderS1S2 = ['a', 'd', 'b', 'e', 'c', 'f'];

      beforeEach(async () => {
        for (const [sourceId, upserts] of Object.entries(bySource)) await store.commitSource(change(sourceId, { upserts }));
      });

      it.each([
        { limit: 10, offset: undefined, expected: orderS1S2 },
        { limit: 3, offset: 0, expected: ['a', 'd', 'b'] },
        { limit: 2, offset: 3, expected: ['e', 'c'] },
        { limit: 5, offset: 5, expected: ['f'] },
        { limit: 5, offset: 6, expected: [] },
        { limit: 0, offset: 0, expected: [] },
      ])('limit $limit offset $offset', async ({ limit, offset, expected }) => {
        const items = await store.listNewest({ sourceIds: ['s1', 's2'], limit, ...(offset === undefined ? {} : { offset }) });
        expect(items.map((item) => item.id)).toEqual(expected);
      });

      it('returns whole articles, ignores unknown and repeated sources', async () => {
        const items = await store.listNewest({ sourceIds: ['s3', 'nope', 's1', 's3'], limit: 2 });
        expect(items).toEqual([bySource.s3?.[0], bySource.s1?.[0]]);
      });

      it.each([
        { limit: -1, offset: 0 },
        { limit: 1.5, offset: 0 },
        { limit: 3, offset: -2 },
      ])('rejects window limit $limit offset $offset with StoreError', async ({ limit, offset }) => {
        await expect(store.listNewest({ sourceIds: ['s1'], limit, offset })).rejects.toBeInstanceOf(StoreError);
      });
    });

    it('keeps the index and articles as they are through a state-only commit', async () => {
      await store.commitSource(change('s', { upserts: [article('s', 'a', { published: at(10) }), article('s', 'b', { published: at(20) })] }));
      const before = await store.getIndex('s');
      await store.commitSource(change('s', { state: state('s', { status: 'failing', consecutiveErrors: 1 }) }));
      expect(await store.getIndex('s')).toEqual(before);
      expect((await store.listNewest({ sourceIds: ['s'], limit: 5 })).map((a) => a.id)).toEqual(['b', 'a']);
      expect((await store.getState('s'))?.status).toBe('failing');
    });

    describe('alerts', () => {
      const alert = (sourceId: string, minute: number, kind: Alert['kind'] = 'failing'): Alert => ({
        id: `${sourceId}:${kind}:${at(minute)}`,
        sourceId,
        kind,
        at: at(minute),
        message: `${sourceId} ${kind}`,
        error: kind === 'recovered' ? null : { code: 'timeout', message: 'no response headers within 20 s' },
      });

      it('keeps each source\'s alerts with its commit and lists them newest first across sources', async () => {
        await store.commitSource(change('s1', { alerts: [alert('s1', 10)] }));
        await store.commitSource(change('s2', { alerts: [alert('s2', 20, 'gone')] }));
        await store.commitSource(change('s1', { alerts: [alert('s1', 30, 'recovered')] }));
        await store.commitSource(change('s1'));
        const listed = await store.listAlerts(['s1', 's2', 'nope'], 10);
        expect(listed.map((a) => a.id)).toEqual([`s1:recovered:${at(30)}`, `s2:gone:${at(20)}`, `s1:failing:${at(10)}`]);
        expect(listed[1]).toEqual(alert('s2', 20, 'gone'));
        expect((await store.listAlerts(['s1', 's2'], 2)).map((a) => a.at)).toEqual([at(30), at(20)]);
        expect(await store.listAlerts(['s2'], 0)).toEqual([]);
      });

      it('keeps only the newest 50 per source', async () => {
        for (let i = 0; i < 60; i++) await store.commitSource(change('s1', { alerts: [alert('s1', i)] }));
        const listed = await store.listAlerts(['s1'], 100);
        expect(listed).toHaveLength(50);
        expect(listed[0]!.at).toBe(at(59));
        expect(listed[49]!.at).toBe(at(10));
      });

      it('rejects an invalid alert without writing anything', async () => {
        const bad = { ...alert('s1', 1), kind: 'exploded' } as unknown as Alert;
        await expect(store.commitSource(change('s1', { alerts: [bad] }))).rejects.toBeInstanceOf(StoreError);
        expect(await store.getState('s1')).toBeNull();
        expect(await store.listAlerts(['s1'], 10)).toEqual([]);
      });
    });

    describe('commitSource is all-or-nothing', () => {
      const invalid: Array<{ name: string; make: () => SourceChange }> = [
        {
          name: 'an article with an unparseable date',
          make: () => change('s', { upserts: [article('s', 'new1'), article('s', 'new2', { published: 'yesterday' })] }),
        },
        { name: "another source's article", make: () => change('s', { upserts: [article('s', 'new1'), article('t', 'new2')] }) },
        { name: "another source's state", make: () => change('s', { state: state('t'), upserts: [article('s', 'new1')] }) },
        { name: 'an id both upserted and deleted', make: () => change('s', { upserts: [article('s', 'new1')], deletes: ['new1'] }) },
        { name: 'an id upserted twice', make: () => change('s', { upserts: [article('s', 'new1'), article('s', 'new1')] }) },
        { name: 'an empty alias target', make: () => change('s', { upserts: [article('s', 'new1')], aliases: { 'guid:s:new1': '' } }) },
      ];

      it.each(invalid)('rejects $name and writes nothing', async ({ make }) => {
        await store.commitSource(change('s', { state: state('s', { revision: 1 }), upserts: [article('s', 'old')], aliases: { 'guid:s:old': 'old' } }));
        const ids = [...of('s', 'old', 'new1', 'new2'), ...of('t', 'new2')];
        const aliasKeys = ['guid:s:old', 'guid:s:new1'];
        const before = await snapshot(store, ['s', 't'], ids, aliasKeys);

        const bad = make();
        bad.state = { ...bad.state, revision: 2 };
        bad.aliases = { 'guid:s:new1': 'new1', ...bad.aliases };
        const error: unknown = await store.commitSource(bad).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(StoreError);
        expect((error as StoreError).message).toMatch(new RegExp(`^store\\(${backend}\\): `));

        expect(await snapshot(store, ['s', 't'], ids, aliasKeys)).toEqual(before);
      });
    });

    describe('archive layout', () => {
      const layout = { pages: [{ id: 'a', firstSeen: at(0) }, { id: 'b', firstSeen: at(1) }] };

      it('has no pages until some are recorded, then reads back what was recorded, from a new store too', async () => {
        expect(await store.getArchiveLayout()).toEqual({ pages: [] });
        await store.setArchiveLayout(layout);
        expect(await store.getArchiveLayout()).toEqual(layout);
        expect(await (await open()).getArchiveLayout()).toEqual(layout);
        const longer = { pages: [...layout.pages, { id: 'c', firstSeen: at(2) }] };
        await store.setArchiveLayout(longer);
        expect(await store.getArchiveLayout()).toEqual(longer);
      });

      it('rejects an invalid layout with StoreError and keeps the recorded one', async () => {
        await store.setArchiveLayout(layout);
        const invalid = { pages: [{ id: '', firstSeen: 'yesterday' }] };
        await expect(store.setArchiveLayout(invalid)).rejects.toThrow(new RegExp(`^store\\(${backend}\\): invalid archive layout: `));
        await expect(store.setArchiveLayout(invalid)).rejects.toBeInstanceOf(StoreError);
        expect(await store.getArchiveLayout()).toEqual(layout);
      });
    });

    it('keeps everything across close and reopen', async () => {
      const a = article('s', 'a');
      const st = state('s', { revision: 3 });
      await store.commitSource(change('s', { state: st, upserts: [a], aliases: { 'guid:s:a': 'a' } }));
      await store.close();

      const reopened = await open();
      expect(await reopened.getState('s')).toEqual(st);
      expect(await reopened.getArticles(of('s', 'a'))).toEqual(new Map([['a', a]]));
      expect(await reopened.resolveAliases(['guid:s:a'])).toEqual(new Map([['guid:s:a', 'a']]));
      expect(await reopened.getIndex('s')).toEqual([{ id: 'a', sortKey: at(0) }]);
    });

    it('loses no write when two Store instances commit concurrently', async () => {
      const other = await open();
      const rounds = 25;
      const writer = async (target: Store, sourceId: string) => {
        for (let i = 0; i < rounds; i++) {
          const upserts = [article(sourceId, `${sourceId}-${i}`, { published: at(i) })];
          await target.commitSource(change(sourceId, { state: state(sourceId, { revision: i + 1 }), upserts, aliases: { [`guid:${sourceId}:${i}`]: `${sourceId}-${i}` } }));
        }
      };
      await Promise.all([writer(store, 'p'), writer(other, 'q'), writer(store, 'r'), writer(other, 'u')]);

      for (const reader of [store, other]) {
        for (const sourceId of ['p', 'q', 'r', 'u']) {
          expect((await reader.getIndex(sourceId)).length).toBe(rounds);
          expect((await reader.getState(sourceId))?.revision).toBe(rounds);
        }
        const newest = await reader.listNewest({ sourceIds: ['p', 'q', 'r', 'u'], limit: 1000 });
        expect(newest).toHaveLength(rounds * 4);
      }
    });

    describe('stored form', () => {
      const html = '\n<p class="lead">Line one\nline "two" \\ tab\there</p>\n<p>模型 — café 🚀</p>\n';

      it('writes an article\'s HTML as is after one line of JSON, and reads the article back unchanged', async () => {
        const written = article('s', 'a', { contentHtml: html });
        await store.commitSource(change('s', { upserts: [written] }));
        const raw = await fixture.harness.readRaw('article:s:a');
        const cut = raw?.indexOf('\n') ?? -1;
        expect(cut).toBeGreaterThan(0);
        const head = JSON.parse(raw!.slice(0, cut)) as { value: Record<string, unknown>; tail: string };
        expect(head.tail).toBe('contentHtml');
        expect(head.value.contentHtml).toBeNull();
        expect(head.value.title).toBe(written.title);
        expect(raw!.slice(cut + 1)).toBe(html);
        expect(await store.getArticles(of('s', 'a'))).toEqual(new Map([['a', written]]));
        expect(await (await open()).getArticles(of('s', 'a'))).toEqual(new Map([['a', written]]));
      });

      it('writes an article without HTML, and every other record, as one line of JSON', async () => {
        await store.commitSource(change('s', { upserts: [article('s', 'a', { contentHtml: '' })], aliases: { 'guid:s:1': 'a' } }));
        for (const key of ['article:s:a', 'alias:guid:s:1', 'state:s', 'index:s']) {
          const raw = await fixture.harness.readRaw(key);
          expect(raw, key).not.toContain('\n');
          expect(JSON.parse(raw!), key).toHaveProperty('value');
        }
      });

      it('reads articles stored as plain JSON, on one line or pretty-printed', async () => {
        const one = article('s', 'a', { contentHtml: html });
        const two = article('s', 'b', { contentHtml: html });
        await store.commitSource(change('s', { upserts: [one, two] }));
        await fixture.harness.writeRaw('article:s:a', JSON.stringify({ value: one, expires: null }));
        await fixture.harness.writeRaw('article:s:b', JSON.stringify({ value: two, expires: null }, null, 2));
        expect(await store.getArticles(of('s', 'a', 'b'))).toEqual(new Map([['a', one], ['b', two]]));
      });
    });

    describe('an unreadable stored value is a StoreError naming its key', () => {
      const cases: Array<{ name: string; key: string; raw: string; read: (s: Store) => Promise<unknown> }> = [
        { name: 'article that is not JSON', key: 'article:s:a', raw: '{"value": {"id": "a",', read: (s) => s.getArticles(of('s', 'a')) },
        { name: 'article that is JSON but not an article', key: 'article:s:a', raw: '{"value":{"id":"a","title":42}}', read: (s) => s.getArticles(of('s', 'a')) },
        { name: 'article with text after its JSON line but no tail field', key: 'article:s:a', raw: '{"value":{"id":"a"}}\n<p>x</p>', read: (s) => s.getArticles(of('s', 'a')) },
        { name: 'article whose tail names another field', key: 'article:s:a', raw: '{"value":{"id":"a"},"tail":"title"}\n<p>x</p>', read: (s) => s.getArticles(of('s', 'a')) },
        { name: 'state without the keyv envelope', key: 'state:s', raw: '{"sourceId":"s"}', read: (s) => s.getState('s') },
        { name: 'state of the wrong shape', key: 'state:s', raw: '{"value":{"sourceId":"s","status":"bogus"}}', read: (s) => s.getStates(['s']) },
        { name: 'alias that is a number', key: 'alias:guid:s:1', raw: '{"value":17}', read: (s) => s.resolveAliases(['guid:s:1']) },
        { name: 'index (read)', key: 'index:s', raw: '{"value":[{"id":"a"}]}', read: (s) => s.getIndex('s') },
        // A commit reads the index only when it changes articles; a state-only commit never touches it.
        { name: 'index (commit)', key: 'index:s', raw: '{"value":"nope"}', read: (s) => s.commitSource(change('s', { upserts: [article('s', 'a')] })) },
        { name: 'index (listNewest)', key: 'index:s', raw: 'null', read: (s) => s.listNewest({ sourceIds: ['s'], limit: 5 }) },
        { name: 'archive layout', key: 'archive:layout', raw: '{"value":{"pages":[{"id":"a"}]}}', read: (s) => s.getArchiveLayout() },
      ];

      it.each(cases)('$name', async ({ key, raw, read }) => {
        await fixture.harness.writeRaw(key, raw);
        const error: unknown = await read(store).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(StoreError);
        const message = (error as StoreError).message;
        expect(message).toMatch(new RegExp(`^store\\(${backend}\\): `));
        expect(message).toContain(`"${key}"`);
      });
    });

    it('rejects with StoreError once closed, and closes twice without error', async () => {
      await store.close();
      await store.close();
      await expect(store.getState('s')).rejects.toBeInstanceOf(StoreError);
      await expect(store.commitSource(change('s'))).rejects.toThrow(new RegExp(`^store\\(${backend}\\): commitSource: the store is closed`));
    });
  });
}
