/**
 * Links more than one item has. A link two sources list, first seen by both
 * in the same cycle: the sources are refreshed concurrently, so each may look
 * the link up before the other's commit has landed; the article must still be
 * stored once. A link several items of one feed share over time (a live
 * blog): each item must stay itself, whichever of them the feed still lists.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { enabledSources } from '../../src/config/index.js';
import { CycleClaims } from '../../src/jobs/cycle-claims.js';
import { sourceHealth } from '../../src/jobs/health.js';
import { renderOutputs } from '../../src/jobs/publish.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { useCycleContext } from '../helpers/cycle-context.js';

const fixtures = useCycleContext('byline-shared-');

function feed(name: string, items: Array<{ guid: string; link: string; title: string }>): string {
  const entries = items.map(
    (item) => `<item><title>${item.title}</title><link>${item.link}</link><guid isPermaLink="false">${item.guid}</guid>
      <pubDate>Wed, 25 Nov 2026 09:00:00 GMT</pubDate><description>About ${item.title}</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>https://${name}.example/</link>
    <description>d</description>${entries.join('')}</channel></rss>`;
}

describe('a link two sources list, new to both in one cycle', () => {
  it('is stored once, by one of them, while no commit lands before both have planned', async () => {
    const shared = 'https://shared.example/story';
    fixtures.server.route('/a.xml', { body: feed('a', [{ guid: 'a-1', link: shared, title: 'Story' }, { guid: 'a-2', link: 'https://a.example/own', title: 'A own' }]) });
    fixtures.server.route('/b.xml', { body: feed('b', [{ guid: 'b-1', link: shared, title: 'Story, as b has it' }, { guid: 'b-2', link: 'https://b.example/own', title: 'B own' }]) });
    const ctx = await fixtures.open([
      { id: 'a', name: 'A', path: '/a.xml' },
      { id: 'b', name: 'B', path: '/b.xml' },
    ]);
    const file = ctx.storeFile;
    // Another process writing to the file (a sqlite3 shell, a build recording archive pages) holds the
    // write lock, so the cycle's commits wait for it while both sources fetch, read and plan.
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        other.close();
        resolve();
      }, 1500),
    );
    const report = await runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 4, force: true });
    await released;
    expect(report.outcomes.map((o) => o.status)).toEqual(['updated', 'updated']);
    expect(report.outcomes.reduce((sum, o) => sum + o.added, 0)).toBe(3);

    const a = await ctx.store.getIndex('a');
    const b = await ctx.store.getIndex('b');
    expect(a.length + b.length).toBe(3);
    const ids = [...a, ...b].map((entry) => entry.id);
    expect(new Set(ids).size).toBe(3);
    const items = JSON.parse((await renderOutputs(ctx.config, ctx.store)).json).items as Array<{ url: string }>;
    expect(items.filter((item) => item.url === shared)).toHaveLength(1);
    const health = await sourceHealth(ctx.config, ctx.store);
    expect(health.map((row) => row.items).sort()).toEqual([1, 2]);

    // The next cycle, with the store showing who holds it, changes nothing.
    const again = await runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 4, force: true });
    expect(again.outcomes.map((o) => o.added)).toEqual([0, 0]);
    expect((await ctx.store.getIndex('a')).length + (await ctx.store.getIndex('b')).length).toBe(3);
  });
});

describe('a link several items of one feed share over time', () => {
  it('keeps each item under its own GUID when one is left alone with the link', async () => {
    const live = 'https://news.example/live';
    const items = {
      morning: { guid: 'live-1', link: live, title: 'Live: the morning keynote' },
      afternoon: { guid: 'live-2', link: live, title: 'Live: the afternoon sessions' },
      other: { guid: 'story-1', link: 'https://news.example/story', title: 'A story' },
    };
    const ctx = await fixtures.open([{ id: 'news', name: 'News', path: '/news.xml' }]);
    const published = new Map<string, string>();
    for (const list of [[items.morning], [items.afternoon, items.morning], [items.other, items.afternoon]]) {
      fixtures.server.route('/news.xml', { body: feed('news', list) });
      const report = await runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 4, force: true });
      expect(report.outcomes.map((o) => o.status)).toEqual(['updated']);
      for (const item of JSON.parse((await renderOutputs(ctx.config, ctx.store)).json).items as Array<{ id: string; title: string }>) {
        // Once published, a GUID keeps its title: no item is written over another.
        expect(published.get(item.id) ?? item.title).toBe(item.title);
        published.set(item.id, item.title);
      }
    }
    const titles = (JSON.parse((await renderOutputs(ctx.config, ctx.store)).json).items as Array<{ title: string }>).map((item) => item.title);
    expect(titles.sort()).toEqual([items.other.title, items.afternoon.title, items.morning.title].sort());
  });
});

describe('CycleClaims', () => {
  it('shows a claim to a lookup that began before its commit landed, and forgets it once no such lookup is open', () => {
    const claims = new CycleClaims();
    const early = claims.beginLookup();
    const writer = claims.beginLookup();
    const claim = claims.claim({ 'url:https://x.example/1': 'id1' });
    claims.finishLookup(writer);
    claim.landed();
    // `early` looked up before the commit landed: it must still see the claim.
    expect(claims.overlay(['url:https://x.example/1', 'url:https://x.example/2'], new Map())).toEqual(new Map([['url:https://x.example/1', 'id1']]));
    // A lookup from now on reads the alias from the store.
    const late = claims.beginLookup();
    claims.finishLookup(early);
    expect(claims.size).toBe(0);
    claims.finishLookup(late);
  });

  it('keeps what the store answered, and drops the claims of a commit that failed', () => {
    const claims = new CycleClaims();
    const lookup = claims.beginLookup();
    const claim = claims.claim({ 'url:https://x.example/1': 'id1', 'url:https://x.example/2': 'id2' });
    const stored = new Map([['url:https://x.example/1', 'stored']]);
    expect(claims.overlay(['url:https://x.example/1', 'url:https://x.example/2'], stored)).toEqual(
      new Map([
        ['url:https://x.example/1', 'stored'],
        ['url:https://x.example/2', 'id2'],
      ]),
    );
    claim.withdrawn();
    expect(claims.size).toBe(0);
    expect(claims.overlay(['url:https://x.example/2'], new Map())).toEqual(new Map());
    claims.finishLookup(lookup);
  });
});
