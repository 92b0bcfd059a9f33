/**
 * WebSub: the publish ping against a small hub stub that records what it
 * receives (one form POST per feed URL), the after-cycle step that pings only
 * when a cycle added items, and `byline run` doing it for real.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSourceSchema, SettingsSchema, type Config } from '../../src/config/index.js';
import { afterCycle } from '../../src/jobs/after-cycle.js';
import { createArchiveIndex } from '../../src/jobs/archive.js';
import type { RefreshOutcome } from '../../src/jobs/refresh-source.js';
import { pingHub } from '../../src/jobs/websub.js';
import { StoreError } from '../../src/errors.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { startCli } from '../helpers/cli.js';
import { GOOD_SOURCES, serveFixtures, writeConfig } from '../helpers/fixture-feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { useTempDirs } from '../helpers/tmp.js';

const tempDir = useTempDirs('byline-websub-');
let hub: FixtureServer;
let pings: Array<{ type: string | undefined; form: Record<string, string> }>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
  });
}

beforeEach(async () => {
  hub = await startFixtureServer();
  pings = [];
  hub.route('/hub', (req, res) => {
    void readBody(req).then((body) => {
      pings.push({ type: req.headers['content-type'], form: Object.fromEntries(new URLSearchParams(body)) });
      res.writeHead(204).end();
    });
  });
  hub.route('/broken-hub', (_req, res) => void res.writeHead(500).end('no'));
});
afterEach(() => hub.close());

const FEEDS = ['https://byline.example/feed.xml', 'https://byline.example/atom.xml'];

describe('pingHub', () => {
  it('posts hub.mode=publish and hub.url once per feed URL', async () => {
    const results = await pingHub(hub.url('/hub'), FEEDS, { allowPrivateAddresses: true });
    expect(results.map((r) => [r.feedUrl, r.ok, r.status])).toEqual([
      [FEEDS[0], true, 204],
      [FEEDS[1], true, 204],
    ]);
    expect(pings).toEqual(FEEDS.map((url) => ({ type: 'application/x-www-form-urlencoded', form: { 'hub.mode': 'publish', 'hub.url': url } })));
  });

  it('reports a hub error or an unreachable hub without throwing', async () => {
    const [refused] = await pingHub(hub.url('/broken-hub'), FEEDS.slice(0, 1), { allowPrivateAddresses: true });
    expect(refused).toMatchObject({ ok: false, status: 500, error: 'hub answered HTTP 500' });
    const closed = hub.url('/hub');
    await hub.close();
    const [unreachable] = await pingHub(closed, FEEDS.slice(0, 1), { allowPrivateAddresses: true, timeoutMs: 2000 });
    expect(unreachable).toMatchObject({ ok: false, status: null });
    hub = await startFixtureServer();
  });

  it('keeps to the SSRF rule when private addresses are not allowed', async () => {
    const [blocked] = await pingHub(hub.url('/hub'), FEEDS.slice(0, 1), { allowPrivateAddresses: false });
    expect(blocked).toMatchObject({ ok: false, status: null });
    expect(pings).toEqual([]);
  });
});

describe('afterCycle', () => {
  const config = (): Config => ({
    dir: 'feeds',
    settings: SettingsSchema.parse({ link: 'https://byline.example/', output: { hubUrl: hub.url('/hub') }, fetch: { allowPrivateAddresses: true } }),
    sources: [ConfigSourceSchema.parse({ id: 'src', name: 'Source', url: 'https://example.com/feed.xml' })],
  });
  const outcome = (added: number) => ({ added }) as RefreshOutcome;

  it.each([
    { name: 'pings every feed when a cycle added items', outcomes: [outcome(0), outcome(2)], pinged: true },
    { name: 'stays quiet when nothing was added', outcomes: [outcome(0), outcome(0)], pinged: false },
  ])('$name', async ({ outcomes, pinged }) => {
    const store = await openSqliteStore({ file: path.join(tempDir(), 'byline.sqlite') });
    try {
      const result = await afterCycle({ outcomes }, config(), store, { imageLengths: null, archiveIndex: createArchiveIndex() });
      const expected = pinged
        ? ['feed.xml', 'atom.xml', 'feed.json', 'newsletter.xml'].map((file) => `https://byline.example/${file}`)
        : [];
      expect(pings.map((p) => p.form['hub.url'])).toEqual(expected);
      expect(result.pings.every((p) => p.ok)).toBe(true);
      expect(result).toMatchObject({ archivePagesFixed: 0, archiveError: null, archiveReplaced: null });
    } finally {
      await store.close();
    }
  });

  it('records an unreadable archive layout anew, says why, and still pings', async () => {
    const file = path.join(tempDir(), 'byline.sqlite');
    const store = await openSqliteStore({ file });
    try {
      const raw = new Database(file);
      raw.prepare('INSERT INTO kv (key, value) VALUES (?, ?)').run('byline:archive:layout', 'not json');
      raw.close();
      const result = await afterCycle({ outcomes: [outcome(1)] }, config(), store, { imageLengths: null, archiveIndex: createArchiveIndex() });
      expect(pings).toHaveLength(4);
      expect(result.archiveError).toBeNull();
      expect(result.archiveReplaced).toMatch(/unreadable record at key "archive:layout": not JSON/);
      expect(await store.getArchiveLayout()).toEqual({ pages: [] });
    } finally {
      await store.close();
    }
  });

  it('still pings when the archive layout cannot be recorded, and says why', async () => {
    const store = await openSqliteStore({ file: path.join(tempDir(), 'byline.sqlite') });
    try {
      // The real store, refusing the layout's write as a full disk or a lost server would.
      const refusing: Store = Object.create(store) as Store;
      refusing.getArchiveLayout = () => Promise.reject(new StoreError('store(sqlite): getArchiveLayout failed: disk I/O error'));
      const result = await afterCycle({ outcomes: [outcome(1)] }, config(), refusing, { imageLengths: null, archiveIndex: createArchiveIndex() });
      expect(pings).toHaveLength(4);
      expect(result).toMatchObject({ archiveError: 'store(sqlite): getArchiveLayout failed: disk I/O error', archiveReplaced: null });
    } finally {
      await store.close();
    }
  });
});

describe('byline run', () => {
  let fixtures: FixtureServer;
  beforeEach(async () => {
    fixtures = await startFixtureServer();
    serveFixtures(fixtures);
  });
  afterEach(() => fixtures.close());

  it('pings the hub after a cycle that added items, and advertises it on the feeds', async () => {
    const cwd = tempDir();
    writeConfig(cwd, fixtures, GOOD_SOURCES, `output:\n  hubUrl: ${hub.url('/hub')}\n`);
    const { child, match, output } = await startCli(['run', '--port', '0'], cwd, /event=listening url=(\S+)/);
    try {
      await expect.poll(() => pings.length, { timeout: 15_000 }).toBe(4);
      expect(pings.map((p) => p.form)).toEqual(
        ['feed.xml', 'atom.xml', 'feed.json', 'newsletter.xml'].map((file) => ({ 'hub.mode': 'publish', 'hub.url': `https://byline.example/${file}` })),
      );
      // Logged once every ping is answered, which can be after the hub has counted the fourth.
      await expect.poll(output, { timeout: 15_000 }).toMatch(/event=websub_ping feed=https:\/\/byline\.example\/feed\.xml ok=true status=204/);
      const response = await fetch(new URL('atom.xml', match[1]!));
      expect(response.headers.get('link')).toBe(`<${hub.url('/hub')}>; rel="hub", <https://byline.example/atom.xml>; rel="self"`);
      expect(await response.text()).toContain(`<link rel="hub" href="${hub.url('/hub')}"/>`);
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  });
});
