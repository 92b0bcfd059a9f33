/**
 * An alerts feed (Google Alerts, Bing News) links each item through the
 * search engine's click redirector; byline takes the publisher's page out of
 * it, so the alert's item and the publisher's own feed item for that page are
 * one article. Whichever source stored it first used to keep it: an alert
 * refreshed first left the combined feed with Google's snippet, credited to
 * the alert. The publisher's own item now takes the article over (content,
 * authors, credit, and its place in the store), keeping its GUID and
 * firstSeen; the alert never takes it back. Run on SQLite and on Redis.
 */
import path from 'node:path';
import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { sourceHealth } from '../../src/jobs/health.js';
import { renderOutputs } from '../../src/jobs/publish.js';
import { runCycle, type CycleReport } from '../../src/jobs/run-cycle.js';
import { ALERT, ALERT_GUID, ALERT_SOURCES as SOURCES, OTHER_PAGE, PAGE, PUB_ITEM, alertsFeed, publisherFeed, type AlertEntry } from '../helpers/alert-feeds.js';
import { writeConfig, type FixtureSource } from '../helpers/fixture-feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { useTempDirs } from '../helpers/tmp.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../store/redis-server.js';

const tempDir = useTempDirs('byline-takeover-');

interface JsonItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  authors: Array<{ name: string }>;
  _byline: { source: { id: string; name: string } };
}

interface Backend {
  name: string;
  available: () => boolean;
  /** The --store value for a fresh store of one test. */
  store: (dir: string) => Promise<string>;
  /** Every record of the store at `url`, as another client of the backend reads it: logical key and stored text. */
  records: (url: string) => Promise<Array<[string, string]>>;
}

let redis: RedisServer | null = null;
let redisDb = 0;
const BACKENDS: Backend[] = [
  {
    name: 'SQLite',
    available: () => true,
    store: async (dir) => `sqlite:${path.join(dir, 'byline.sqlite')}`,
    records: async (url) => {
      const db = new Database(url.slice('sqlite:'.length), { readonly: true });
      try {
        const rows = db.prepare('SELECT key, value FROM kv').all() as Array<{ key: string; value: string }>;
        return rows.map((row) => [row.key.replace(/^byline:/, ''), row.value]);
      } finally {
        db.close();
      }
    },
  },
  {
    name: 'Redis',
    available: hasRedisServer,
    store: async () => {
      redis ??= await startRedisServer();
      // A database of its own per test: one server for the file.
      return `${redis.url}/${++redisDb}`;
    },
    records: async (url) => {
      const client = createClient({ url });
      await client.connect();
      try {
        const keys = await client.keys('byline::*');
        const values = keys.length > 0 ? await client.mGet(keys) : [];
        return keys.map((key, i) => [key.slice('byline::'.length), values[i] ?? '']);
      } finally {
        await client.close();
      }
    },
  },
];
afterAll(async () => {
  await redis?.stop();
});

let server: FixtureServer;
const opened: Context[] = [];
const storeUrls = new Map<Context, string>();
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(async () => {
  for (const context of opened.splice(0)) await context.close();
  await server.close();
});

async function open(backend: Backend, sources: FixtureSource[] = SOURCES, settings = ''): Promise<Context> {
  const dir = tempDir();
  writeConfig(dir, server, sources, settings);
  const store = await backend.store(dir);
  const context = await openContext({ config: path.join(dir, 'feeds'), store }, { create: true });
  opened.push(context);
  storeUrls.set(context, store);
  return context;
}

async function cycle(ctx: Context, concurrency = 1): Promise<CycleReport> {
  const report = await runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency, force: true });
  expect(report.outcomes.filter((outcome) => outcome.status === 'failed')).toEqual([]);
  return report;
}

async function items(ctx: Context): Promise<JsonItem[]> {
  return JSON.parse((await renderOutputs(ctx.config, ctx.store)).json).items as JsonItem[];
}

/** The stored records that name article `id`: under its key, or as the value of an alias. */
async function recordsNaming(backend: Backend, ctx: Context, id: string): Promise<string[]> {
  const all = await backend.records(storeUrls.get(ctx)!);
  return all.filter(([key, value]) => key.endsWith(`:${id}`) || (key.startsWith('alias:') && value.includes(`"${id}"`))).map(([key]) => key).sort();
}

