/**
 * A cycle starts its first fetches a few per turn of the event loop, so the
 * loop keeps answering requests and timers while 32 requests and their
 * sockets are set up.
 */
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import type { Fetcher } from '../../src/fetch/index.js';
import { LANES_PER_TURN, runCycle } from '../../src/jobs/run-cycle.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { routeFeeds, writeConfig } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-cycle-start-');
const SOURCES = 32;
let server: FixtureServer;
let ctx: Context | null = null;

const feed = (n: number): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${n}</title><link>https://site${n}.example/</link>` +
  `<item><title>Item ${n}</title><link>https://site${n}.example/1</link></item></channel></rss>`;

beforeEach(async () => {
  server = await startFixtureServer();
  const sources = routeFeeds(server, SOURCES, feed);
  const dir = tempDir();
  writeConfig(dir, server, sources);
  ctx = await openContext({ config: path.join(dir, 'feeds'), store: `sqlite:${path.join(dir, 'byline.sqlite')}` }, { create: true });
});
afterEach(async () => {
  await ctx?.close();
  ctx = null;
  await server.close();
});

it(`starts at most ${LANES_PER_TURN} fetches per turn of the event loop, and still fetches every source`, async () => {
  // Counts turns of the event loop: one increment per check phase while the cycle runs.
  let turn = 0;
  let ticking = true;
  const tick = (): void => {
    turn++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);

  const real = ctx!.deps.fetcher;
  const startedInTurn: number[] = [];
  const fetcher: Fetcher = {
    fetch: (url, request) => {
      startedInTurn.push(turn);
      return real.fetch(url, request);
    },
    close: () => real.close(),
  };
  try {
    const report = await runCycle({ sources: enabledSources(ctx!.config), deps: { ...ctx!.deps, fetcher }, concurrency: SOURCES, force: true });
    expect(report.outcomes.map((outcome) => outcome.status)).toEqual(Array(SOURCES).fill('updated'));
  } finally {
    ticking = false;
  }

  expect(startedInTurn).toHaveLength(SOURCES);
  const perTurn = new Map<number, number>();
  for (const at of startedInTurn) perTurn.set(at, (perTurn.get(at) ?? 0) + 1);
  // All 32 used to start in the one turn that read the sources' states.
  expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(LANES_PER_TURN);
  expect(perTurn.size).toBeGreaterThanOrEqual(SOURCES / LANES_PER_TURN);
});
