/**
 * A cycle bounds how many fetched documents are being read or committed at
 * once, so a slow parse or a slow store makes fetched bodies wait instead of
 * piling up parsed candidates; it starts the parse workers with the fetches
 * when it has sources never read before, and lets them go when it ends.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { createParsePool, type ParsePool } from '../../src/jobs/parse-pool.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { routeFeeds, writeConfig } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-backpressure-');
const SOURCES = 8;
const ITEMS = 40;
let server: FixtureServer;
let ctx: Context | null = null;
let pool: ParsePool | null = null;

function feed(source: number): string {
  const items = Array.from(
    { length: ITEMS },
    (_, i) =>
      `<item><title>S${source} item ${i}</title><link>https://site${source}.example/${i}</link><guid>s${source}-${i}</guid>` +
      `<description><![CDATA[<p>${'word '.repeat(300)}</p>]]></description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${source}</title><link>https://site${source}.example/</link>${items.join('')}</channel></rss>`;
}

beforeEach(async () => {
  server = await startFixtureServer();
  const sources = routeFeeds(server, SOURCES, feed);
  const dir = tempDir();
  writeConfig(dir, server, sources, '', { timeoutMs: 30_000 });
  ctx = await openContext({ config: path.join(dir, 'feeds'), store: `sqlite:${path.join(dir, 'byline.sqlite')}` }, { create: true });
  pool = createParsePool({ size: 2 });
});
afterEach(async () => {
  await pool?.close();
  await ctx?.close();
  pool = null;
  ctx = null;
  await server.close();
});

async function cycle(documentsInFlight?: number) {
  const deps = { ...ctx!.deps, pool: pool! };
  const report = await runCycle({
    sources: enabledSources(ctx!.config),
    deps,
    concurrency: SOURCES,
    force: true,
    ...(documentsInFlight !== undefined ? { documentsInFlight } : {}),
  });
  return report;
}

describe('documents in flight during a cycle', () => {
  it('reads one document at a time when one is allowed, and still stores every source', async () => {
    const report = await cycle(1);
    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(Array(SOURCES).fill('updated'));
    expect(report.outcomes.reduce((sum, outcome) => sum + outcome.added, 0)).toBe(SOURCES * ITEMS);
    const stats = pool!.stats();
    expect(stats.completed).toBe(SOURCES);
    // With all sources fetched together, nothing but the bound keeps the second worker idle.
    expect(stats.peakBusy).toBe(1);
  });

  it('keeps both workers busy under the default bound', async () => {
    const report = await cycle();
    expect(report.outcomes.every((outcome) => outcome.status === 'updated')).toBe(true);
    expect(pool!.stats().peakBusy).toBe(2);
  });

  it('starts the parse workers with the fetches when its sources were never read, and not when each has a body on record', async () => {
    const workersAtRequest: number[] = [];
    const answer = (i: number) => (_req: unknown, res: import('node:http').ServerResponse) => {
      workersAtRequest.push(pool!.stats().workers);
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed(i));
    };
    for (let i = 0; i < SOURCES; i++) server.route(`/feed${i}.xml`, answer(i));
    await cycle();
    // Every request reached the server with both workers already started, before any body was read.
    expect(workersAtRequest).toEqual(Array(SOURCES).fill(2));
    expect(pool!.stats().workers).toBe(0);

    // The same bodies again: each source has its body on record, and nothing needs a worker.
    workersAtRequest.length = 0;
    const again = await cycle();
    expect(again.outcomes.map((outcome) => outcome.status)).toEqual(Array(SOURCES).fill('unchanged'));
    expect(workersAtRequest).toEqual(Array(SOURCES).fill(0));
    expect(pool!.stats()).toMatchObject({ workers: 0, completed: SOURCES });
  });

  it('stops the idle parse workers when the cycle ends; the next cycle starts them again', async () => {
    await cycle();
    expect(pool!.stats().workers).toBe(0);
    // A second cycle with changed bodies parses again on fresh workers.
    for (let i = 0; i < SOURCES; i++) server.route(`/feed${i}.xml`, { body: feed(i).replace('Feed', 'Changed feed'), type: 'application/rss+xml' });
    const again = await cycle();
    expect(again.outcomes.every((outcome) => outcome.status === 'updated')).toBe(true);
    expect(pool!.stats()).toMatchObject({ workers: 0, completed: 2 * SOURCES });
  });
});
