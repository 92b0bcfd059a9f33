/**
 * Archive page numbers past the page count, over a real SQLite store and a
 * real listener on 127.0.0.1: they are answered 404 from the page count the
 * site learns with each revision's snapshot, without a render and without an
 * entry left in the output cache, on the render thread (`byline run`) and on
 * the event loop alike. The pages that exist are served as before, and a page
 * a new revision completes is served from that revision on. The check
 * without a render agrees with what a render publishes.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSourceSchema, SettingsSchema, type Config } from '../../src/config/index.js';
import { isPublished, loadSnapshot, OUTPUT_FILES, renderPath } from '../../src/jobs/publish.js';
import { initialSourceState, type Article } from '../../src/model/index.js';
import { createSite, listen, type Site } from '../../src/server/index.js';
import { openSqliteStore, SourceChangeSchema, type Store } from '../../src/store/index.js';
import { makeArticle } from '../helpers/articles.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-archive-bounds-');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOW = new Date('2026-11-22T00:00:00.000Z');
const PAGE_SIZE = 10;

function makeConfig(): Config {
  return {
    dir: 'feeds',
    settings: SettingsSchema.parse({ title: 'Byline', link: 'https://byline.example/', output: { archivePageSize: PAGE_SIZE } }),
    sources: [ConfigSourceSchema.parse({ id: 'src', name: 'Source', url: 'https://example.com/feed.xml', site: 'https://example.com/' })],
  };
}

/** Articles `from` to `to - 1`, first seen a day before NOW and a second apart, so every full page is complete. */
function articles(from: number, to: number): Article[] {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    const seen = new Date(NOW.getTime() - 24 * 3_600_000 + i * 1000).toISOString();
    return makeArticle({ id: `a${i}`, title: `Item ${i}`, published: seen, firstSeen: seen });
  });
}

let revision = 0;
async function commit(store: Store, upserts: Article[]): Promise<void> {
  const state = { ...initialSourceState('src'), status: 'ok' as const, itemsStored: upserts.length, revision: ++revision };
  await store.commitSource(SourceChangeSchema.parse({ sourceId: 'src', state, upserts, deletes: [], aliases: {} }));
}

interface Served {
  store: Store;
  site: Site;
  /** GETs a path of the site over HTTP: its status and body text. */
  get(path: string): Promise<{ status: number; text: string }>;
  /** What the same store renders in-process at `path`, as `byline build` would write it. */
  expected(path: string): Promise<string | null>;
}

