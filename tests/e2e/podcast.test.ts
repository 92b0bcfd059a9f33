/**
 * End to end, in process: an AI podcast's RSS feed (episodes as
 * `<enclosure>`, one as Media RSS audio) fetched from a fixture HTTP server
 * into a real SQLite file, then the site's /feed.xml, /atom.xml and
 * /feed.json read over HTTP: each episode keeps its audio file, with its
 * credit, and a second cycle rewrites none of the stored episodes.
 */
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { createSite, listen } from '../../src/server/index.js';
import { checkAtom } from '../render/feed-rules-atom.js';
import { checkJsonFeed } from '../render/feed-rules-json.js';
import { checkRss } from '../render/feed-rules-rss.js';
import { childNamed, childrenNamed, parseXml, type XmlElement } from '../render/xml-support.js';
import { useCycleContext } from '../helpers/cycle-context.js';

const fixtures = useCycleContext('byline-podcast-');

const EPISODE = (n: number, day: number) => `
<item><title>Episode ${n}: scaling laws</title><link>https://pod.example/episodes/${n}</link><guid isPermaLink="false">pod-ep-${n}</guid>
  <pubDate>${day} Nov 2026 08:00:00 GMT</pubDate><description>Show notes ${n}.</description>
  <enclosure url="/audio/ep${n}.mp3" type="audio/mpeg" length="${n}000000"/><itunes:image href="https://pod.example/art/ep${n}.jpg"/></item>`;

function podcast(episodes: number): string {
  const items = [];
  for (let n = episodes; n >= 1; n--) items.push(EPISODE(n, 10 + n));
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>The AI Hour</title><link>https://pod.example/</link><description>A podcast</description>
${items.join('')}
<item><title>Bonus: a talk</title><link>https://pod.example/bonus</link><guid isPermaLink="false">pod-bonus</guid><pubDate>01 Nov 2026 08:00:00 GMT</pubDate>
  <media:content url="https://media.pod.example/bonus.m4a" medium="audio"/></item>
</channel></rss>`;
}

async function cycle(ctx: Context, now: string) {
  const report = await runCycle({ sources: enabledSources(ctx.config), deps: { ...ctx.deps, now: () => new Date(now) }, concurrency: 1, force: true });
  return report.outcomes[0]!;
}

async function served(ctx: Context, now: string): Promise<{ get(path: string): Promise<string>; close(): Promise<void> }> {
  const site = createSite({ config: ctx.config, store: ctx.store, checkIntervalMs: 0, now: () => new Date(now) });
  const { server, url } = await listen(site.app, 0, '127.0.0.1');
  return {
    get: async (path) => {
      const response = await fetch(new URL(path, url));
      expect(response.status, path).toBe(200);
      return response.text();
    },
    close: () => closeServer(server).then(() => site.close()),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

const enclosureLinks = (entry: XmlElement) => childrenNamed(entry, 'link').filter((l) => l.attrs['rel'] === 'enclosure').map((l) => l.attrs);

describe('a podcast feed through a cycle', () => {
  it('publishes every episode\'s audio in RSS, Atom and JSON Feed, and a second cycle rewrites nothing', async () => {
    const ctx = await fixtures.open([{ id: 'aihour', name: 'The AI Hour', path: '/podcast.xml', site: 'https://pod.example/' }]);
    fixtures.server.route('/podcast.xml', { body: podcast(2), type: 'application/rss+xml' });
    const first = await cycle(ctx, '2026-11-26T00:00:00.000Z');
    expect([first.status, first.added, first.updated]).toEqual(['updated', 3, 0]);

    const site = await served(ctx, '2026-11-26T01:00:00.000Z');
    try {
      const rss = await site.get('/feed.xml');
      expect(checkRss(rss, { selfUrl: 'any' })).toEqual([]);
      const items = childrenNamed(childNamed(parseXml(rss), 'channel'), 'item');
      expect(items.map((item) => childrenNamed(item, 'enclosure').map((e) => e.attrs))).toEqual([
        [{ url: 'https://pod.example/audio/ep2.mp3', length: '2000000', type: 'audio/mpeg' }],
        [{ url: 'https://pod.example/audio/ep1.mp3', length: '1000000', type: 'audio/mpeg' }],
        [{ url: 'https://media.pod.example/bonus.m4a', length: '0', type: 'audio/mp4' }],
      ]);
      // The episode art stays, as Media RSS; the credit too.
      expect(childNamed(items[0]!, 'media:thumbnail').attrs).toEqual({ url: 'https://pod.example/art/ep2.jpg' });
      expect(childNamed(items[0]!, 'source').text).toBe('The AI Hour');
      expect(childNamed(items[0]!, 'content:encoded').text).toContain('📌 Source: The AI Hour');

      const atom = await site.get('/atom.xml');
      expect(checkAtom(atom, { selfUrl: 'any' })).toEqual([]);
      const entries = childrenNamed(parseXml(atom), 'entry');
      expect(enclosureLinks(entries[0]!)[0]).toEqual({ rel: 'enclosure', href: 'https://pod.example/audio/ep2.mp3', type: 'audio/mpeg', length: '2000000' });
      expect(enclosureLinks(entries[2]!)).toEqual([{ rel: 'enclosure', href: 'https://media.pod.example/bonus.m4a', type: 'audio/mp4' }]);

      const json = await site.get('/feed.json');
      expect(checkJsonFeed(json, { selfUrl: 'any' })).toEqual([]);
      const feed = JSON.parse(json) as { items: Array<{ title: string; attachments?: unknown; _byline: { source: { name: string } } }> };
      expect(feed.items.map((item) => [item.title, item.attachments, item._byline.source.name])).toEqual([
        ['Episode 2: scaling laws', [{ url: 'https://pod.example/audio/ep2.mp3', mime_type: 'audio/mpeg', size_in_bytes: 2_000_000 }], 'The AI Hour'],
        ['Episode 1: scaling laws', [{ url: 'https://pod.example/audio/ep1.mp3', mime_type: 'audio/mpeg', size_in_bytes: 1_000_000 }], 'The AI Hour'],
        ['Bonus: a talk', [{ url: 'https://media.pod.example/bonus.m4a', mime_type: 'audio/mp4' }], 'The AI Hour'],
      ]);
    } finally {
      await site.close();
    }

    // A new episode: the feed is read again, and the stored episodes (enclosure and all) compare unchanged.
    fixtures.server.route('/podcast.xml', { body: podcast(3), type: 'application/rss+xml' });
    const second = await cycle(ctx, '2026-11-26T02:00:00.000Z');
    expect([second.status, second.added, second.updated]).toEqual(['updated', 1, 0]);
  });
});