async function itemCounts(ctx: Context): Promise<Record<string, number>> {
  return Object.fromEntries((await sourceHealth(ctx.config, ctx.store)).map((row) => [row.id, row.items]));
}

describe.each(BACKENDS.filter((backend) => backend.available()))('an alert and the publisher listing the same page ($name)', (backend) => {
  it("gives the article to the publisher's own item when the alert stored it first, keeping its GUID and firstSeen", async () => {
    const ctx = await open(backend);
    server.route('/alerts.xml', { body: alertsFeed([ALERT]) });
    server.route('/pub.xml', { body: publisherFeed([]) });
    await cycle(ctx);
    const [fromAlert] = await items(ctx);
    expect(fromAlert?._byline.source.id).toBe('alerts');
    const [stored] = (await ctx.store.getArticles([{ sourceId: 'alerts', id: (await ctx.store.getIndex('alerts'))[0]!.id }])).values();

    server.route('/pub.xml', { body: publisherFeed([PUB_ITEM]) });
    await cycle(ctx);
    const after = await items(ctx);
    expect(after).toHaveLength(1);
    const [item] = after;
    expect(item?.id).toBe(fromAlert?.id);
    expect(item?.url).toBe(PAGE);
    expect(item?._byline.source).toMatchObject({ id: 'pub', name: 'Pub News' });
    expect(item?.title).toBe(PUB_ITEM.title);
    expect(item?.content_html).toContain('Second paragraph.');
    expect(item?.content_html).not.toContain('released a');
    expect(item?.authors).toEqual([{ name: 'Jane Roe' }]);
    // Kept under its new source, with the time byline first saw it.
    expect(await ctx.store.getIndex('alerts')).toEqual([]);
    const moved = await ctx.store.getArticles([{ sourceId: 'pub', id: stored!.id }]);
    expect(moved.get(stored!.id)?.firstSeen).toBe(stored!.firstSeen);
    expect(await itemCounts(ctx)).toEqual({ alerts: 0, pub: 1 });
    // Nothing of it is left under the alert (no tombstone): only its article under the publisher, and its aliases.
    const named = await recordsNaming(backend, ctx, stored!.id);
    expect(named.filter((key) => !key.startsWith('alias:'))).toEqual([`article:pub:${stored!.id}`]);
  });

  it('keeps it with the publisher when the alert is refreshed again, adding no duplicate, and leaves the records consistent', async () => {
    const ctx = await open(backend);
    server.route('/alerts.xml', { body: alertsFeed([ALERT]) });
    server.route('/pub.xml', { body: publisherFeed([]) });
    await cycle(ctx);
    server.route('/pub.xml', { body: publisherFeed([PUB_ITEM]) });
    const taken = await cycle(ctx);
    expect(taken.takeovers.moved).toEqual([{ guid: expect.stringMatching(/^tag:byline,2026:/), from: 'alerts', to: 'pub' }]);
    const [item] = await items(ctx);

    // The alert changes its snippet and brings another page.
    const other: AlertEntry = { guid: `${ALERT_GUID}9`, page: OTHER_PAGE, title: 'Another page', snippet: 'Elsewhere ...' };
    server.route('/alerts.xml', { body: alertsFeed([{ ...ALERT, snippet: 'Pub released a <b>new model</b> today, and more ...' }, other]) });
    const again = await cycle(ctx);
    expect(again.outcomes.map((outcome) => [outcome.sourceId, outcome.added, outcome.updated])).toEqual([
      ['alerts', 1, 0],
      ['pub', 0, 0],
    ]);
    expect(again.takeovers.moved).toEqual([]);
    const after = await items(ctx);
    expect(after.map((each) => [each.url, each._byline.source.id]).sort()).toEqual([
      [OTHER_PAGE, 'alerts'],
      [PAGE, 'pub'],
    ]);
    expect(after.find((each) => each.url === PAGE)).toEqual(item);
    expect(await itemCounts(ctx)).toEqual({ alerts: 1, pub: 1 });

    // The alert remembers the page as known but not its own; the publisher's record names every key of the article.
    const id = item!.id.replace('tag:byline,2026:', '');
    const alertEntry = (await ctx.store.getSourceAliases('alerts')).find((entry) => entry.id === id);
    expect(alertEntry).toMatchObject({ foreign: true });
    const pubEntry = (await ctx.store.getSourceAliases('pub')).find((entry) => entry.id === id);
    expect(pubEntry?.foreign).toBeUndefined();
    expect(pubEntry?.listedDay).toBeUndefined();
    expect(pubEntry?.keys).toEqual(expect.arrayContaining([`url:${PAGE}`, 'guid:pub:pub-1', `guid:alerts:${ALERT_GUID}`, ...alertEntry!.keys]));
    const resolved = await ctx.store.resolveAliases(pubEntry!.keys);
    expect([...resolved.values()]).toEqual(pubEntry!.keys.map(() => id));
  });

  it.each([1, 4])('gives it to the publisher when both list it new in one cycle (%i at a time, the alert first)', async (concurrency) => {
    const ctx = await open(backend);
    server.route('/alerts.xml', { body: alertsFeed([ALERT]) });
    server.route('/pub.xml', { body: publisherFeed([PUB_ITEM]) });
    await cycle(ctx, concurrency);
    const after = await items(ctx);
    expect(after.map((each) => [each.url, each._byline.source.id, each.title])).toEqual([[PAGE, 'pub', PUB_ITEM.title]]);
    expect(await itemCounts(ctx)).toEqual({ alerts: 0, pub: 1 });
    await cycle(ctx, concurrency);
    expect(await items(ctx)).toEqual(after);
  });

  it('leaves the article with the publisher when the publisher listed it first', async () => {
    const ctx = await open(backend);
    server.route('/alerts.xml', { body: alertsFeed([]) });
    server.route('/pub.xml', { body: publisherFeed([PUB_ITEM]) });
    await cycle(ctx);
    const before = await items(ctx);
    server.route('/alerts.xml', { body: alertsFeed([ALERT]) });
    const report = await cycle(ctx);
    expect(report.outcomes.map((outcome) => outcome.added)).toEqual([0, 0]);
    expect(report.takeovers).toEqual({ moved: [], failed: [], error: null });
    expect(await items(ctx)).toEqual(before);
    expect(await itemCounts(ctx)).toEqual({ alerts: 0, pub: 1 });
  });

  it('is not taken by a source whose site the page is not on', async () => {
    const ctx = await open(backend, [SOURCES[0]!, { id: 'digest', name: 'Digest', path: '/digest.xml', site: 'https://digest.example/' }]);
    server.route('/alerts.xml', { body: alertsFeed([ALERT]) });
    server.route('/digest.xml', { body: publisherFeed([]) });
    await cycle(ctx);
    server.route('/digest.xml', { body: publisherFeed([{ ...PUB_ITEM, guid: 'digest-1' }]) });
    const report = await cycle(ctx);
    expect(report.takeovers.moved).toEqual([]);
    expect((await items(ctx)).map((each) => each._byline.source.id)).toEqual(['alerts']);
  });

  it("removes every alias row of the article once the publisher retired it and no feed of it lists it, and the alert's listing never brings it back", async () => {
    const ctx = await open(backend, SOURCES, 'retention: { maxAgeDays: 36500, maxItemsPerSource: 1 }\n');
    let now = new Date('2026-11-26T00:00:00Z');
    ctx.deps.now = () => now;
    server.route('/alerts.xml', { body: alertsFeed([ALERT]) });
    server.route('/pub.xml', { body: publisherFeed([]) });
    await cycle(ctx);
    server.route('/pub.xml', { body: publisherFeed([PUB_ITEM]) });
    await cycle(ctx);
    const id = (await ctx.store.getIndex('pub'))[0]!.id;
    const keys = (await ctx.store.getSourceAliases('pub')).find((entry) => entry.id === id)!.keys;
    expect(keys.length).toBeGreaterThanOrEqual(4);

    // The publisher moves on: a newer article takes the one place retention keeps; the alert still lists the page.
    const newer = { guid: 'pub-2', link: 'https://pub.example/2026/11/newer.html', title: 'Newer', date: 'Wed, 25 Nov 2026 20:00:00 GMT' };
    server.route('/pub.xml', { body: publisherFeed([newer]) });
    now = new Date('2026-11-27T00:00:00Z');
    await cycle(ctx);
    expect((await ctx.store.getIndex('pub')).map((entry) => entry.id)).not.toContain(id);
    expect((await ctx.store.resolveAliases(keys)).size).toBe(keys.length);

    // A week later the publisher's record lets the article go, with all its rows; the alert, still listing it, adds nothing.
    now = new Date('2026-12-05T00:00:00Z');
    server.route('/pub.xml', { body: publisherFeed([newer, { guid: 'pub-3', link: 'https://pub.example/2026/12/third.html', title: 'Third', date: 'Fri, 04 Dec 2026 20:00:00 GMT' }]) });
    server.route('/alerts.xml', { body: alertsFeed([{ ...ALERT, snippet: 'Still listed ...' }]) });
    const later = await cycle(ctx);
    expect(later.outcomes.map((outcome) => [outcome.sourceId, outcome.added])).toEqual([
      ['alerts', 0],
      ['pub', 1],
    ]);
    expect((await ctx.store.getSourceAliases('pub')).map((entry) => entry.id)).not.toContain(id);
    expect(await ctx.store.resolveAliases(keys)).toEqual(new Map());
    expect((await items(ctx)).map((each) => each.url)).not.toContain(PAGE);
    expect(await recordsNaming(backend, ctx, id)).toEqual([]);

    // Once the alert stops listing it too, its record forgets the page after the grace period.
    server.route('/alerts.xml', { body: alertsFeed([]) });
    now = new Date('2026-12-06T00:00:00Z');
    await cycle(ctx);
    now = new Date('2026-12-14T00:00:00Z');
    server.route('/alerts.xml', { body: alertsFeed([{ ...ALERT, guid: `${ALERT_GUID}7`, page: OTHER_PAGE }]) });
    await cycle(ctx);
    expect((await ctx.store.getSourceAliases('alerts')).map((entry) => entry.id)).not.toContain(id);
  });
});

