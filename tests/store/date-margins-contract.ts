/**
 * Articles and the margins of their approximate dates in a store backend: an
 * article stored before margins were kept (no such field) loads as it was,
 * and one with margins keeps them across a reopen, as the same JSON dedup
 * compares a fresh merge against, and publishes none of them.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/model/index.js';
import { mergeArticle } from '../../src/pipeline/index.js';
import { renderAtom, renderJsonFeed, renderRss } from '../../src/render/index.js';
import type { StoreBackend } from '../../src/store/index.js';
import { makeMeta } from '../render/fixtures.js';
import { harnessPerTest, of, type StoreHarness } from './contract.js';
import { article, change } from './fixtures.js';

const HOUR_MS = 3_600_000;

/** The text an article record had before margins were kept: a JSON head line without the field, then the HTML. */
function oldShapeRecord(stored: Article): string {
  const { dateMargins: _none, ...fields } = stored;
  return `${JSON.stringify({ value: { ...fields, contentHtml: null }, expires: null, tail: 'contentHtml' })}\n${stored.contentHtml}`;
}

export function dateMarginsContract(backend: StoreBackend, makeHarness: () => Promise<StoreHarness>): void {
  describe(`Store date margins: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);

    it('loads an article stored without the field as it was, and a rough reading does not rewrite it', async () => {
      const old = article('s', 'a');
      const store = await fixture.open();
      await store.commitSource(change('s', { upserts: [old] }));
      const raw = oldShapeRecord(old);
      expect(raw).not.toContain('dateMargins');
      await fixture.harness.writeRaw('article:s:a', raw);

      const reader = await fixture.open();
      const loaded = (await reader.getArticles(of('s', 'a'))).get('a');
      expect(loaded).toEqual(old);
      expect(loaded).not.toHaveProperty('dateMargins');
      const [listed] = await reader.listNewest({ sourceIds: ['s'], limit: 10 });
      expect(listed).toEqual(old);
      // Its date may have been read from "3小时前" before margins were kept: it counts as exact.
      const rough = { ...old, published: new Date(Date.parse(old.published) + 60_000).toISOString(), dateMargins: { published: HOUR_MS } };
      expect(JSON.stringify(mergeArticle(loaded!, rough))).toBe(JSON.stringify(loaded));
    });

    it('keeps the margins across a reopen, in the shape a fresh merge compares equal to, and publishes none', async () => {
      const rough = article('s', 'r', {
        enclosure: { url: 'https://s.example/ep.mp3', type: 'audio/mpeg', length: 1 },
        dateMargins: { published: HOUR_MS, updated: 60_000 },
      });
      await (await fixture.open()).commitSource(change('s', { upserts: [rough] }));
      const loaded = (await (await fixture.open()).getArticles(of('s', 'r'))).get('r');
      expect(loaded).toEqual(rough);
      expect(JSON.stringify(loaded)).toBe(JSON.stringify(rough));
      // The same reading again: dedup finds nothing to write.
      expect(JSON.stringify(mergeArticle(loaded!, rough))).toBe(JSON.stringify(loaded));

      const meta = makeMeta();
      for (const output of [renderRss(meta, [loaded!]), renderAtom(meta, [loaded!]), renderJsonFeed(meta, [loaded!])]) {
        expect(output).toContain(rough.guid);
        expect(output).not.toMatch(/margin/i);
      }
    });
  });
}
