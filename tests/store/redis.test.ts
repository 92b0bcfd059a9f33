/**
 * The Redis backend: the shared contract against a real redis-server started
 * by the test, the MULTI/EXEC shape of a commit, and failing fast (with
 * StoreError) when there is no server, when it dies, or when it stops
 * answering.
 */
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { createStore } from '../../src/store/index.js';
import { openRedisStore } from '../../src/store/redis.js';
import { createRedisCycleLock } from '../../src/store/redis-lock.js';
import type { Store } from '../../src/store/index.js';
import { storeContract } from './contract.js';
import { commitSourcesContract } from './commit-sources-contract.js';
import { dateMarginsContract } from './date-margins-contract.js';
import { enclosureContract } from './enclosure-contract.js';
import { layoutContract, type LayoutHarness } from './layout-contract.js';
import { lockContract, type LockHarness } from './lock-contract.js';
import { expectTakeoverCompares, lockTakeoverContract } from './lock-takeover-contract.js';
import { mergeContract } from './merge-contract.js';
import { renameContract } from './rename-contract.js';
import { article, change, freePort, state } from './fixtures.js';
import { hasRedisServer, startRedisServer } from './redis-server.js';
import type { RedisServer } from './redis-server.js';

/** How @keyv/redis lays out keyv's `byline` namespace. */
const rawKey = (key: string): string => `byline::${key}`;

async function rawClient(url: string) {
  const client = createClient({ url });
  await client.connect();
  return client;
}
type RawClient = Awaited<ReturnType<typeof rawClient>>;

const redisAvailable = hasRedisServer();
const skipReason = 'SKIPPED: redis-server not found on PATH (install it: apt-get update && apt-get install -y redis-server)';
// Skipped suites are not listed by the default reporter; say it where it shows.
if (!redisAvailable) console.warn(`tests/store/redis.test.ts: redis contract suite ${skipReason}`);

