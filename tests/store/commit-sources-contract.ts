/**
 * Several sources' changes in one atomic write (Store.commitSources), as an
 * article that moves from one source to another needs: written under one,
 * gone from the other without a tombstone, both indexes and states
 * rewritten, and all of it or nothing. Run on every backend.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { StoreBackend } from '../../src/store/index.js';
import { harnessPerTest, of, type StoreHarness } from './contract.js';
import { article, at, change, state } from './fixtures.js';

export function commitSourcesContract(backend: StoreBackend, makeHarness: () => Promise<StoreHarness>): void {
  describe(`Store commitSources: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);

    it('moves an article between sources in one write: under its new source, and nothing of it left under the old one', async () => {
      const store = await fixture.open();
      await store.commitSource(change('a', { state: state('a', { revision: 1, itemsStored: 2 }), upserts: [article('a', 'x'), article('a', 'y', { published: at(5) })], aliases: { 'url:x': 'x' } }));
      await store.commitSource(change('b', { state: state('b', { revision: 3, itemsStored: 1 }), upserts: [article('b', 'z')] }));

      const moved = article('b', 'x', { title: 'As the publisher has it' });
      await store.commitSources([
        change('b', { state: state('b', { revision: 4, itemsStored: 2 }), upserts: [moved], aliases: { 'guid:b:x': 'x' }, sourceAliases: [{ id: 'x', keys: ['url:x', 'guid:b:x'] }, { id: 'z', keys: ['url:z'] }] }),
        change('a', { state: state('a', { revision: 2, itemsStored: 1 }), deletes: ['x'], pruned: { aliases: {}, ids: ['x'] }, sourceAliases: [{ id: 'x', keys: ['url:x'], listedDay: 1, foreign: true }] }),
      ]);

      const reader = await fixture.open();
      expect(await reader.getArticles([...of('a', 'x'), ...of('b', 'x')])).toEqual(new Map([['x', moved]]));
      expect((await reader.getIndex('a')).map((entry) => entry.id)).toEqual(['y']);
      expect((await reader.getIndex('b')).map((entry) => entry.id).sort()).toEqual(['x', 'z']);
      expect(await fixture.harness.readRaw('article:a:x')).toBeNull();
      expect(await reader.resolveAliases(['url:x', 'guid:b:x'])).toEqual(new Map([['url:x', 'x'], ['guid:b:x', 'x']]));
      const states = await reader.getStates(['a', 'b']);
      expect([states.get('a')?.revision, states.get('b')?.revision]).toEqual([2, 4]);
      expect(await reader.getSourceAliases('a')).toEqual([{ id: 'x', keys: ['url:x'], listedDay: 1, foreign: true }]);
      expect((await reader.listNewest({ sourceIds: ['a', 'b'], limit: 10 })).map((each) => [each.sourceId, each.id]).sort()).toEqual([
        ['a', 'y'],
        ['b', 'x'],
        ['b', 'z'],
      ]);
    });

    it('keeps an alias one change writes when another change of the write prunes it', async () => {
      const store = await fixture.open();
      await store.commitSource(change('a', { upserts: [article('a', 'x')], aliases: { 'url:x': 'x' } }));
      await store.commitSources([
        change('b', { upserts: [article('b', 'n')], aliases: { 'url:x': 'x' } }),
        change('a', { pruned: { aliases: { 'url:x': 'x' }, ids: [] } }),
      ]);
      expect(await store.resolveAliases(['url:x'])).toEqual(new Map([['url:x', 'x']]));
    });

    it.each([
      ['two changes of one source', () => [change('a'), change('a')], 'source "a" has two changes'],
      ['one article written under two sources', () => [change('a', { upserts: [article('a', 'x')] }), change('b', { upserts: [article('b', 'x')] })], 'article "x" is upserted under "a" and "b"'],
      ['no change at all', () => [], 'a commit needs at least one'],
    ])('refuses %s, writing nothing', async (_what, changes, message) => {
      const store = await fixture.open();
      const error: unknown = await store.commitSources(changes()).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toContain(message);
      expect(await store.getStates(['a', 'b'])).toEqual(new Map());
      expect(await store.getArticles([...of('a', 'x'), ...of('b', 'x')])).toEqual(new Map());
    });
  });
}
