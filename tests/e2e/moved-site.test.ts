/**
 * End to end, in process: a site moves to https and to `www.` between two
 * fetches, and its permalink guids (the links themselves) move with it, so
 * every alias key of every item changes at once. Served by a fixture HTTP
 * server into a real SQLite store, the items must stay the articles already
 * stored, with their GUIDs, and not come back as duplicates.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { useCycleContext } from '../helpers/cycle-context.js';

const fixtures = useCycleContext('byline-moved-');
/** The context the test at hand opened. */
let ctx: Context | null = null;

/** The feed with its links (and permalink guids) under `origin`, then `extra` items as written. */
function feed(origin: string, posts: number[], extra = ''): string {
  const items = posts
    .map((n) => `<item><title>Post ${n}</title><link>${origin}/posts/${n}</link><guid>${origin}/posts/${n}</guid><pubDate>Wed, 2${n} Nov 2026 10:00:00 GMT</pubDate><description>Body ${n}</description></item>`)
    .join('') + extra;
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Lab</title><link>${origin}/</link><description>d</description>${items}</channel></rss>`;
}

async function cycle(only?: string) {
  const sources = enabledSources(ctx!.config).filter((source) => only === undefined || source.id === only);
  const report = await runCycle({ sources, deps: ctx!.deps, concurrency: 1, force: true });
  return report.outcomes.find((outcome) => outcome.sourceId === (only ?? 'lab'))!;
}

async function stored(sourceId = 'lab'): Promise<Array<{ id: string; url: string; title: string }>> {
  const index = await ctx!.store.getIndex(sourceId);
  const articles = await ctx!.store.getArticles(index.map(({ id }) => ({ sourceId, id })));
  return [...articles.values()].map(({ id, url, title }) => ({ id, url, title })).sort((a, b) => a.title.localeCompare(b.title));
}

describe('a site that moves to https and www', () => {
  it('keeps its articles and their GUIDs, takes the new links, and finds them directly from then on', async () => {
    ctx = await fixtures.open([{ id: 'lab', name: 'Lab', path: '/lab.xml', site: 'http://lab.example/' }]);
    fixtures.server.route('/lab.xml', { body: feed('http://lab.example', [1, 2, 3]), type: 'application/rss+xml' });
    expect((await cycle()).added).toBe(3);
    const before = await stored();

    fixtures.server.route('/lab.xml', { body: feed('https://www.lab.example', [1, 2, 3]), type: 'application/rss+xml' });
    const moved = await cycle();
    expect([moved.status, moved.added, moved.updated, moved.state.itemsStored]).toEqual(['updated', 0, 3, 3]);
    const after = await stored();
    expect(after.map(({ id, title }) => ({ id, title }))).toEqual(before.map(({ id, title }) => ({ id, title })));
    expect(after.map(({ url }) => url)).toEqual([1, 2, 3].map((n) => `https://www.lab.example/posts/${n}`));

    // The new links are aliases now: a new post beside the moved ones is the only addition.
    fixtures.server.route('/lab.xml', { body: feed('https://www.lab.example', [1, 2, 3, 4]), type: 'application/rss+xml' });
    const next = await cycle();
    expect([next.added, next.updated, next.state.itemsStored]).toEqual([1, 0, 4]);
    expect((await stored()).slice(0, 3)).toEqual(after);
  });

  it('finds the moved items beside one linking off-site, and beside a new link another source already stored', async () => {
    ctx = await fixtures.open([
      { id: 'lab', name: 'Lab', path: '/lab.xml', site: 'http://lab.example/' },
      { id: 'mirror', name: 'Mirror', path: '/mirror.xml', site: 'https://mirror.example/' },
    ]);
    // An item about a repository: its link is not the site's, and does not move with it.
    const offSite = '<item><title>Our code</title><link>https://code.example/lab/repo</link><description>repo</description></item>';
    fixtures.server.route('/lab.xml', { body: feed('http://lab.example', [1, 2, 3], offSite), type: 'application/rss+xml' });
    fixtures.server.route('/mirror.xml', { body: feed('https://mirror.example', [7]), type: 'application/rss+xml' });
    expect((await cycle('lab')).added).toBe(4);
    const before = await stored();

    // The mirror picks up post 1 at its new address before the lab's next fetch.
    fixtures.server.route('/mirror.xml', { body: feed('https://mirror.example', [7]).replace('</channel>', `<item><title>Post 1</title><link>https://lab.example/posts/1</link><description>copy</description></item></channel>`), type: 'application/rss+xml' });
    expect((await cycle('mirror')).added).toBe(2);

    fixtures.server.route('/lab.xml', { body: feed('https://lab.example', [1, 2, 3], offSite), type: 'application/rss+xml' });
    const moved = await cycle('lab');
    // Posts 2 and 3 move; post 1's new link is the mirror's already (a duplicate, as any link two sources
    // list), so the lab keeps its stored post 1 as it was, and nothing is added.
    expect([moved.added, moved.updated, moved.state.itemsStored]).toEqual([0, 2, 4]);
    const after = await stored();
    expect(after.map(({ id, title }) => ({ id, title }))).toEqual(before.map(({ id, title }) => ({ id, title })));
    expect(after.map(({ url }) => url)).toEqual([
      'https://code.example/lab/repo',
      'http://lab.example/posts/1',
      'https://lab.example/posts/2',
      'https://lab.example/posts/3',
    ]);
  });

  it('still adds a feed of new items as new when its source has stored others', async () => {
    ctx = await fixtures.open([{ id: 'lab', name: 'Lab', path: '/lab.xml', site: 'https://lab.example/' }]);
    fixtures.server.route('/lab.xml', { body: feed('https://lab.example', [1, 2]), type: 'application/rss+xml' });
    await cycle();
    fixtures.server.route('/lab.xml', { body: feed('https://lab.example', [5, 6]), type: 'application/rss+xml' });
    const fresh = await cycle();
    expect([fresh.added, fresh.state.itemsStored]).toEqual([2, 4]);
  });
});
