/**
 * Recording the archive pages under the cycle lock, on a real SQLite file and
 * a real redis-server, with two connections standing in for two processes: a
 * process that paused past the lock's lifetime while recording, and another
 * that took the lock meanwhile, ran a cycle and recorded its own pages. The
 * first one's write must not land over the second's, or a later retention
 * moves items between pages that subscribers already fetched.
 */
import path from 'node:path';
import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSourceSchema, SettingsSchema, type Config } from '../../src/config/index.js';
import { CycleLockLostError } from '../../src/errors.js';
import { afterCycle } from '../../src/jobs/after-cycle.js';
import { createArchiveIndex, fixArchivePages, planArchive, readLayout, type ArchiveIndex } from '../../src/jobs/archive.js';
import type { CycleFence } from '../../src/jobs/cycle-lock.js';
import { createStore, openSqliteStore, type CycleLockOwner, type Store } from '../../src/store/index.js';
import { useTempDirs } from '../helpers/tmp.js';
import { article, at, change } from '../store/fixtures.js';
import { hasRedisServer, startRedisServer, type RedisServer } from '../store/redis-server.js';

const tempDir = useTempDirs('byline-archive-lock-');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const PAGE_SIZE = 10;
/** Every item below was first seen hours before this: all of them have settled. */
const NOW = new Date(at(600));
const LONG = 60_000;

function owner(name: string): CycleLockOwner {
  return { token: `token-${name}`, pid: 4242, hostname: `host-${name}`, startedAt: '2024-05-01T00:00:00.000Z' };
}

/** A fence that remembers the refusals it was told of, as a held lock counts itself lost on them. */
function fenceOf(name: string): CycleFence & { refusals: CycleLockLostError[] } {
  const refusals: CycleLockLostError[] = [];
  return { owner: owner(name), refusals, refused: (error) => void refusals.push(error) };
}

/** Ids a`from`..a`to`. */
function ids(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => `a${from + i}`);
}

/** Items `from`..`to` of source s, first seen one minute apart. */
function items(from: number, to: number) {
  return ids(from, to).map((id, i) => article('s', id, { firstSeen: at(from + i) }));
}

/** The ids on archive page `page` as publishing plans it now. */
async function published(store: Store, page: number): Promise<string[]> {
  const [entries, read] = await Promise.all([createArchiveIndex().entries(store, ['s']), readLayout(store)]);
  return planArchive(entries, PAGE_SIZE, NOW, read.layout ?? { pages: [] }).entriesOf(page).map((entry) => entry.id);
}

/** An index that reads what it reads, then waits (the process pauses) until `resume` is called. */
function pausing(): { index: ArchiveIndex; read: Promise<void>; resume: () => void } {
  const inner = createArchiveIndex();
  let resume!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((resolve) => (resume = resolve));
  const read = new Promise<void>((resolve) => (reached = resolve));
  return {
    index: {
      async entries(store, sourceIds) {
        const entries = await inner.entries(store, sourceIds);
        reached();
        await gate;
        return entries;
      },
    },
    read,
    resume,
  };
}

function makeConfig(): Config {
  return {
    dir: 'feeds',
    settings: SettingsSchema.parse({ title: 'Byline', link: 'https://byline.example/', output: { archivePageSize: PAGE_SIZE } }),
    sources: [ConfigSourceSchema.parse({ id: 's', name: 'Source', url: 'https://s.example/feed.xml', site: 'https://s.example/' })],
  };
}

type Open = () => Promise<Store>;