describe.skipIf(!redisAvailable)(redisAvailable ? 'redis backend' : `redis backend ${skipReason}`, () => {
  let server: RedisServer;
  let admin: RawClient;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = await rawClient(server.url);
  });

  afterAll(async () => {
    await admin?.close();
    await server?.stop();
  });

  // One server per file; a fresh, empty database per test.
  async function redisHarness(): Promise<LayoutHarness & LockHarness> {
    await admin.flushAll();
    return {
      url: server.url,
      open: () => createStore({ url: server.url }),
      async writeRaw(key, raw) {
        await admin.set(rawKey(key), raw);
      },
      readRaw: (key) => admin.get(rawKey(key)),
      async deleteRaw(key) {
        await admin.del(rawKey(key));
      },
      async forgetLayout() {
        await admin.del(rawKey('layout'));
      },
      async writeRawLock(raw, ttlMs) {
        await admin.set(rawKey('lock:cycle'), raw, { PX: ttlMs });
      },
      dispose: async () => undefined,
    };
  }

  storeContract('redis', redisHarness);
  layoutContract('redis', redisHarness);
  lockContract('redis', redisHarness);
  lockTakeoverContract('redis', redisHarness);
  renameContract('redis', redisHarness);
  mergeContract('redis', redisHarness);
  enclosureContract('redis', redisHarness);
  dateMarginsContract('redis', redisHarness);
  commitSourcesContract('redis', redisHarness);

  it('takes the cycle lock over from a dead owner only while that owner still holds it', async () => {
    await redisHarness();
    await expectTakeoverCompares(createRedisCycleLock(async () => admin));
  });

  it('finishes a layout upgrade that stopped part way', async () => {
    const harness = await redisHarness();
    const first = await harness.open();
    await first.commitSource(change('s', { upserts: [article('s', 'a'), article('s', 'b')] }));
    await first.close();
    // As if an upgrade had moved a, then stopped before it moved b and recorded the layout.
    await admin.rename(rawKey('article:s:b'), rawKey('article:b'));
    await harness.forgetLayout();

    const store = await harness.open();
    try {
      expect([...(await store.getArticles([{ sourceId: 's', id: 'a' }, { sourceId: 's', id: 'b' }])).keys()]).toEqual(['a', 'b']);
      expect((await admin.keys(rawKey('article:*'))).sort()).toEqual([rawKey('article:s:a'), rawKey('article:s:b')]);
      expect(await admin.get(rawKey('layout'))).toBe('1');
    } finally {
      await store.close();
    }
  });

  describe('commits', () => {
    const stores: Store[] = [];
    const clients: RawClient[] = [];

    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
      for (const client of clients.splice(0)) await client.close();
    });

    it('sends a commit as one script, whose writes the server runs together', async () => {
      await admin.flushAll();
      const store = await createStore({ url: server.url });
      stores.push(store);
      const monitor = await rawClient(server.url);
      clients.push(monitor);
      const seen: string[] = [];
      await monitor.monitor((line) => seen.push(String(line)));

      await store.commitSource(change('s', { upserts: [article('s', 'a'), article('s', 'b')], aliases: { 'guid:s:a': 'a' } }));
      await expect.poll(() => seen.filter((line) => /"set"/i.test(line)).length, { timeout: 5000 }).toBe(5);

      const commands = seen.map((line) => /"(\w+)"/.exec(line)?.[1]?.toLowerCase() ?? '');
      expect(commands.filter((command) => command === 'eval')).toHaveLength(1);
      const sets = seen.filter((line, i) => commands[i] === 'set');
      // MONITOR marks what a script ran with "lua".
      for (const line of sets) expect(line).toMatch(/\blua\]/);
      const written = sets.map((line) => /"set" "([^"]+)"/i.exec(line)?.[1]);
      expect(written.sort()).toEqual(['article:s:a', 'article:s:b', 'alias:guid:s:a', 'state:s', 'index:s'].map(rawKey).sort());
    });

    it('fails with StoreError, not a hang, while the server is gone, and recovers when it is back', async () => {
      let own = await startRedisServer();
      try {
        const store = await createStore({ url: own.url });
        stores.push(store);
        await store.commitSource(change('s'));
        await own.stop();

        for (const action of ['getState', 'getState'] as const) {
          const started = Date.now();
          const error: unknown = await store[action]('s').then(() => null, (e: unknown) => e);
          expect(error).toBeInstanceOf(StoreError);
          expect((error as StoreError).message).toMatch(/^store\(redis\): getState failed: /);
          // The reason (which one depends on timing), not only @keyv/redis's generic "not connected" message.
          expect((error as StoreError).message).toMatch(/ECONNREFUSED|Socket closed unexpectedly/);
          // Generous bound: the point is that it gives up instead of queueing the command forever.
          expect(Date.now() - started).toBeLessThan(15_000);
        }

        own = await startRedisServer(own.port);
        // The new server is empty (no persistence): null, but read through a working connection.
        expect(await store.getState('s')).toBeNull();
      } finally {
        await own.stop();
      }
    });

    it('never sets a revision back when a commit that timed out lands before the failure recorded after it', async () => {
      const own = await startRedisServer();
      try {
        const store = await openRedisStore({ url: own.url, operationTimeoutMs: 300 });
        stores.push(store);
        await store.commitSource(change('s', { state: state('s', { revision: 4 }) }));
        own.pause();
        // The refresh's commit (its articles changed: revision 5) gets no answer in time...
        const committed = await store.commitSource(change('s', { state: state('s', { revision: 5, itemsStored: 1 }) })).then(() => null, (e: unknown) => e);
        expect(committed).toBeInstanceOf(StoreError);
        // ...so it records the failure, with the revision it read before.
        const failure = state('s', { revision: 4, status: 'failing', consecutiveErrors: 1 });
        const recorded = await store.commitSource(change('s', { state: failure })).then(() => null, (e: unknown) => e);
        expect(recorded).toBeInstanceOf(StoreError);
        // Both were sent: the server applies them in order once it answers again.
        own.resume();
        await expect.poll(() => store.getState('s').then((stored) => stored?.status, () => 'still failing'), { timeout: 10_000 }).toBe('failing');
        expect(await store.getState('s')).toEqual({ ...failure, revision: 5 });

        // A higher revision is written as it is.
        await store.commitSource(change('s', { state: state('s', { revision: 6 }) }));
        expect((await store.getState('s'))?.revision).toBe(6);
      } finally {
        own.resume();
        await own.stop();
      }
    });

    it('never sets a revision back in a commit of several sources, for each of them', async () => {
      const own = await startRedisServer();
      try {
        const store = await openRedisStore({ url: own.url });
        stores.push(store);
        await store.commitSource(change('a', { state: state('a', { revision: 7 }) }));
        await store.commitSource(change('b', { state: state('b', { revision: 9 }) }));
        // Written with the revisions read before commits that have landed since (see the test above).
        await store.commitSources([
          change('a', { state: state('a', { revision: 6, itemsStored: 1 }) }),
          change('b', { state: state('b', { revision: 8, itemsStored: 2 }) }),
        ]);
        const states = await store.getStates(['a', 'b']);
        expect(states.get('a')).toEqual(state('a', { revision: 7, itemsStored: 1 }));
        expect(states.get('b')).toEqual(state('b', { revision: 9, itemsStored: 2 }));
      } finally {
        await own.stop();
      }
    });

    it('fails an operation with StoreError while the server does not answer, and works again once it does', async () => {
      const own = await startRedisServer();
      try {
        const store = await openRedisStore({ url: own.url, operationTimeoutMs: 300 });
        stores.push(store);
        const other = await openRedisStore({ url: own.url, operationTimeoutMs: 300 });
        await store.commitSource(change('s'));
        // Up, connected, silent: no connection closes, so only the operation timeout can end the wait.
        own.pause();
        const operations = {
          getState: () => store.getState('s'),
          commitSource: () => store.commitSource(change('s', { upserts: [article('s', 'a')] })),
          listNewest: () => store.listNewest({ sourceIds: ['s'], limit: 10 }),
        };
        for (const [action, operation] of Object.entries(operations)) {
          const error: unknown = await operation().then(() => null, (e: unknown) => e);
          expect(error).toBeInstanceOf(StoreError);
          expect((error as StoreError).message).toBe(`store(redis): ${action} timed out after 300 ms (no answer from the server)`);
        }
        // Closing does not wait for the server's answer.
        await other.close();
        own.resume();
        await expect.poll(() => store.getState('s').then((state) => state?.sourceId, () => 'still failing'), { timeout: 10_000 }).toBe('s');
        await store.commitSource(change('s', { upserts: [article('s', 'b')] }));
        expect([...(await store.getArticles([{ sourceId: 's', id: 'b' }])).keys()]).toEqual(['b']);
      } finally {
        own.resume();
        await own.stop();
      }
    });
  });
});

describe('redis backend without a server', () => {
  it('rejects createStore with StoreError quickly', async () => {
    const port = await freePort();
    const started = Date.now();
    const error: unknown = await createStore({ url: `redis://127.0.0.1:${port}` }).then(
      async (store) => {
        await store.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(new RegExp(`^store\\(redis\\): cannot connect to redis://127\\.0\\.0\\.1:${port}: `));
    expect((error as StoreError).cause).toBeDefined();
    // Generous bound: the point is that it gives up instead of retrying forever.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('does not repeat the password of the URL in its message', async () => {
    const port = await freePort();
    const error: unknown = await createStore({ url: `redis://user:hunter2@127.0.0.1:${port}` }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).not.toContain('hunter2');
    expect((error as StoreError).message).toContain('redis://user:***@127.0.0.1');
  });

  it('rejects a malformed redis URL with StoreError', async () => {
    await expect(createStore({ url: 'redis://[bad' })).rejects.toThrow(/^store\(redis\): invalid URL/);
  });
});
