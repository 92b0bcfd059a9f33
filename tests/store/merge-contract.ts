/**
 * Store.mergeSource on every backend: a source whose id changed after a
 * cycle already stored records under the new id. The old id's records are
 * combined with the new id's whole (each item once, under the id and GUID
 * first published), or, when the merge is refused, nothing changes. Run by
 * each backend's test file with the contract's harness.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { Alert, Article, SourceAliasEntry } from '../../src/model/index.js';
import { mergeArticle } from '../../src/pipeline/index.js';
import type { Store, StoreBackend } from '../../src/store/index.js';
import { harnessPerTest, of, type StoreHarness } from './contract.js';
import { article, at, change, state } from './fixtures.js';

const OLD = 'lab';
const NEW = 'frontier-lab';

function alert(sourceId: string, minutes: number): Alert {
  return { id: `${sourceId}:failing:${at(minutes)}`, sourceId, kind: 'failing', at: at(minutes), message: `${sourceId} is failing`, error: null };
}

const renamed = (stored: Article): Article => ({ ...stored, sourceId: NEW, credit: { ...stored.credit, sourceId: NEW } });

/** An item of the old source (`a…`, first seen at `minutes`), and the new source's copy of it (fetched later, edited since). */
function pair(oldId: string, newId: string, minutes: number): [Article, Article] {
  const first = article(OLD, oldId, { published: at(minutes), firstSeen: at(minutes), upstreamGuid: `g-${oldId}` });
  const again = article(NEW, newId, {
    url: first.url,
    published: at(minutes),
    firstSeen: at(40),
    upstreamGuid: `g-${oldId}`,
    title: `${oldId}, edited`,
    contentHtml: `<p>${oldId} as it reads now</p>`,
  });
  return [first, again];
}

