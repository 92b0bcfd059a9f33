/**
 * Where each backend keeps an article (under its source), and the upgrade of
 * a store written before it did: the same suite for every backend, run by
 * each backend's test file with the contract's harness.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { Store, StoreBackend } from '../../src/store/index.js';
import { harnessPerTest, of, type StoreHarness } from './contract.js';
import { article, change } from './fixtures.js';

/** What a layout test needs beyond the contract's harness. */
export interface LayoutHarness extends StoreHarness {
  deleteRaw(key: string): Promise<void>;
  /** Marks the data as written before the key layout had a version (the layout before articles moved). */
  forgetLayout(): Promise<void>;
}

/** Registers the layout suite for `backend`. */
export function layoutContract(backend: StoreBackend, makeHarness: () => Promise<LayoutHarness>): void {
  describe(`article layout: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);
    const { open } = fixture;
    let warnings: string[];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.message);
    };

    beforeEach(() => {
      warnings = [];
      process.on('warning', onWarning);
    });

    afterEach(() => {
      process.off('warning', onWarning);
    });

    /** Rewrites each record as the layout before kept it: under `article:<id>`. */
    async function asBefore(refs: Array<{ sourceId: string; id: string }>): Promise<Map<string, string>> {
      const raws = new Map<string, string>();
      for (const { sourceId, id } of refs) {
        const raw = await fixture.harness.readRaw(`article:${sourceId}:${id}`);
        expect(raw, id).not.toBeNull();
        await fixture.harness.writeRaw(`article:${id}`, raw!);
        await fixture.harness.deleteRaw(`article:${sourceId}:${id}`);
        raws.set(id, raw!);
      }
      await fixture.harness.forgetLayout();
      return raws;
    }

    it('keeps an article under its source: asked for under another source, it is absent', async () => {
      const store = await open();
      await store.commitSource(change('s', { upserts: [article('s', 'a')] }));
      expect(await fixture.harness.readRaw('article:s:a')).not.toBeNull();
      expect(await fixture.harness.readRaw('article:a')).toBeNull();
      expect([...(await store.getArticles(of('s', 'a'))).keys()]).toEqual(['a']);
      expect(await store.getArticles(of('t', 'a'))).toEqual(new Map());
    });

    it('does not read a record kept under another source than its own', async () => {
      const store = await open();
      await store.commitSource(change('s', { upserts: [article('s', 'a')] }));
      await fixture.harness.writeRaw('article:t:a', (await fixture.harness.readRaw('article:s:a'))!);
      const error: unknown = await store.getArticles(of('t', 'a')).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).message).toContain('"article:t:a"');
      expect((error as StoreError).message).toContain('of source "s"');
    });

    it('moves every article of an older store under its source when opened, bytes unchanged', async () => {
      const first = await open();
      const a = article('s', 'a', { contentHtml: '<p>模型\nline two</p>' });
      const odd = article('t', 'b:with/odd?chars');
      await first.commitSource(change('s', { upserts: [a, article('s', 'c')], aliases: { 'guid:s:a': 'a' } }));
      await first.commitSource(change('s', { deletes: ['c'] }));
      await first.commitSource(change('t', { upserts: [odd] }));
      await first.close();
      const before = await asBefore([...of('s', 'a', 'c'), ...of('t', odd.id)]);

      const store = await open();
      expect(await store.getArticles(of('s', 'a', 'c'))).toEqual(new Map([['a', a]]));
      expect(await store.getArticles(of('t', odd.id))).toEqual(new Map([[odd.id, odd]]));
      expect((await store.listNewest({ sourceIds: ['s', 't'], limit: 10 })).map((item) => item.id).sort()).toEqual(['a', odd.id].sort());
      expect(await store.resolveAliases(['guid:s:a'])).toEqual(new Map([['guid:s:a', 'a']]));
      for (const [sourceId, id] of [['s', 'a'], ['s', 'c'], ['t', odd.id]] as const) {
        expect(await fixture.harness.readRaw(`article:${id}`), id).toBeNull();
        // The tombstone of c moves too: c stays deleted.
        expect(await fixture.harness.readRaw(`article:${sourceId}:${id}`), id).toBe(before.get(id));
      }
      expect(warnings).toEqual([]);
    });

    it('moves once: a store at the current layout is not scanned again', async () => {
      const store = await open();
      await store.commitSource(change('s', { upserts: [article('s', 'a')] }));
      await store.close();
      const raw = await asBefore(of('s', 'a'));
      await open();
      expect(await fixture.harness.readRaw('article:s:a')).toBe(raw.get('a'));
      // Written as the old layout did, after the upgrade: no later open moves it.
      await fixture.harness.writeRaw('article:x', raw.get('a')!.replace('"id":"a"', '"id":"x"'));
      await open();
      expect(await fixture.harness.readRaw('article:x')).not.toBeNull();
      expect(await fixture.harness.readRaw('article:s:x')).toBeNull();
    });

    it('leaves a record it cannot read where it was, says so, and moves the rest', async () => {
      const store = await open();
      await store.commitSource(change('s', { upserts: [article('s', 'a')] }));
      await store.close();
      await fixture.harness.writeRaw('article:broken', '{"value": {"id": "broken",');
      await asBefore(of('s', 'a'));

      const reopened = await open();
      expect([...(await reopened.getArticles(of('s', 'a'))).keys()]).toEqual(['a']);
      expect(await fixture.harness.readRaw('article:broken')).toBe('{"value": {"id": "broken",');
      await expect.poll(() => warnings).toEqual([
        `store(${backend}): 1 article record(s) could not be read and stay under their old keys, where nothing reads them (1 moved under their source)`,
      ]);
    });
  });
}