async function serve(options: { renderThread: boolean }): Promise<Served> {
  const file = path.join(tempDir(), 'byline.sqlite');
  const store = await openSqliteStore({ file });
  const config = makeConfig();
  const site = createSite({
    config,
    store,
    now: () => NOW,
    checkIntervalMs: 0,
    ...(options.renderThread ? { renderThread: { store: { url: `sqlite:${file}` } } } : {}),
  });
  const { server, url } = await listen(site.app, 0, '127.0.0.1');
  cleanups.push(async () => {
    await closeServer(server);
    await site.outputs.idle();
    await site.close();
    await store.close();
  });
  return {
    store,
    site,
    async get(pathname) {
      const response = await fetch(new URL(pathname, url));
      return { status: response.status, text: await response.text() };
    },
    async expected(file) {
      return renderPath(await loadSnapshot(config, store, { now: () => NOW }), file);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Distinct page numbers past any page these tests complete, up to the largest the routes accept. */
const absentPages = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `/archive/${i === 0 ? 999_999_999 : 100 + i}.${['xml', 'atom', 'json'][i % 3]}`);

/** Sends the requests a few at a time, as a crawler with a handful of connections would. */
async function getAll(served: Served, paths: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (let start = 0; start < paths.length; start += 20) {
    const batch = await Promise.all(paths.slice(start, start + 20).map((file) => served.get(file)));
    statuses.push(...batch.map((answer) => answer.status));
  }
  return statuses;
}

describe('archive pages past the count, on the render thread', () => {
  it('serves the pages that exist as before, and answers a page past the count 404 without a render', async () => {
    const served = await serve({ renderThread: true });
    await commit(served.store, articles(0, 25));

    for (const file of ['archive/1.xml', 'archive/2.atom', 'archive/2.json']) {
      const answer = await served.get(`/${file}`);
      expect(answer.status, file).toBe(200);
      expect(answer.text, file).toBe(await served.expected(file));
    }
    const before = served.site.stats();
    expect(before.renderThread).toMatchObject({ snapshots: 1, rendered: 3 });

    for (const file of ['/archive/3.xml', '/archive/3.atom', '/archive/3.json', '/archive/999999999.xml']) {
      expect((await served.get(file)).status, file).toBe(404);
    }
    expect(served.site.stats()).toEqual(before);
    // The pages that exist still answer with the same bytes.
    expect(await served.get('/archive/2.json')).toEqual({ status: 200, text: await served.expected('archive/2.json') });
  });

  it('keeps nothing for page numbers past the count, however many are asked for', async () => {
    const served = await serve({ renderThread: true });
    await commit(served.store, articles(0, 25));
    expect((await served.get('/feed.xml')).status).toBe(200);
    const before = served.site.stats();

    const statuses = await getAll(served, absentPages(600));
    expect(new Set(statuses)).toEqual(new Set([404]));
    expect(served.site.stats()).toEqual(before);
    expect(before.outputs.paths).toBe(1);
  });

  it('serves a page once a new revision completes it, having answered 404 for it before without a render', async () => {
    const served = await serve({ renderThread: true });
    await commit(served.store, articles(0, 15));
    expect((await served.get('/archive/1.xml')).status).toBe(200);
    const rendered = served.site.stats().renderThread!.rendered;
    expect((await served.get('/archive/2.xml')).status).toBe(404);
    expect(served.site.stats().renderThread!.rendered).toBe(rendered);

    await commit(served.store, articles(15, 25));
    const answer = await served.get('/archive/2.xml');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<title>Item 19</title>');
    expect(answer.text).toBe(await served.expected('archive/2.xml'));
    // The new revision's snapshot was read once, and its page count let page 3 be turned away without a render.
    const after = served.site.stats().renderThread!;
    expect((await served.get('/archive/3.xml')).status).toBe(404);
    expect(served.site.stats().renderThread).toEqual(after);
    expect(after.snapshots).toBe(2);
  });
});

describe('archive pages past the count, rendered on the event loop', () => {
  it('answers them 404 without a build and keeps nothing for them, while the pages that exist are served', async () => {
    const served = await serve({ renderThread: false });
    await commit(served.store, articles(0, 25));
    expect(await served.get('/archive/2.xml')).toEqual({ status: 200, text: await served.expected('archive/2.xml') });
    const before = served.site.stats();
    expect(before).toEqual({ outputs: { paths: 1, bodies: 1, builds: 1 }, renderThread: null });

    const statuses = await getAll(served, absentPages(300));
    expect(new Set(statuses)).toEqual(new Set([404]));
    expect(served.site.stats()).toEqual(before);

    await commit(served.store, articles(25, 35));
    expect(await served.get('/archive/3.atom')).toEqual({ status: 200, text: await served.expected('archive/3.atom') });
  });
});

describe('isPublished', () => {
  it('tells, from the page count alone, exactly the paths a render publishes', async () => {
    const store = await openSqliteStore({ file: path.join(tempDir(), 'byline.sqlite') });
    cleanups.push(() => store.close());
    await commit(store, articles(0, 25));
    const snapshot = await loadSnapshot(makeConfig(), store, { now: () => NOW });
    expect(snapshot.archive.pageCount).toBe(2);
    const paths = [
      ...Object.values(OUTPUT_FILES),
      'archive/index.html',
      ...['1.xml', '2.atom', '2.json', '3.xml', '3.json', '0.xml', '01.xml', '999999999.atom', '2.html', 'x.xml'].map((name) => `archive/${name}`),
      'archive/',
      'nothing.xml',
      '',
    ];
    for (const file of paths) {
      expect(isPublished(file, snapshot.archive.pageCount), file).toBe((await renderPath(snapshot, file)) !== null);
    }
    expect(paths.filter((file) => isPublished(file, 2))).toHaveLength(Object.values(OUTPUT_FILES).length + 4);
  });
});
