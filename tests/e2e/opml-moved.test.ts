/**
 * `/opml.xml` lists each source at the address its feed lives at now: after
 * a permanent redirect (301, 308) the fetcher remembers, the new address, as
 * the fetcher itself uses it; the configured one otherwise. End to end over a
 * fixture server and a real SQLite store.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { renderOutputs } from '../../src/jobs/publish.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { parseOpml } from '../../src/parse/index.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { serveFixtures, writeConfig } from '../helpers/fixture-feeds.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-opml-moved-');
let server: FixtureServer;
let dir: string;
let ctx: Context | null = null;

beforeEach(async () => {
  server = await startFixtureServer();
  serveFixtures(server);
  server.route('/lab-old.xml', (_req, res) => void res.writeHead(301, { Location: '/lab.xml' }).end());
  server.route('/cloud-old.xml', (_req, res) => void res.writeHead(308, { Location: '/cloud.xml' }).end());
  server.route('/press-tmp.json', (_req, res) => void res.writeHead(302, { Location: '/press.json' }).end());
  dir = tempDir();
});
afterEach(async () => {
  await ctx?.close();
  ctx = null;
  await server.close();
});

async function exportedUrls(): Promise<Record<string, string>> {
  ctx = await openContext({ config: path.join(dir, 'feeds'), store: `sqlite:${path.join(dir, 'cache', 'byline.sqlite')}` }, { create: true });
  const report = await runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 4, force: true });
  expect(report.outcomes.map((o) => o.error)).toEqual(report.outcomes.map(() => null));
  const opml = parseOpml(new TextEncoder().encode((await renderOutputs(ctx.config, ctx.store)).opml));
  return Object.fromEntries((opml ?? []).map((feed) => [feed.title, feed.xmlUrl]));
}

describe('the OPML export', () => {
  it('lists a permanently moved feed at its new address, and any other at the configured one', async () => {
    writeConfig(dir, server, [
      { id: 'lab', name: 'Lab', path: '/lab-old.xml' },
      { id: 'cloud', name: 'Cloud', path: '/cloud-old.xml' },
      { id: 'press', name: 'Press', path: '/press-tmp.json' },
      { id: 'cn', name: 'CN', path: '/cn.xml' },
    ]);
    expect(await exportedUrls()).toEqual({
      Lab: server.url('/lab.xml'),
      Cloud: server.url('/cloud.xml'),
      Press: server.url('/press-tmp.json'),
      CN: server.url('/cn.xml'),
    });
  });

  it('lists the configured address again once the operator changes it', async () => {
    writeConfig(dir, server, [{ id: 'lab', name: 'Lab', path: '/lab-old.xml' }]);
    await exportedUrls();
    await ctx?.close();
    ctx = null;
    // The operator points the source somewhere else; what the old address did no longer applies.
    writeConfig(dir, server, [{ id: 'lab', name: 'Lab', path: '/cloud.xml' }]);
    expect(await exportedUrls()).toEqual({ Lab: server.url('/cloud.xml') });
  });
});
