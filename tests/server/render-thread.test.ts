/**
 * The site's render thread over a real SQLite store: every path it serves is
 * byte-identical to rendering in-process; while its worker reads and renders
 * 1,000 articles requests keep being answered; a worker that dies
 * leaves the previous body served and the error reported, and the next check
 * retries on a fresh worker; closing the site stops the worker.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSourceSchema, SettingsSchema, type Config } from '../../src/config/index.js';
import type { ImageLengths } from '../../src/jobs/image-lengths.js';
import { loadSnapshot, outputPaths, renderPath } from '../../src/jobs/publish.js';
import { initialSourceState, type Article } from '../../src/model/index.js';
import { createRenderThread, createSite, listen, RenderThreadError, type Site } from '../../src/server/index.js';
import { openSqliteStore, SourceChangeSchema, type Store } from '../../src/store/index.js';
import { makeArticle } from '../helpers/articles.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-render-thread-');
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOW = new Date('2026-11-22T00:00:00.000Z');

function makeConfig(): Config {
  return {
    dir: 'feeds',
    settings: SettingsSchema.parse({ title: 'Byline', link: 'https://byline.example/', output: { maxItems: 1000, archivePageSize: 100 } }),
    sources: [ConfigSourceSchema.parse({ id: 'src', name: 'Source', url: 'https://example.com/feed.xml', site: 'https://example.com/', credit: 'Credit Source.' })],
  };
}

/** `count` articles first seen a day before NOW (so archive pages are complete), each with `htmlBytes` of content. */
function articles(count: number, htmlBytes: number, prefix = 'a'): Article[] {
  const paragraph = `<p>${'Lorem ipsum dolor sit amet. '.repeat(Math.ceil(htmlBytes / 28)).slice(0, htmlBytes)}</p>`;
  return Array.from({ length: count }, (_, i) => {
    const seen = new Date(NOW.getTime() - 24 * 3_600_000 + i * 1000).toISOString();
    return makeArticle({
      id: `${prefix}${i}`,
      title: `Item ${prefix}${i}`,
      published: seen,
      firstSeen: seen,
      contentHtml: paragraph,
      image: i % 3 === 0 ? { url: `https://example.com/img/${i}.jpg`, type: 'image/jpeg', length: null } : null,
    });
  });
}

let revision = 0;
async function commit(store: Store, upserts: Article[]): Promise<void> {
  const state = { ...initialSourceState('src'), status: 'ok' as const, itemsStored: upserts.length, revision: ++revision };
  await store.commitSource(SourceChangeSchema.parse({ sourceId: 'src', state, upserts, deletes: [], aliases: {} }));
}

/** Image lengths as `byline run` keeps them, holding what a HEAD request would have learned. */
function knownLengths(entries: Array<[string, number]>): ImageLengths {
  const known = new Map(entries);
  return {
    get: (url) => known.get(url) ?? null,
    typeOf: () => null,
    fill: async () => 0,
    learned: () => [...known].map(([url, length]) => [url, { length, type: null }]),
    version: known.size,
  };
}

interface Setup {
  file: string;
  store: Store;
  site: Site;
  errors: string[];
}

async function setup(options: { lengths?: ImageLengths; oldGenerationMb?: number } = {}): Promise<Setup> {
  const file = path.join(tempDir(), 'byline.sqlite');
  const store = await openSqliteStore({ file });
  const errors: string[] = [];
  const site = createSite({
    config: makeConfig(),
    store,
    now: () => NOW,
    checkIntervalMs: 0,
    imageLengths: options.lengths ?? null,
    renderThread: { store: { url: `sqlite:${file}` }, ...(options.oldGenerationMb ? { oldGenerationMb: options.oldGenerationMb } : {}) },
    onError: (error, request) => errors.push(`${request.url}: ${String(error)}`),
  });
  cleanups.push(async () => {
    await site.outputs.idle();
    await site.close();
    await store.close();
  });
  return { file, store, site, errors };
}

describe('/healthz over the store', () => {
  it('answers 200 while the store reads, and 503 with the reason once it cannot', async () => {
    const { store, site } = await setup();
    expect((await site.app.fetch(new Request('http://byline.test/healthz'))).status).toBe(200);
    await store.close();
    const answer = await site.app.fetch(new Request('http://byline.test/healthz'));
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ ok: false, error: expect.stringMatching(/\S/) });
  });
});

