/**
 * Lead images whose URL has no file extension: the feeds give them the type
 * their server answers to the HEAD request byline already sends (an image/*
 * type, parameters left off), and, when nothing is known, no type where the
 * format lets one be left out (Atom's link, Media RSS) and the documented
 * fallback where it does not (the RSS enclosure). Over a real SQLite store and
 * a fixture server.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSourceSchema, SettingsSchema, type Config } from '../../src/config/index.js';
import { createImageLengths, unknownImageUrls } from '../../src/jobs/image-lengths.js';
import { loadSnapshot, renderPath } from '../../src/jobs/publish.js';
import { initialSourceState } from '../../src/model/index.js';
import { openSqliteStore, SourceChangeSchema, type Store } from '../../src/store/index.js';
import { makeArticle } from '../helpers/articles.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-image-types-');
let server: FixtureServer;
let store: Store;
beforeEach(async () => {
  server = await startFixtureServer();
  server.route('/img/abc123', { body: Buffer.alloc(321, 1), type: 'image/png; qs=0.9' });
  server.route('/img/resized', { body: Buffer.alloc(654, 1), type: 'IMAGE/WEBP' });
  server.route('/img/blob', { body: Buffer.alloc(99, 1), type: 'application/octet-stream' });
  store = await openSqliteStore({ file: path.join(tempDir(), 'byline.sqlite') });
});
afterEach(async () => {
  await store.close();
  await server.close();
});

const NOW = new Date('2026-11-22T00:00:00.000Z');

function makeConfig(): Config {
  return {
    dir: 'feeds',
    settings: SettingsSchema.parse({ title: 'Byline', link: 'https://byline.example/' }),
    sources: [ConfigSourceSchema.parse({ id: 'src', name: 'Source', url: 'https://example.com/feed.xml', site: 'https://example.com/' })],
  };
}

/** Publishes one article per image URL, with the types learned over HTTP; returns the RSS and Atom documents. */
async function publish(imageUrls: string[]): Promise<{ rss: string; atom: string }> {
  const upserts = imageUrls.map((url, i) =>
    makeArticle({ id: `a${i}`, sourceId: 'src', published: NOW.toISOString(), image: { url, type: null, length: null } }),
  );
  const state = { ...initialSourceState('src'), status: 'ok' as const, itemsStored: upserts.length, revision: 1 };
  await store.commitSource(SourceChangeSchema.parse({ sourceId: 'src', state, upserts, deletes: [], aliases: {} }));
  const learned = createImageLengths({ allowPrivateAddresses: true });
  await learned.fill(unknownImageUrls(upserts));
  const snapshot = await loadSnapshot(makeConfig(), store, { now: () => NOW, imageLengths: learned });
  return { rss: (await renderPath(snapshot, 'feed.xml'))!, atom: (await renderPath(snapshot, 'atom.xml'))! };
}

const tagOf = (xml: string, name: string, url: string): string => {
  const escaped = url.replace(/&/g, '&amp;');
  const found = xml.split('<').find((tag) => tag.startsWith(name) && tag.includes(`"${escaped}"`));
  if (!found) throw new Error(`no <${name}> for ${url}`);
  return found;
};

describe('an extension-less lead image', () => {
  it('takes the image type its server answers, parameters left off', async () => {
    const png = server.url('/img/abc123');
    const webp = `${server.url('/img/resized')}?w=800`;
    const { rss, atom } = await publish([png, webp]);
    expect(tagOf(rss, 'enclosure', png)).toContain('type="image/png"');
    expect(tagOf(rss, 'enclosure', png)).toContain('length="321"');
    expect(tagOf(rss, 'media:content', png)).toContain('type="image/png"');
    expect(tagOf(atom, 'link rel="enclosure"', png)).toContain('type="image/png"');
    expect(tagOf(rss, 'enclosure', webp)).toContain('type="image/webp"');
    expect(tagOf(atom, 'link rel="enclosure"', webp)).toContain('type="image/webp"');
  });

  it('is given no type in media:content, and the fallback in the RSS and Atom enclosures, when nothing is known', async () => {
    const blob = server.url('/img/blob');
    const unreachable = 'http://127.0.0.1:1/img/xyz';
    const { rss, atom } = await publish([blob, unreachable]);
    for (const url of [blob, unreachable]) {
      expect(tagOf(rss, 'enclosure', url)).toContain('type="image/jpeg"');
      expect(tagOf(rss, 'media:content', url)).not.toContain('type=');
      expect(tagOf(rss, 'media:content', url)).toContain('medium="image"');
      // A typeless Atom enclosure reads as text/html to feedparser: no image to a newsletter tool.
      expect(tagOf(atom, 'link rel="enclosure"', url)).toContain('type="image/jpeg"');
    }
  });
});
