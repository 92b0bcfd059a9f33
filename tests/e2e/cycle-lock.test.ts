/**
 * One cycle per store across processes, as an operator meets it: the built
 * `byline` binary in child processes, a lock held by this test process (or by
 * another `byline`), and a fixture server that records what was fetched.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acquireCycleLock, type HeldCycleLock } from '../../src/jobs/cycle-lock.js';
import { createStore, openSqliteStore, type CycleLockOwner, type Store } from '../../src/store/index.js';
import { BIN, runCli, spawnCli, startCli } from '../helpers/cli.js';
import { fixture, GOOD_SOURCES, serveFixtures, writeConfig, type FixtureSource } from '../helpers/fixture-feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { useTempDirs } from '../helpers/tmp.js';
import { makeArticle } from '../helpers/articles.js';
import { initialSourceState } from '../../src/model/index.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../store/redis-server.js';

const tempDir = useTempDirs('byline-cycle-lock-');
const IDS = GOOD_SOURCES.map((source) => source.id);
/** A source whose answer waits until the test lets it go. */
const HELD: FixtureSource = { id: 'held', name: 'Held Back', path: '/held.xml' };
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let server: FixtureServer;
let cwd: string;
let store: Store;
let waiting: ServerResponse[];
const held: HeldCycleLock[] = [];

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
});
beforeEach(async () => {
  server = await startFixtureServer();
  serveFixtures(server);
  waiting = [];
  server.route(HELD.path, (_req, res) => void waiting.push(res));
  cwd = tempDir();
  store = await openSqliteStore({ file: path.join(cwd, 'cache', 'byline.sqlite') });
});
afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
  await store.close();
  await server.close();
});

/** Takes the store's lock as this test process, the way a cycle does. */
async function holdLock(target: Store = store): Promise<HeldCycleLock> {
  const lock = await acquireCycleLock(target);
  held.push(lock);
  return lock;
}

/** Whether another owner could take the lock right now (given back at once). */
async function lockIsFree(target: Store = store): Promise<boolean> {
  const probe: CycleLockOwner = { token: `probe-${Math.random()}`, pid: 1, hostname: 'probe', startedAt: new Date().toISOString() };
  const attempt = await target.acquireCycleLock(probe, 60_000);
  if (attempt.acquired) await target.releaseCycleLock(probe);
  return attempt.acquired;
}

/** `use` on a connection of its own to the test's SQLite file, bypassing the Store. */
function withRawDb<T>(use: (db: Database.Database) => T): T {
  const db = new Database(path.join(cwd, 'cache', 'byline.sqlite'));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** Sends SIGTERM and resolves with the exit code. */
function terminate(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/** The one line `byline fetch` prints when `lock` holds the store. */
function refusal(lock: HeldCycleLock): RegExp {
  const { pid, startedAt } = lock.owner;
  return new RegExp(
    `^byline: cycle_locked: another cycle is running on this store: pid ${pid} on ${escape(hostname())} since ${escape(startedAt)} ` +
      `\\(its lock lapses at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z unless renewed\\)\\n$`,
  );
}

describe('byline fetch', () => {
  it('fails at once, naming the holder, and changes nothing while another process holds the lock; fetches once it is released', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    const lock = await holdLock();
    const refused = await runCli(['fetch'], cwd);
    expect(refused.stderr).toMatch(refusal(lock));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(server.requests).toHaveLength(0);
    expect((await store.getStates(IDS)).size).toBe(0);
    expect(await store.listNewest({ sourceIds: IDS, limit: 100 })).toEqual([]);
    // The refusal did not take or break the lock: it is still ours.
    expect(await lockIsFree()).toBe(false);

    await lock.release();
    const fetched = await runCli(['fetch'], cwd);
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toMatch(/fetched 6 source\(s\): 11 new item\(s\), 0 failed/);
    expect((await store.getStates(IDS)).size).toBe(6);
    // Released at the end of its cycle.
    expect(await lockIsFree()).toBe(true);
  });

  it('refuses while another byline fetch runs, and that one stores every source', async () => {
    writeConfig(cwd, server, [...GOOD_SOURCES, HELD]);
    const first = spawnCli(['fetch'], cwd);
    // It asks for this feed only once it holds the lock.
    await expect.poll(() => waiting.length, { timeout: 15_000 }).toBe(1);
    const second = await runCli(['fetch'], cwd);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`^byline: cycle_locked: another cycle is running on this store: pid ${first.child.pid} on `));
    expect(second.stdout).toBe('');

    waiting[0]!.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(fixture('lab-rss2.xml'));
    const done = await first.result;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/fetched 7 source\(s\)/);
    // Each source requested once: the refused fetch fetched nothing.
    for (const source of [...GOOD_SOURCES, HELD]) expect(server.seen(source.path)).toHaveLength(1);
    expect([...(await store.getStates([...IDS, HELD.id])).keys()].sort()).toEqual([...IDS, HELD.id].sort());
    expect(await lockIsFree()).toBe(true);
  });

  it('releases the lock when interrupted', async () => {
    writeConfig(cwd, server, [HELD]);
    const fetching = spawnCli(['fetch'], cwd);
    await expect.poll(() => waiting.length, { timeout: 15_000 }).toBe(1);
    expect(await lockIsFree()).toBe(false);
    fetching.child.kill('SIGINT');
    const result = await fetching.result;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^byline: interrupted; /);
    expect(await lockIsFree()).toBe(true);
  });
});