function suite(open: () => Open): void {
  /** Two processes on one store; the first holds the lock. */
  async function setUp() {
    const connect = open();
    const mine = await connect();
    const theirs = await connect();
    await theirs.commitSource(change('s', { upserts: items(1, 20) }));
    expect((await mine.acquireCycleLock(owner('a'), LONG)).acquired).toBe(true);
    return { mine, theirs };
  }

  /** The first process stays paused past its lock's lifetime (its last renewal, a short one, runs out). */
  async function lapse(mine: Store): Promise<void> {
    expect(await mine.renewCycleLock(owner('a'), 1)).toBe(true);
    await sleep(50);
  }

  /** The other process takes the lapsed lock and runs a cycle: ten more items, then pages 1 to 3 recorded. */
  async function theirCycle(theirs: Store, fence: CycleFence): Promise<void> {
    expect((await theirs.acquireCycleLock(owner('b'), LONG)).acquired).toBe(true);
    await theirs.commitSource(change('s', { upserts: items(21, 30) }), { fence: fence.owner });
    expect(await fixArchivePages(theirs, createArchiveIndex(), ['s'], PAGE_SIZE, NOW, fence)).toEqual({ added: 3, replaced: null });
  }

  it('refuses the layout of a process that lost the lock, and later pages keep their items', async () => {
    const { mine, theirs } = await setUp();
    try {
      const fence = fenceOf('a');
      const paused = pausing();
      const stale = fixArchivePages(mine, paused.index, ['s'], PAGE_SIZE, NOW, fence).then(
        (value) => value,
        (error: unknown) => error,
      );
      await paused.read;
      await lapse(mine);
      const other = fenceOf('b');
      await theirCycle(theirs, other);
      const recorded = await theirs.getArchiveLayout();
      expect(await published(theirs, 3)).toEqual(ids(21, 30));

      paused.resume();
      const outcome = await stale;
      expect(outcome).toBeInstanceOf(CycleLockLostError);
      expect((outcome as Error).message).toMatch(/archive layout not recorded: the cycle lock it was made under is no longer held by this process/);
      expect(fence.refusals).toEqual([outcome]);
      expect(await theirs.getArchiveLayout()).toEqual(recorded);

      // Their next cycle: retention drops a21, and ten more items come. Page 3 only gets shorter.
      await theirs.commitSource(change('s', { upserts: items(31, 40), deletes: ['a21'] }), { fence: other.owner });
      await fixArchivePages(theirs, createArchiveIndex(), ['s'], PAGE_SIZE, NOW, other);
      expect(await published(theirs, 3)).toEqual(ids(22, 30));
      expect(await published(theirs, 4)).toEqual(ids(31, 40));
      expect(other.refusals).toEqual([]);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('reports the refusal after a cycle as an archive error, and to the lock', async () => {
    const { mine, theirs } = await setUp();
    try {
      const fence = fenceOf('a');
      const paused = pausing();
      const step = afterCycle({ outcomes: [] }, makeConfig(), mine, { imageLengths: null, archiveIndex: paused.index, lock: fence, now: () => NOW });
      await paused.read;
      await lapse(mine);
      await theirCycle(theirs, fenceOf('b'));
      const recorded = await theirs.getArchiveLayout();

      paused.resume();
      const result = await step;
      expect(result.archivePagesFixed).toBe(0);
      expect(result.archiveError).toMatch(/archive layout not recorded: the cycle lock/);
      expect(fence.refusals).toHaveLength(1);
      expect(await theirs.getArchiveLayout()).toEqual(recorded);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('records the layout while its fence holds the lock', async () => {
    const { mine, theirs } = await setUp();
    try {
      const fence = fenceOf('a');
      expect(await fixArchivePages(mine, createArchiveIndex(), ['s'], PAGE_SIZE, NOW, fence)).toEqual({ added: 2, replaced: null });
      expect((await theirs.getArchiveLayout()).pages.map((page) => page.id)).toEqual(['a10', 'a20']);
      expect(fence.refusals).toEqual([]);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
}

describe('sqlite', () => {
  suite(() => {
    const file = path.join(tempDir(), 'byline.sqlite');
    return () => openSqliteStore({ file });
  });
});

const redisAvailable = hasRedisServer();
describe.skipIf(!redisAvailable)('redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  suite(() => {
    // A fresh database per test: emptied when the test's first connection opens.
    let emptied = false;
    return async () => {
      if (!emptied) {
        emptied = true;
        const admin = createClient({ url: server.url });
        await admin.connect();
        await admin.flushAll();
        await admin.close();
      }
      return createStore({ url: server.url });
    };
  });
});