describe('the render thread', () => {
  it('serves every path byte-identical to rendering in-process, image lengths and archive pages included', async () => {
    const lengths = knownLengths([['https://example.com/img/3.jpg', 4321]]);
    const { store, site } = await setup({ lengths });
    await commit(store, articles(250, 300));
    const snapshot = await loadSnapshot(makeConfig(), store, { now: () => NOW, imageLengths: lengths });
    const paths = [...outputPaths(snapshot), 'archive/3.xml', 'nothing.xml'];
    expect(paths).toContain('archive/2.json');
    for (const file of paths) {
      const expected = await renderPath(snapshot, file);
      const body = await site.outputs.get(file);
      expect(body?.raw.toString('utf8') ?? null, file).toBe(expected);
    }
    expect((await site.outputs.get('feed.xml'))!.raw.toString('utf8')).toContain('length="4321"');
  });

  it('keeps answering requests while it reads and renders 1,000 articles', async () => {
    const { store, site } = await setup();
    await commit(store, articles(1000, 1500));
    const { server, url } = await listen(site.app, 0, '127.0.0.1');
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const first = await fetch(new URL('feed.xml', url));
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();

    // A path never built waits for its build; meanwhile a health check and a conditional GET are answered.
    // This holds with rendering on the event loop too (the cache pauses between its steps); how long the
    // loop is held meanwhile is timing, which the serve bench's rebuild-stall figure measures instead.
    await commit(store, articles(1000, 1500, 'b'));
    const events: string[] = [];
    const built = Promise.all(['feed.json', 'atom.xml', 'index.html'].map((file) => site.outputs.get(file))).then(() => events.push('built'));
    const health = fetch(new URL('healthz', url)).then(async (response) => {
      events.push(`healthz ${response.status}`);
      await response.arrayBuffer();
    });
    const cached = fetch(new URL('feed.xml', url), { headers: { 'if-none-match': etag } }).then(async (response) => {
      events.push(`feed.xml ${response.status}`);
      await response.arrayBuffer();
    });
    await Promise.all([built, health, cached]);
    expect(events.at(-1)).toBe('built');
    expect(events.slice(0, 2).sort()).toEqual(['feed.xml 304', 'healthz 200']);
  });

  it('keeps serving the previous body when the worker dies, reports it, and retries on a fresh worker', async () => {
    // A heap far too small for 300 articles of 200 KB each, but enough for a few small ones.
    const { store, site, errors } = await setup({ oldGenerationMb: 48 });
    await commit(store, articles(3, 100));
    const before = (await site.outputs.get('feed.xml'))!;
    expect(before.raw.toString('utf8')).toContain('Item a2');

    await commit(store, articles(300, 200_000, 'big'));
    expect(site.outputs.peek('feed.xml')).toBe(before);
    await site.outputs.idle();
    expect(site.outputs.peek('feed.xml')).toBe(before);
    expect(errors.some((line) => line.startsWith('/feed.xml: RenderThreadError: render worker:'))).toBe(true);

    // Retention drops the big articles and a new one arrives: the next check renders on a new worker.
    const reported = errors.length;
    await store.commitSource(
      SourceChangeSchema.parse({
        sourceId: 'src',
        state: { ...initialSourceState('src'), status: 'ok', revision: ++revision },
        upserts: articles(1, 100, 'c'),
        deletes: articles(300, 0, 'big').map((article) => article.id),
        aliases: {},
      }),
    );
    site.outputs.peek('feed.xml');
    await site.outputs.idle();
    const after = site.outputs.peek('feed.xml')!;
    expect(after.raw.toString('utf8')).toContain('Item c0');
    expect(after.raw.toString('utf8')).toContain('Item a2');
    expect(errors).toHaveLength(reported);
    expect(after.raw.toString('utf8')).not.toContain('Item big');
  });

  it('stops its worker when the site closes, and renders no more', async () => {
    const { store, site } = await setup();
    await commit(store, articles(5, 100));
    expect(await site.outputs.get('feed.xml')).not.toBeNull();
    await site.close();
    await expect(site.outputs.get('atom.xml')).rejects.toThrow(/render thread: closed/);
    // Closing twice is harmless.
    await site.close();
  });

  it('closes its worker (and the worker its store connection) on close', async () => {
    const { file, store } = await setup();
    await commit(store, articles(5, 100));
    const thread = createRenderThread(makeConfig(), null, { store: { url: `sqlite:${file}` } });
    const snapshot = await thread.snapshot(NOW);
    expect(new TextDecoder().decode((await thread.render(snapshot, 'feed.xml'))!)).toContain('Item a4');
    expect(thread.stats()).toEqual({ started: 1, alive: true, snapshots: 1, rendered: 1 });
    await thread.close();
    expect(thread.stats().alive).toBe(false);
    await expect(thread.render(snapshot, 'feed.xml')).rejects.toThrow(RenderThreadError);
    await expect(thread.snapshot(NOW)).rejects.toThrow(RenderThreadError);
  });

  it('keeps one worker through a burst of renders, stops it once idle, and starts a fresh one for the next', async () => {
    const { file, store } = await setup();
    await commit(store, articles(5, 100));
    const thread = createRenderThread(makeConfig(), null, { store: { url: `sqlite:${file}` }, idleMs: 200 });
    cleanups.push(() => thread.close());
    const burst = await thread.snapshot(NOW);
    for (const name of ['feed.xml', 'atom.xml', 'feed.json']) expect(await thread.render(burst, name)).not.toBeNull();
    expect(thread.stats()).toEqual({ started: 1, alive: true, snapshots: 1, rendered: 3 });

    await expect.poll(() => thread.stats().alive, { timeout: 10_000 }).toBe(false);
    await commit(store, articles(6, 100, 'c'));
    const next = await thread.render(await thread.snapshot(NOW), 'feed.xml');
    expect(new TextDecoder().decode(next!)).toContain('Item c5');
    expect(thread.stats()).toEqual({ started: 2, alive: true, snapshots: 2, rendered: 4 });
  });
});