describe('a cycle killed with SIGKILL', () => {
  it('leaves a lock the next byline fetch on this machine takes over at once, saying whose it was', async () => {
    writeConfig(cwd, server, [HELD]);
    const killed = spawnCli(['fetch'], cwd);
    await expect.poll(() => waiting.length, { timeout: 15_000 }).toBe(1);
    expect(await lockIsFree()).toBe(false);
    killed.child.kill('SIGKILL');
    await killed.result;
    // Nothing released it: its record is there, with most of its two minutes to run.
    const row = withRawDb((db) => db.prepare<[], { owner: string; expires: number }>('SELECT owner, expires FROM cycle_lock').get());
    expect(JSON.parse(row!.owner)).toMatchObject({ pid: killed.child.pid });
    expect(row!.expires - Date.now()).toBeGreaterThan(60_000);

    writeConfig(cwd, server, GOOD_SOURCES);
    const asked = Date.now();
    const next = await runCli(['fetch'], cwd);
    expect(Date.now() - asked).toBeLessThan(30_000);
    expect(next.stderr).toMatch(
      new RegExp(`^byline: took over the cycle lock of pid ${killed.child.pid} on ${escape(hostname())} \\(since [^)]+\\), which ended without releasing it\\n$`),
    );
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/fetched 6 source\(s\): 11 new item\(s\), 0 failed/);
    expect(await lockIsFree()).toBe(true);
  });
});

describe.skipIf(!hasRedisServer())('byline fetch on a Redis store', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('is refused while another process holds the lock, and fetches once it is released', async () => {
    writeConfig(cwd, server, GOOD_SOURCES);
    const shared = await createStore({ url: redis.url });
    try {
      const lock = await holdLock(shared);
      const refused = await runCli(['fetch', '--store', redis.url], cwd);
      expect([refused.code, refused.stdout]).toEqual([1, '']);
      expect(refused.stderr).toMatch(refusal(lock));
      expect(server.requests).toHaveLength(0);
      expect((await shared.getStates(IDS)).size).toBe(0);
      await lock.release();
      expect((await runCli(['fetch', '--store', redis.url], cwd)).code).toBe(0);
      expect((await shared.getStates(IDS)).size).toBe(6);
      expect(await lockIsFree(shared)).toBe(true);
    } finally {
      await shared.close();
    }
  });
});

describe('byline build', () => {
  it('leaves the archive pages to the cycle holding the lock, still writes the site, and records them once the lock is free', async () => {
    writeConfig(cwd, server, [GOOD_SOURCES[0]!], 'output:\n  archivePageSize: 10\n');
    // 25 articles first seen a day ago: two pages are complete, and nothing has recorded them yet.
    const seen = (i: number) => new Date(Date.now() - 86_400_000 + i * 60_000).toISOString();
    const articles = Array.from({ length: 25 }, (_, i) => makeArticle({ id: `a${String(i).padStart(2, '0')}`, sourceId: 'lab', published: seen(i), firstSeen: seen(i) }));
    await store.commitSource({ sourceId: 'lab', state: { ...initialSourceState('lab'), status: 'ok' }, upserts: articles, deletes: [], aliases: {} });

    const lock = await holdLock();
    const built = await runCli(['build', '--out', 'public'], cwd);
    expect(built.code).toBe(0);
    expect(built.stderr).toBe(`byline: a cycle is running on this store (pid ${lock.owner.pid} on ${hostname()}): it records the completed archive pages, so this build takes them as recorded\n`);
    expect(built.stdout).not.toContain('recorded');
    expect(existsSync(path.join(cwd, 'public', 'feed.xml'))).toBe(true);
    expect((await store.getArchiveLayout()).pages).toEqual([]);
    expect(await lockIsFree()).toBe(false);

    await lock.release();
    const again = await runCli(['build', '--out', 'public'], cwd);
    expect(again.stdout).toContain('recorded 2 completed archive page(s)');
    expect((await store.getArchiveLayout()).pages).toHaveLength(2);
    expect(await lockIsFree()).toBe(true);
  });
});

describe('byline run', () => {
  it('skips the ticks that find the lock held elsewhere, keeps serving, and runs the next tick once it is free', async () => {
    writeConfig(cwd, server, GOOD_SOURCES, 'schedule: "* * * * * *"\n');
    const lock = await holdLock();
    const { child, match, output } = await startCli(['run', '--port', '0'], cwd, /event=listening url=(\S+)/);
    try {
      const skipped = new RegExp(`event=cycle_skipped reason=locked holder_pid=${lock.owner.pid} holder_host=\\S+ since=${escape(lock.owner.startedAt)} lapses=\\S+`, 'g');
      // The start-up cycle and at least one tick, each skipped with one line.
      await expect.poll(() => output().match(skipped)?.length ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(output()).not.toMatch(/event=cycle /);
      expect(server.requests).toHaveLength(0);
      expect((await fetch(new URL('healthz', match[1]!))).status).toBe(200);

      await lock.release();
      await expect.poll(() => output(), { timeout: 10_000 }).toMatch(/event=cycle sources=6 skipped=0/);
      expect((await store.getStates(IDS)).size).toBe(6);
      expect(output()).not.toMatch(/cycle_error|cycle_lock /);
      expect(await terminate(child)).toBe(0);
      expect(await lockIsFree()).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('releases the lock of the cycle under way when it stops', async () => {
    writeConfig(cwd, server, [HELD]);
    const { child } = await startCli(['run', '--port', '0'], cwd, /event=listening/);
    try {
      await expect.poll(() => waiting.length, { timeout: 10_000 }).toBe(1);
      expect(await lockIsFree()).toBe(false);
      expect(await terminate(child)).toBe(0);
      expect(await lockIsFree()).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