describe('a takeover the store fails to write', () => {
  it("leaves everything as it was, reports it, and is made with the publisher's next document", async () => {
    const sqlite = BACKENDS[0]!;
    const ctx = await open(sqlite);
    server.route('/alerts.xml', { body: alertsFeed([ALERT]) });
    server.route('/pub.xml', { body: publisherFeed([]) });
    await cycle(ctx);
    const before = await items(ctx);
    const records = async () => [await ctx.store.getSourceAliases('alerts'), await ctx.store.getSourceAliases('pub')];

    // The takeover's last step, removing the article from under the alert, fails inside its transaction.
    const file = storeUrls.get(ctx)!.slice('sqlite:'.length);
    const db = new Database(file);
    db.exec(`CREATE TRIGGER fail_move BEFORE DELETE ON kv WHEN OLD.key GLOB 'byline:article:alerts:*' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;`);
    server.route('/pub.xml', { body: publisherFeed([PUB_ITEM]) });
    const failed = await cycle(ctx);
    expect(failed.takeovers.moved).toEqual([]);
    expect(failed.takeovers.failed).toEqual([{ guid: before[0]!.id, from: 'alerts', to: 'pub', error: expect.stringContaining('injected failure') }]);
    expect(await items(ctx)).toEqual(before);
    expect(await itemCounts(ctx)).toEqual({ alerts: 1, pub: 0 });
    const [alertRecord, pubRecord] = await records();
    expect(alertRecord!.find((entry) => entry.foreign)).toBeUndefined();
    expect(pubRecord!.every((entry) => entry.foreign === true)).toBe(true);

    db.exec('DROP TRIGGER fail_move');
    db.close();
    server.route('/pub.xml', { body: publisherFeed([PUB_ITEM, { guid: 'pub-2', link: 'https://pub.example/2026/11/more.html', title: 'More' }]) });
    const retried = await cycle(ctx);
    expect(retried.takeovers.moved).toHaveLength(1);
    expect((await items(ctx)).map((each) => [each.id, each._byline.source.id]).sort()).toContainEqual([before[0]!.id, 'pub']);
    expect(await itemCounts(ctx)).toEqual({ alerts: 0, pub: 2 });
  });
});
