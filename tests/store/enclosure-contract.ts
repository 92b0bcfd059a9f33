/**
 * Articles and their audio/video enclosure in a store backend: an article
 * stored before the enclosure was kept (no such field) still loads and
 * renders, and one with an enclosure keeps it across a reopen.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/model/index.js';
import { renderAtom, renderJsonFeed, renderRss } from '../../src/render/index.js';
import type { StoreBackend } from '../../src/store/index.js';
import { checkRss } from '../render/feed-rules-rss.js';
import { makeMeta } from '../render/fixtures.js';
import { harnessPerTest, of, type StoreHarness } from './contract.js';
import { article, change } from './fixtures.js';

/** The text an article record had before enclosures were kept: a JSON head line without the field, then the HTML. */
function oldShapeRecord(stored: Article): string {
  const { enclosure: _none, ...fields } = stored;
  return `${JSON.stringify({ value: { ...fields, contentHtml: null }, expires: null, tail: 'contentHtml' })}\n${stored.contentHtml}`;
}

export function enclosureContract(backend: StoreBackend, makeHarness: () => Promise<StoreHarness>): void {
  describe(`Store enclosures: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);

    it('loads an article stored without the enclosure field, lists it, and renders it as before', async () => {
      const old = article('s', 'a');
      const store = await fixture.open();
      await store.commitSource(change('s', { upserts: [old] }));
      const raw = oldShapeRecord(old);
      expect(raw).not.toContain('enclosure');
      await fixture.harness.writeRaw('article:s:a', raw);

      const reader = await fixture.open();
      const loaded = (await reader.getArticles(of('s', 'a'))).get('a');
      expect(loaded).toEqual(old);
      expect(loaded).not.toHaveProperty('enclosure');
      const [listed] = await reader.listNewest({ sourceIds: ['s'], limit: 10 });
      expect(listed).toEqual(old);

      const meta = makeMeta();
      const rss = renderRss(meta, [listed!]);
      expect(checkRss(rss, { selfUrl: meta.selfUrls.rss })).toEqual([]);
      expect(rss).toContain(`<enclosure url="${old.image!.url}" length="1234" type="image/png"/>`);
      expect(renderAtom(meta, [listed!])).toContain(`<link rel="enclosure" href="${old.image!.url}" type="image/png" length="1234"/>`);
      const json = JSON.parse(renderJsonFeed(meta, [listed!])) as { items: Array<Record<string, unknown>> };
      expect(json.items[0]).not.toHaveProperty('attachments');
      expect(json.items[0]!['title']).toBe(old.title);
    });

    it('keeps an article\'s enclosure across a reopen', async () => {
      const episode = article('s', 'ep', { enclosure: { url: 'https://s.example/ep.mp3', type: 'audio/mpeg', length: 987_654 } });
      await (await fixture.open()).commitSource(change('s', { upserts: [episode] }));
      const loaded = (await (await fixture.open()).getArticles(of('s', 'ep'))).get('ep');
      expect(loaded).toEqual(episode);
      expect(loaded?.enclosure).toEqual({ url: 'https://s.example/ep.mp3', type: 'audio/mpeg', length: 987_654 });
    });
  });
}
