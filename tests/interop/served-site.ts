/**
 * A real byline site for consumer tests: the project's fixture feeds served
 * by a fixture server, one real cycle through fetch, parse, normalize and a
 * SQLite store, then the real app (`createSite`) listening on 127.0.0.1. The
 * config's `link` is the served URL, so every self link matches where the
 * documents are actually read from. The clock is fixed: items are first seen
 * at FIRST_SEEN and the site is built two hours later (so the first archive
 * page is complete), whatever the date of the machine running the tests.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { z } from 'zod';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { runCycle, type CycleReport } from '../../src/jobs/run-cycle.js';
import { createSite, listen, type App, type Site } from '../../src/server/index.js';
import { GOOD_SOURCES, serveFixtures, type FixtureSource } from '../helpers/fixture-feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

/** When the fixture items are first seen (after every dated fixture entry). */
export const FIRST_SEEN = new Date('2026-11-26T00:00:00.000Z');
/** The site's clock: two hours after FIRST_SEEN. */
export const SITE_NOW = new Date(FIRST_SEEN.getTime() + 2 * 60 * 60 * 1000);

/** What the consumer tests compare against: the served JSON Feed's items, read at the boundary with zod. */
export const PublishedItemSchema = z.object({
  id: z.string(),
  url: z.string(),
  title: z.string(),
  date_published: z.string(),
  _byline: z.object({ source: z.object({ name: z.string() }), credit: z.string().nullable() }),
});
export type PublishedItem = z.infer<typeof PublishedItemSchema>;

/** The items of the JSON Feed at `path` (default: the subscription feed) of a running site. */
export async function publishedItems(site: Pick<ServedSite, 'url'>, path = 'feed.json'): Promise<PublishedItem[]> {
  const feed = z.object({ items: z.array(PublishedItemSchema) }).parse(await (await fetch(new URL(path, site.url))).json());
  return feed.items;
}

/** A running site and what it was built from. */
export interface ServedSite {
  /** Base URL, with a trailing slash (also the config's `link`). */
  url: string;
  context: Context;
  site: Site;
  fixtures: FixtureServer;
  report: CycleReport;
  /** Stops the site and the fixture server, closes the store. */
  close(): Promise<void>;
}

/** Options of {@link startServedSite}. */
export interface ServedSiteOptions {
  dir: string;
  sources?: FixtureSource[];
  /** Extra lines for byline.yaml (top-level YAML, e.g. `output:\n  archivePageSize: 10`). */
  settings?: string;
  /** When the cycle's items are first seen (default FIRST_SEEN); the site's clock is two hours later. */
  firstSeen?: Date;
}

function writeSiteConfig(dir: string, fixtures: FixtureServer, sources: FixtureSource[], link: string, settings: string): string {
  const feeds = path.join(dir, 'feeds');
  mkdirSync(feeds, { recursive: true });
  writeFileSync(
    path.join(feeds, 'byline.yaml'),
    `title: Test Aggregate\nlink: ${link}\nfetch:\n  allowPrivateAddresses: true\n  timeoutMs: 5000\n${settings}`,
  );
  const lines = sources.flatMap((source) => [
    `  - id: ${source.id}`,
    `    name: ${JSON.stringify(source.name)}`,
    `    url: ${fixtures.url(source.path)}`,
    ...(source.site ? [`    site: ${source.site}`] : []),
    ...(source.credit ? [`    credit: ${JSON.stringify(source.credit)}`] : []),
  ]);
  writeFileSync(path.join(feeds, 'sources.yaml'), `sources:\n${lines.join('\n')}\n`);
  return feeds;
}

/** Builds and starts the site. */
export async function startServedSite(options: ServedSiteOptions): Promise<ServedSite> {
  const fixtures = await startFixtureServer();
  serveFixtures(fixtures);
  // Listen first: the config's link must name the port actually bound.
  let app: App | null = null;
  const delegate: App = { fetch: (request) => (app ? app.fetch(request) : Promise.resolve(new Response('starting', { status: 503 }))) };
  const { server, url } = await listen(delegate, 0, '127.0.0.1');
  const feeds = writeSiteConfig(options.dir, fixtures, options.sources ?? GOOD_SOURCES, url, options.settings ?? '');
  const context = await openContext({ config: feeds, store: `sqlite:${path.join(options.dir, 'cache', 'byline.sqlite')}` }, { create: true });
  const seen = options.firstSeen ?? FIRST_SEEN;
  const report = await runCycle({
    sources: enabledSources(context.config),
    deps: { ...context.deps, now: () => seen },
    concurrency: 4,
    force: true,
  });
  const now = new Date(seen.getTime() + 2 * 60 * 60 * 1000);
  const site = createSite({ config: context.config, store: context.store, checkIntervalMs: 0, now: () => now });
  app = site.app;
  return {
    url,
    context,
    site,
    fixtures,
    report,
    close: async () => {
      await closeServer(server);
      await context.close();
      await fixtures.close();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
