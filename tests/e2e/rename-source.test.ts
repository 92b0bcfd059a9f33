/**
 * `byline rename-source`: an operator changes a source's id in the config;
 * its stored articles follow, on a SQLite file and on a Redis server, with
 * the same GUIDs, and nothing comes back as new.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireCycleLock } from '../../src/jobs/cycle-lock.js';
import { openSqliteStore } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import type { FixtureServer } from '../helpers/fixture-server.js';
import { GOOD_SOURCES, writeConfig, type FixtureSource } from '../helpers/fixture-feeds.js';
import { useCliWorkspace } from '../helpers/cli-workspace.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../store/redis-server.js';

let server: FixtureServer;
let cwd: string;
const tempDir = useCliWorkspace('byline-rename-', (workspace) => ({ server, cwd } = workspace));
const lab = GOOD_SOURCES[0]!;
const cloud = GOOD_SOURCES[1]!;
const renamedLab: FixtureSource = { ...lab, id: 'frontier-lab' };


type Row = { id: string; status: string; items: number };
async function rows(store: string[] = []): Promise<Array<[string, string, number]>> {
  const listed = await runCli(['sources', '--json', ...store], cwd);
  expect(listed.stderr).toBe('');
  return (JSON.parse(listed.stdout) as Row[]).map((row) => [row.id, row.status, row.items]);
}

/** The items of the built JSON Feed: GUID and the source id named in its credit. */
async function built(store: string[] = []): Promise<Array<[string, string]>> {
  const out = tempDir();
  expect((await runCli(['build', '--out', out, ...store], cwd)).code).toBe(0);
  const feed = JSON.parse(readFileSync(path.join(out, 'feed.json'), 'utf8')) as { items: Array<{ id: string; _byline: { source: { id: string } } }> };
  return feed.items.map((item) => [item.id, item._byline.source.id]);
}

describe('byline rename-source', () => {
  it('moves the articles of a source whose id changed in the config, so they show, with the same GUIDs, under the new id', async () => {
    writeConfig(cwd, server, [lab, cloud]);
    expect((await runCli(['fetch'], cwd)).code).toBe(0);
    const before = await built();
    expect(before).toHaveLength(4);

    writeConfig(cwd, server, [renamedLab, cloud]);
    const renamed = await runCli(['rename-source', 'lab', 'frontier-lab'], cwd);
    expect(renamed.stderr).toBe('');
    expect(renamed.stdout).toBe('moved source "lab" to "frontier-lab": 2 article(s), 0 deleted article(s) kept so they do not return, 2 alias(es), and its state, index and alerts\n');
    expect(renamed.code).toBe(0);
    expect(await rows()).toEqual([
      ['frontier-lab', 'ok', 2],
      ['cloud', 'ok', 2],
    ]);

    // The next cycle finds every item known, under the new id: nothing new, nothing lost.
    const fetched = await runCli(['fetch'], cwd);
    expect(fetched.stdout).toMatch(/source=frontier-lab status=\w+ new=0 /);
    expect(fetched.stdout).toMatch(/: 0 new item\(s\), 0 failed/);
    expect(await rows()).toEqual([
      ['frontier-lab', 'ok', 2],
      ['cloud', 'ok', 2],
    ]);
    const after = await built();
    expect(after).toEqual(before.map(([guid, source]) => [guid, source === 'lab' ? 'frontier-lab' : source]));
    expect(after.filter(([, source]) => source === 'frontier-lab')).toHaveLength(2);
  });

  it('refuses, moving nothing, once a cycle has stored records under the new id', async () => {
    writeConfig(cwd, server, [lab]);
    await runCli(['fetch'], cwd);
    writeConfig(cwd, server, [renamedLab]);
    await runCli(['fetch'], cwd);
    // What the command is for: the articles sit under the old id, and their aliases make the items known.
    expect(await rows()).toEqual([['frontier-lab', 'ok', 0]]);

    const refused = await runCli(['rename-source', 'lab', 'frontier-lab'], cwd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^byline: store_error: store\(sqlite\): renameSource: source "frontier-lab" already has records in this store \(e\.g\. "[^"]*:frontier-lab[:"][^\n]*; nothing was moved \(after a cycle under "frontier-lab", rename-source --merge combines the two\)\n$/);
    writeConfig(cwd, server, [lab]);
    expect(await rows()).toEqual([['lab', 'ok', 2]]);
  });

  it('refuses while a cycle runs on the store, moving nothing', async () => {
    writeConfig(cwd, server, [lab]);
    await runCli(['fetch'], cwd);
    const store = await openSqliteStore({ file: path.join(cwd, 'cache', 'byline.sqlite') });
    const lock = await acquireCycleLock(store);
    try {
      const refused = await runCli(['rename-source', 'lab', 'frontier-lab'], cwd);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^byline: cycle_locked: another cycle is running on this store: pid ${lock.owner.pid} `));
    } finally {
      await lock.release();
      await store.close();
    }
    expect(await rows()).toEqual([['lab', 'ok', 2]]);
  });

  it('says what the config still lacks, and refuses a store that does not exist', async () => {
    writeConfig(cwd, server, [lab]);
    await runCli(['fetch'], cwd);
    const renamed = await runCli(['rename-source', 'lab', 'frontier-lab'], cwd);
    expect(renamed.code).toBe(0);
    expect(renamed.stderr).toBe(
      'byline: the config has no source "frontier-lab" yet: give the source that id, or its articles stay unseen\n' +
        'byline: the config still has a source "lab": change its id there too, or a cycle stores its state anew and the rename must be undone by hand\n',
    );

    const missing = await runCli(['rename-source', 'lab', 'frontier-lab', '--store', 'sqlite:cahce/byline.sqlite'], cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no store at ${path.join(cwd, 'cahce', 'byline.sqlite')}`);
    expect(readdirSync(cwd).sort()).toEqual(['cache', 'feeds']);
  });

  it('refuses ids that are no source ids as a usage error', async () => {
    for (const args of [['Lab', 'frontier-lab'], ['lab', 'lab'], ['lab']]) {
      const refused = await runCli(['rename-source', ...args], cwd);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/Usage: byline rename-source \[options\] <old-id> <new-id>/);
    }
  });
});

const redisAvailable = hasRedisServer();
if (!redisAvailable) console.warn('tests/e2e/rename-source.test.ts: redis suite SKIPPED: redis-server not found on PATH');

describe.skipIf(!redisAvailable)('byline rename-source on a Redis store', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('moves the articles to the new id', async () => {
    const store = ['--store', redis.url];
    writeConfig(cwd, server, [lab, cloud]);
    expect((await runCli(['fetch', ...store], cwd)).code).toBe(0);
    const before = await built(store);
    writeConfig(cwd, server, [renamedLab, cloud]);
    const renamed = await runCli(['rename-source', 'lab', 'frontier-lab', ...store], cwd);
    expect([renamed.code, renamed.stderr]).toEqual([0, '']);
    expect(await rows(store)).toEqual([
      ['frontier-lab', 'ok', 2],
      ['cloud', 'ok', 2],
    ]);
    expect((await runCli(['fetch', ...store], cwd)).stdout).toMatch(/: 0 new item\(s\), 0 failed/);
    expect((await built(store)).map(([guid]) => guid)).toEqual(before.map(([guid]) => guid));
    // Refused the second time: the new id has records, the old one none.
    expect((await runCli(['rename-source', 'lab', 'frontier-lab', ...store], cwd)).stderr).toMatch(/source "lab" has no records in this store/);
  });
});
