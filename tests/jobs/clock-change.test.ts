/**
 * A clock set back (it ran ahead, then NTP or the operator corrected it):
 * the times a source's state was written with lie in the future, and the
 * schedule must not wait for them.
 */
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { fixture, writeConfig } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-clock-');
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

it('checks a source on schedule after the clock was set back past its last attempt', async () => {
  server.route('/lab.xml', { body: fixture('lab-rss2.xml'), type: 'application/rss+xml' });
  const dir = tempDir();
  writeConfig(dir, server, [{ id: 'lab', name: 'Lab', path: '/lab.xml' }]);
  ctx = await openContext({ config: path.join(dir, 'feeds'), store: `sqlite:${path.join(dir, 'byline.sqlite')}` });
  const sources = enabledSources(ctx.config);
  const at = (iso: string) => ({ ...ctx!.deps, now: () => new Date(iso) });

  // Eight hours ahead (a hardware clock kept in UTC+8 read as UTC).
  const ahead = await runCycle({ sources, deps: at('2026-11-26T20:00:00.000Z'), concurrency: 4 });
  expect(ahead.outcomes.map((o) => o.status)).toEqual(['updated']);
  expect(ahead.outcomes[0]!.state.nextAttemptAt).toBe('2026-11-26T20:30:00.000Z');

  // Corrected: the next tick fetches rather than waiting eight hours for a time from the wrong clock.
  const corrected = await runCycle({ sources, deps: at('2026-11-26T12:15:00.000Z'), concurrency: 4 });
  expect(corrected.skipped).toEqual([]);
  expect(corrected.outcomes.map((o) => o.status)).toEqual(['not_modified']);
  expect(corrected.outcomes[0]!.state.nextAttemptAt).toBe('2026-11-26T12:45:00.000Z');

  // From then on the times are the corrected clock's, and honoured as ever.
  const early = await runCycle({ sources, deps: at('2026-11-26T12:30:00.000Z'), concurrency: 4 });
  expect(early.skipped).toEqual(['lab']);
  expect(server.seen('/lab.xml')).toHaveLength(2);
});
