/**
 * End to end, in process: a site moves to https and to `www.` between two
 * fetches, and its permalink guids (the links themselves) move with it, so
 * every alias key of every item changes at once. Served by a fixture HTTP
 * server into a real SQLite store, the items must stay the articles already
 * stored, with their GUIDs, and not come back as duplicates.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { writeConfig } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-moved-');
let server: FixtureServer;
let ctx: Context | null = null;

beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  await ctx?.close();
  ctx = null;
  await server.close();
});

/** The feed with its links (and permalink guids) under `origin`; `extra` items first. */
function feed(origin: string, posts: number[], body = 'Body'): string {
  const items = posts
    .map((n) => `<item><title>Post ${n}</title><link>${origin}/posts/${n}</link><guid>${origin}/posts/${n}</guid><pubDate>Wed, 2${n} Nov 2026 10:00:00 GMT</pubDate><description>${body} ${n}</description></item>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Lab</title><link>${origin}/</link><description>d</description>${items}</channel></rss>`;
}

async function cycle(dir: string) {
  ctx ??= await openContext({ config: path.join(dir, 'feeds'), store: `sqlite:${path.join(dir, 'byline.sqlite')}` });
  const report = await runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 1, force: true });
  return report.outcomes[0]!;
}

async function stored(): Promise<Array<{ id: string; url: string; title: string }>> {
  const index = await ctx!.store.getIndex('lab');
  const articles = await ctx!.store.getArticles(index.map(({ id }) => ({ sourceId: 'lab', id })));
  return [...articles.values()].map(({ id, url, title }) => ({ id, url, title })).sort((a, b) => a.title.localeCompare(b.title));
}

describe('a site that moves to https and www', () => {
  it('keeps its articles and their GUIDs, takes the new links, and finds them directly from then on', async () => {
    const dir = tempDir();
    writeConfig(dir, server, [{ id: 'lab', name: 'Lab', path: '/lab.xml', site: 'http://lab.example/' }]);
    server.route('/lab.xml', { body: feed('http://lab.example', [1, 2, 3]), type: 'application/rss+xml' });
    expect((await cycle(dir)).added).toBe(3);
    const before = await stored();

    server.route('/lab.xml', { body: feed('https://www.lab.example', [1, 2, 3]), type: 'application/rss+xml' });
    const moved = await cycle(dir);
    expect([moved.status, moved.added, moved.updated, moved.state.itemsStored]).toEqual(['updated', 0, 3, 3]);
    const after = await stored();
    expect(after.map(({ id, title }) => ({ id, title }))).toEqual(before.map(({ id, title }) => ({ id, title })));
    expect(after.map(({ url }) => url)).toEqual([1, 2, 3].map((n) => `https://www.lab.example/posts/${n}`));

    // The new links are aliases now: a new post beside the moved ones is the only addition.
    server.route('/lab.xml', { body: feed('https://www.lab.example', [1, 2, 3, 4]), type: 'application/rss+xml' });
    const next = await cycle(dir);
    expect([next.added, next.updated, next.state.itemsStored]).toEqual([1, 0, 4]);
    expect((await stored()).slice(0, 3)).toEqual(after);
  });

  it('still adds a feed of new items as new when its source has stored others', async () => {
    const dir = tempDir();
    writeConfig(dir, server, [{ id: 'lab', name: 'Lab', path: '/lab.xml', site: 'https://lab.example/' }]);
    server.route('/lab.xml', { body: feed('https://lab.example', [1, 2]), type: 'application/rss+xml' });
    await cycle(dir);
    server.route('/lab.xml', { body: feed('https://lab.example', [5, 6]), type: 'application/rss+xml' });
    const fresh = await cycle(dir);
    expect([fresh.added, fresh.state.itemsStored]).toEqual([2, 4]);
  });
});
