/**
 * Store.renameSource on every backend: a source's records move to its new id
 * whole (articles, tombstones, scoped aliases, state, index, alerts), or,
 * when the rename is refused, nothing moves. Run by each backend's test file
 * with the contract's harness.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { Alert, Article } from '../../src/model/index.js';
import type { Store, StoreBackend } from '../../src/store/index.js';
import { harnessPerTest, of, type StoreHarness } from './contract.js';
import { article, at, change, state } from './fixtures.js';

function alert(sourceId: string, minutes: number): Alert {
  return { id: `${sourceId}:failing:${at(minutes)}`, sourceId, kind: 'failing', at: at(minutes), message: `${sourceId} is failing`, error: { code: 'http_status', message: 'HTTP 500' } };
}

const renamed = (stored: Article, to: string): Article => ({ ...stored, sourceId: to, credit: { ...stored.credit, sourceId: to } });

/** Registers the rename suite for `backend`. */
export function renameContract(backend: StoreBackend, makeHarness: () => Promise<StoreHarness>): void {
  describe(`renameSource: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);
    let store: Store;
    const articles = ['a1', 'a2', 'a3'].map((id, i) => article('lab', id, { published: at(i), firstSeen: at(i) }));
    // A source whose id starts with the renamed one's: none of its records may move.
    const neighbour = article('lab-news', 'n1');
    const aliasKeys = ['url:https://lab.example/posts/a1', 'guid:lab:a1', 'guid:lab:a2', 'item:lab:a3', 'guid:lab-news:n1'];
    /** Every raw record the suite writes, by logical key. */
    const allKeys = [
      ...['a1', 'a2', 'a3'].map((id) => `article:lab:${id}`),
      'article:lab-news:n1',
      ...aliasKeys.map((key) => `alias:${key}`),
      ...['lab', 'lab-news', 'frontier-lab'].flatMap((id) => [`state:${id}`, `index:${id}`, `alerts:${id}`, `aliases-of:${id}`]),
    ];

    beforeEach(async () => {
      store = await fixture.open();
      await store.commitSource(
        change('lab', {
          upserts: articles,
          aliases: { [aliasKeys[0]!]: 'a1', [aliasKeys[1]!]: 'a1', [aliasKeys[2]!]: 'a2', [aliasKeys[3]!]: 'a3' },
          alerts: [alert('lab', 1), alert('lab', 2)],
        }),
      );
      // a2 leaves the store (retention): its tombstone and aliases keep it from coming back as new.
      await store.commitSource(change('lab', { deletes: ['a2'], state: state('lab', { etag: '"second"', itemsStored: 2 }) }));
      await store.commitSource(change('lab-news', { upserts: [neighbour], aliases: { [aliasKeys[4]!]: 'n1' }, alerts: [alert('lab-news', 3)] }));
    });

    async function raws(): Promise<Map<string, string | null>> {
      return new Map(await Promise.all(allKeys.map(async (key) => [key, await fixture.harness.readRaw(key)] as const)));
    }

    it('moves every record of the source to the new id, and nothing of another source', async () => {
      const index = await store.getIndex('lab');
      const alerts = await store.listAlerts(['lab'], 10);
      const neighbourBefore = { index: await store.getIndex('lab-news'), state: await store.getState('lab-news'), alerts: await store.listAlerts(['lab-news'], 10) };

      expect(await store.renameSource('lab', 'frontier-lab')).toEqual({ articles: 2, tombstones: 1, aliases: 3, records: 9 });

      // A new connection: the move is in the store, not in this one's memory.
      const after = await fixture.open();
      expect(await after.getIndex('frontier-lab')).toEqual(index);
      expect(await after.getIndex('lab')).toEqual([]);
      const moved = await after.getArticles(of('frontier-lab', 'a1', 'a2', 'a3'));
      expect([...moved.keys()].sort()).toEqual(['a1', 'a3']);
      expect(moved.get('a1')).toEqual(renamed(articles[0]!, 'frontier-lab'));
      expect(moved.get('a3')).toEqual(renamed(articles[2]!, 'frontier-lab'));
      expect((await after.getArticles(of('lab', 'a1', 'a3'))).size).toBe(0);
      expect(JSON.parse((await fixture.harness.readRaw('article:frontier-lab:a2'))!).value).toMatchObject({ tombstone: true, id: 'a2', sourceId: 'frontier-lab' });
      expect(await fixture.harness.readRaw('article:lab:a2')).toBeNull();

      const aliases = await after.resolveAliases(['url:https://lab.example/posts/a1', 'guid:frontier-lab:a1', 'guid:frontier-lab:a2', 'item:frontier-lab:a3', 'guid:lab:a1', 'item:lab:a3']);
      expect(Object.fromEntries(aliases)).toEqual({
        'url:https://lab.example/posts/a1': 'a1',
        'guid:frontier-lab:a1': 'a1',
        'guid:frontier-lab:a2': 'a2',
        'item:frontier-lab:a3': 'a3',
      });

      expect(await after.getState('lab')).toBeNull();
      expect(await after.getState('frontier-lab')).toEqual(state('frontier-lab', { etag: '"second"', itemsStored: 2 }));
      // Alert ids are published: they keep the old id.
      expect(await after.listAlerts(['frontier-lab'], 10)).toEqual(alerts.map((each) => ({ ...each, sourceId: 'frontier-lab' })));
      expect(await after.listAlerts(['lab'], 10)).toEqual([]);
      expect(await after.listNewest({ sourceIds: ['frontier-lab'], limit: 10 })).toEqual([renamed(articles[2]!, 'frontier-lab'), renamed(articles[0]!, 'frontier-lab')]);

      expect({ index: await after.getIndex('lab-news'), state: await after.getState('lab-news'), alerts: await after.listAlerts(['lab-news'], 10) }).toEqual(neighbourBefore);
      expect((await after.getArticles(of('lab-news', 'n1'))).get('n1')).toEqual(neighbour);
      expect(Object.fromEntries(await after.resolveAliases(['guid:lab-news:n1']))).toEqual({ 'guid:lab-news:n1': 'n1' });
    });

    it("moves the record of the alias keys the source wrote, naming its scoped keys by the new id", async () => {
      await store.commitSource(
        change('lab', {
          sourceAliases: [
            { id: 'a1', keys: ['url:https://lab.example/posts/a1', 'guid:lab:a1'] },
            { id: 'a2', keys: ['guid:lab:a2'], listedDay: 20000 },
            { id: 'a3', keys: ['item:lab:a3'] },
            { id: 'n1', keys: ['guid:lab:n1', 'url:https://news.example/n1'], foreign: true },
          ],
        }),
      );
      await store.renameSource('lab', 'frontier-lab');
      const after = await fixture.open();
      expect(await after.getSourceAliases('lab')).toEqual([]);
      expect(await fixture.harness.readRaw('aliases-of:lab')).toBeNull();
      expect(await after.getSourceAliases('frontier-lab')).toEqual([
        { id: 'a1', keys: ['url:https://lab.example/posts/a1', 'guid:frontier-lab:a1'] },
        { id: 'a2', keys: ['guid:frontier-lab:a2'], listedDay: 20000 },
        { id: 'a3', keys: ['item:frontier-lab:a3'] },
        { id: 'n1', keys: ['guid:frontier-lab:n1', 'url:https://news.example/n1'], foreign: true },
      ]);
    });

    it('leaves a store the next commit under the new id builds on', async () => {
      await store.renameSource('lab', 'frontier-lab');
      const a4 = article('frontier-lab', 'a4', { published: at(9), firstSeen: at(9) });
      await store.commitSource(change('frontier-lab', { upserts: [a4], deletes: ['a1'] }));
      expect((await store.getIndex('frontier-lab')).map((entry) => entry.id)).toEqual(['a4', 'a3']);
    });

    it.each([
      ['a state', 'state:frontier-lab', JSON.stringify({ value: state('frontier-lab') })],
      ['an alias scoped to it', 'alias:guid:frontier-lab:x', JSON.stringify({ value: 'a1' })],
      ['an article', 'article:frontier-lab:z', JSON.stringify({ value: article('frontier-lab', 'z') })],
    ])('refuses, moving nothing, when the new id already has %s', async (_what, key, raw) => {
      await fixture.harness.writeRaw(key, raw);
      const before = await raws();
      const refused = await store.renameSource('lab', 'frontier-lab').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as Error).message).toBe(`store(${backend}): renameSource: source "frontier-lab" already has records in this store (e.g. "${key}"); nothing was moved (after a cycle under "frontier-lab", rename-source --merge combines the two)`);
      expect(await raws()).toEqual(before);
    });

    it('refuses a source with no records, and ids that are not source ids', async () => {
      await expect(store.renameSource('nowhere', 'frontier-lab')).rejects.toThrow(`store(${backend}): renameSource: source "nowhere" has no records in this store; nothing was moved`);
      await expect(store.renameSource('lab', 'lab')).rejects.toThrow(/"lab" is already the source's id/);
      await expect(store.renameSource('lab', 'Frontier Lab')).rejects.toThrow(/renameSource: .*must be a slug/);
      await expect(store.renameSource('lab:x', 'frontier-lab')).rejects.toThrow(/renameSource: .*must be a slug/);
      expect(await store.getIndex('lab')).toHaveLength(2);
    });

    it('refuses, moving nothing, when one of the records cannot be read', async () => {
      await fixture.harness.writeRaw('article:lab:a3', '{"value": {"id": "a3"');
      const before = await raws();
      await expect(store.renameSource('lab', 'frontier-lab')).rejects.toThrow(
        new RegExp(`^store\\(${backend}\\): renameSource: unreadable record at key "article:lab:a3": not JSON .*; nothing was moved$`),
      );
      expect(await raws()).toEqual(before);
    });
  });
}