/** Registers the merge suite for `backend`. */
export function mergeContract(backend: StoreBackend, makeHarness: () => Promise<StoreHarness>): void {
  describe(`mergeSource: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);
    let store: Store;
    // a1 has a link: the new id found it by its URL alias and stored nothing. a2 (guid only) and a3 (neither link
    // nor guid) it stored again, as b2 and b3. a4 the old id had retired; the new id stored it again as b4.
    const a1 = article(OLD, 'a1', { published: at(1), firstSeen: at(1) });
    const [a2, b2] = pair('a2', 'b2', 2);
    const [a3, b3] = pair('a3', 'b3', 3);
    const [a4, b4] = pair('a4', 'b4', 4);
    const a5 = article(OLD, 'a5', { published: at(5), firstSeen: at(5) });
    const n6 = article(NEW, 'n6', { published: at(45), firstSeen: at(45) });
    // Held by both under the same id.
    const [a7, b7] = pair('a7', 'a7', 7);
    const oldEntries: SourceAliasEntry[] = [
      { id: 'a1', keys: ['url:https://lab.example/a1', 'guid:lab:g1'] },
      { id: 'a2', keys: ['guid:lab:g2'] },
      { id: 'a3', keys: ['item:lab:h3'] },
      { id: 'a4', keys: ['guid:lab:g4'], listedDay: 19900 },
      { id: 'a5', keys: ['guid:lab:g5'] },
      { id: 'a7', keys: ['url:https://lab.example/a7'] },
    ];
    const newEntries: SourceAliasEntry[] = [
      { id: 'a1', keys: ['url:https://lab.example/a1', 'guid:frontier-lab:g1'], listedDay: 20000, foreign: true },
      { id: 'b2', keys: ['guid:frontier-lab:g2', 'url:https://mirror.example/a2'] },
      { id: 'b3', keys: ['item:frontier-lab:h3'] },
      { id: 'b4', keys: ['guid:frontier-lab:g4'] },
      { id: 'n6', keys: ['guid:frontier-lab:g6'] },
      { id: 'a7', keys: ['url:https://lab.example/a7'] },
    ];

    beforeEach(async () => {
      store = await fixture.open();
      await store.commitSource(
        change(OLD, {
          state: state(OLD, { etag: '"old"', lastSuccessAt: at(10), bytesFetched: 100, revision: 6 }),
          upserts: [a1, a2, a3, a4, a5, a7],
          aliases: { 'url:https://lab.example/a1': 'a1', 'guid:lab:g1': 'a1', 'guid:lab:g2': 'a2', 'item:lab:h3': 'a3', 'guid:lab:g4': 'a4', 'guid:lab:g5': 'a5', 'url:https://lab.example/a7': 'a7' },
          alerts: [alert(OLD, 1)],
          sourceAliases: oldEntries,
        }),
      );
      await store.commitSource(change(OLD, { state: state(OLD, { etag: '"old"', lastSuccessAt: at(10), bytesFetched: 100, revision: 7 }), deletes: ['a4'] }));
      await store.commitSource(
        change(NEW, {
          state: state(NEW, { etag: '"new"', lastSuccessAt: at(50), bytesFetched: 40, revision: 2, nextAttemptAt: at(80) }),
          upserts: [b2, b3, b4, n6, b7],
          aliases: { 'guid:frontier-lab:g1': 'a1', 'guid:frontier-lab:g2': 'b2', 'url:https://mirror.example/a2': 'b2', 'item:frontier-lab:h3': 'b3', 'guid:frontier-lab:g4': 'b4', 'guid:frontier-lab:g6': 'n6' },
          alerts: [alert(NEW, 60)],
          sourceAliases: newEntries,
        }),
      );
    });

    it('keeps each item once, under the id first published, and combines the rest of both sources', async () => {
      expect(await store.mergeSource(OLD, NEW, mergeArticle)).toEqual({ articles: 5, tombstones: 1, aliases: 5, records: 15, bothHeld: 4, duplicates: 3, stored: 6 });

      // A new connection: the merge is in the store, not in this one's memory.
      const after = await fixture.open();
      // The fresher reading (the new id's), under the old article's id, GUID and firstSeen.
      const combined = (old: Article, fresh: Article): Article => ({ ...fresh, id: old.id, guid: old.guid, firstSeen: old.firstSeen });
      const held = await after.getArticles(of(NEW, 'a1', 'a2', 'a3', 'a4', 'a5', 'n6', 'a7', 'b2', 'b3', 'b4'));
      expect(Object.fromEntries(held)).toEqual({
        a1: renamed(a1),
        a2: combined(a2, b2),
        a3: combined(a3, b3),
        a5: renamed(a5),
        n6,
        a7: combined(a7, b7),
      });
      expect(JSON.parse((await fixture.harness.readRaw('article:frontier-lab:a4'))!).value).toMatchObject({ tombstone: true, id: 'a4', sourceId: NEW });
      for (const id of ['b2', 'b3', 'b4']) expect(await fixture.harness.readRaw(`article:frontier-lab:${id}`)).toBeNull();
      for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a7']) expect(await fixture.harness.readRaw(`article:lab:${id}`)).toBeNull();

      expect((await after.getIndex(NEW)).map((entry) => entry.id)).toEqual(['n6', 'a7', 'a5', 'a3', 'a2', 'a1']);
      expect(await after.getIndex(OLD)).toEqual([]);
      expect((await after.listNewest({ sourceIds: [NEW], limit: 10 })).map((each) => each.guid)).toEqual(['n6', 'a7', 'a5', 'a3', 'a2', 'a1'].map((id) => `urn:byline:${id}`));

      const aliasKeys = ['guid:frontier-lab:g1', 'guid:frontier-lab:g2', 'item:frontier-lab:h3', 'guid:frontier-lab:g4', 'guid:frontier-lab:g5', 'guid:frontier-lab:g6', 'url:https://mirror.example/a2', 'url:https://lab.example/a1'];
      expect(Object.fromEntries(await after.resolveAliases([...aliasKeys, 'guid:lab:g1', 'guid:lab:g2', 'item:lab:h3']))).toEqual({
        'guid:frontier-lab:g1': 'a1',
        'guid:frontier-lab:g2': 'a2',
        'item:frontier-lab:h3': 'a3',
        'guid:frontier-lab:g4': 'a4',
        'guid:frontier-lab:g5': 'a5',
        'guid:frontier-lab:g6': 'n6',
        'url:https://mirror.example/a2': 'a2',
        'url:https://lab.example/a1': 'a1',
      });

      // The new id's fetch state, with the merged counts and a revision above both.
      expect(await after.getState(OLD)).toBeNull();
      expect(await after.getState(NEW)).toEqual(
        state(NEW, { etag: '"new"', lastSuccessAt: at(50), nextAttemptAt: at(80), bytesFetched: 140, revision: 8, itemsStored: 6, oldestKept: at(1) }),
      );
      expect(await after.listAlerts([NEW], 10)).toEqual([alert(NEW, 60), { ...alert(OLD, 1), sourceId: NEW }]);
      expect(await after.listAlerts([OLD], 10)).toEqual([]);

      expect(await after.getSourceAliases(OLD)).toEqual([]);
      expect(await after.getSourceAliases(NEW)).toEqual([
        { id: 'a1', keys: ['url:https://lab.example/a1', 'guid:frontier-lab:g1'] },
        { id: 'a2', keys: ['guid:frontier-lab:g2', 'url:https://mirror.example/a2'] },
        { id: 'a3', keys: ['item:frontier-lab:h3'] },
        { id: 'a4', keys: ['guid:frontier-lab:g4'], listedDay: 19900 },
        { id: 'a5', keys: ['guid:frontier-lab:g5'] },
        { id: 'a7', keys: ['url:https://lab.example/a7'] },
        { id: 'n6', keys: ['guid:frontier-lab:g6'] },
      ]);
    });

    it("keeps the old source's copy as it is when the old source fetched last", async () => {
      await store.commitSource(change(OLD, { state: state(OLD, { lastSuccessAt: at(90), revision: 8 }) }));
      await store.mergeSource(OLD, NEW, mergeArticle);
      expect(Object.fromEntries(await store.getArticles(of(NEW, 'a2', 'a7')))).toEqual({ a2: renamed(a2), a7: renamed(a7) });
    });

    it('leaves a store the next commit under the new id builds on', async () => {
      await store.mergeSource(OLD, NEW, mergeArticle);
      const a8 = article(NEW, 'a8', { published: at(99), firstSeen: at(99) });
      await store.commitSource(change(NEW, { upserts: [a8], deletes: ['a1', 'b2'] }));
      expect((await store.getIndex(NEW)).map((entry) => entry.id)).toEqual(['a8', 'n6', 'a7', 'a5', 'a3', 'a2']);
    });

    it('moves the records as a rename does when the new id has none', async () => {
      const moved = await store.mergeSource('lab', 'lab-2', mergeArticle);
      expect(moved).toMatchObject({ articles: 5, tombstones: 1, bothHeld: 0, duplicates: 0, stored: 5 });
      expect((await store.getIndex('lab-2')).map((entry) => entry.id)).toEqual(['a7', 'a5', 'a3', 'a2', 'a1']);
      expect(await store.getState('lab-2')).toMatchObject({ sourceId: 'lab-2', etag: '"old"', revision: 8, itemsStored: 5 });
    });

    it('refuses, changing nothing, when a record cannot be read or the old id has none', async () => {
      const keys = ['article:lab:a2', 'article:frontier-lab:b2', 'alias:guid:frontier-lab:g2', 'state:frontier-lab', 'index:frontier-lab', 'aliases-of:frontier-lab'];
      await fixture.harness.writeRaw('article:frontier-lab:b3', '{"value": {"id": "b3"');
      const before = await Promise.all(keys.map((key) => fixture.harness.readRaw(key)));
      const refused = await store.mergeSource(OLD, NEW, mergeArticle).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StoreError);
      expect((refused as Error).message).toMatch(
        new RegExp(`^store\\(${backend}\\): mergeSource: unreadable record at key "article:frontier-lab:b3": not JSON .*; nothing was merged$`),
      );
      expect(await Promise.all(keys.map((key) => fixture.harness.readRaw(key)))).toEqual(before);
      await expect(store.mergeSource('nowhere', NEW, mergeArticle)).rejects.toThrow(`store(${backend}): mergeSource: source "nowhere" has no records in this store; nothing was merged`);
      await expect(store.mergeSource(NEW, NEW, mergeArticle)).rejects.toThrow(/mergeSource: "frontier-lab" is already the source's id/);
    });
  });
}
