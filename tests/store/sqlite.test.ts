/**
 * The embedded backend: the shared contract on a temp SQLite file, plus what
 * only SQLite has: pragmas, a failure injected inside the transaction, other
 * processes writing the same file, the keyv adapter on its own, and URLs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Keyv } from 'keyv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CycleLockLostError, StoreError } from '../../src/errors.js';
import { SqliteKeyvAdapter, createStore, openSqliteStore } from '../../src/store/index.js';
import { READ_CHUNK } from '../../src/store/keyv-reads.js';
import { encodeOwner } from '../../src/store/lock-record.js';
import { NEW_FILE_PAGE_SIZE } from '../../src/store/sqlite-connection.js';
import { createSqliteCycleLock } from '../../src/store/sqlite-lock.js';
import type { Store } from '../../src/store/index.js';
import { storeContract } from './contract.js';
import { commitSourcesContract } from './commit-sources-contract.js';
import { dateMarginsContract } from './date-margins-contract.js';
import { enclosureContract } from './enclosure-contract.js';
import { article, change, state, tempDir } from './fixtures.js';
import { layoutContract, type LayoutHarness } from './layout-contract.js';
import { lockContract, type LockHarness } from './lock-contract.js';
import { expectTakeoverCompares, lockTakeoverContract } from './lock-takeover-contract.js';
import { mergeContract } from './merge-contract.js';
import { renameContract } from './rename-contract.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');

/** A file the tests reach beside the store, with a connection of their own per step. */
function sqliteHarness(): LayoutHarness & LockHarness {
  const tmp = tempDir();
  const file = path.join(tmp.dir, 'byline.sqlite');
  const withDb = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  const url = `sqlite://${file}`;
  return {
    url,
    open: () => createStore({ url }),
    async writeRaw(key, raw) {
      withDb((db) => db.prepare('INSERT OR REPLACE INTO kv (key, value, expires) VALUES (?, ?, NULL)').run(`byline:${key}`, raw));
    },
    async readRaw(key) {
      const row = withDb((db) => db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?').get(`byline:${key}`));
      return row?.value ?? null;
    },
    async deleteRaw(key) {
      withDb((db) => db.prepare('DELETE FROM kv WHERE key = ?').run(`byline:${key}`));
    },
    async forgetLayout() {
      withDb((db) => db.pragma('user_version = 0'));
    },
    async writeRawLock(raw, ttlMs) {
      withDb((db) =>
        db.prepare('INSERT OR REPLACE INTO cycle_lock (name, owner, expires) VALUES (?, ?, ?)').run('lock:cycle', raw, Date.now() + ttlMs),
      );
    },
    dispose: async () => tmp.remove(),
  };
}

storeContract('sqlite', async () => sqliteHarness());
layoutContract('sqlite', async () => sqliteHarness());
lockContract('sqlite', async () => sqliteHarness());
lockTakeoverContract('sqlite', async () => sqliteHarness());
renameContract('sqlite', async () => sqliteHarness());
mergeContract('sqlite', async () => sqliteHarness());
enclosureContract('sqlite', async () => sqliteHarness());
dateMarginsContract('sqlite', async () => sqliteHarness());
commitSourcesContract('sqlite', async () => sqliteHarness());

describe('sqlite backend', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  const toClose: Array<{ close(): unknown }> = [];

  beforeEach(() => {
    tmp = tempDir();
    file = path.join(tmp.dir, 'byline.sqlite');
  });

  afterEach(async () => {
    for (const each of toClose.splice(0)) await each.close();
    tmp.remove();
  });

  async function openStore(options: { busyTimeoutMs?: number } = {}): Promise<Store> {
    const store = await openSqliteStore({ file, ...options });
    toClose.push(store);
    return store;
  }

  function rawDb(): Database.Database {
    const db = new Database(file);
    toClose.push(db);
    return db;
  }

  it('creates <cacheDir>/byline.sqlite, directories included, when no URL is given', async () => {
    const cacheDir = path.join(tmp.dir, 'deep', 'cache');
    const store = await createStore({ url: null, cacheDir });
    toClose.push(store);
    expect(store.backend).toBe('sqlite');
    await store.commitSource(change('s'));
    expect(existsSync(path.join(cacheDir, 'byline.sqlite'))).toBe(true);
  });

  it('opens the file WAL, synchronous=NORMAL, with a busy timeout, and the kv table', () => {
    const adapter = new SqliteKeyvAdapter({ file });
    toClose.push({ close: () => adapter.disconnect() });
    const db = adapter.database;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const columns = db.pragma('table_info(kv)') as Array<{ name: string; type: string; pk: number }>;
    expect(columns.map(({ name, type, pk }) => ({ name, type, pk }))).toEqual([
      { name: 'key', type: 'TEXT', pk: 1 },
      { name: 'value', type: 'TEXT', pk: 0 },
      { name: 'expires', type: 'INTEGER', pk: 0 },
    ]);
  });

  it('creates a new file with 16 KB pages and leaves an existing file at the page size it has', async () => {
    const adapter = new SqliteKeyvAdapter({ file });
    toClose.push({ close: () => adapter.disconnect() });
    expect(adapter.database.pragma('page_size', { simple: true })).toBe(NEW_FILE_PAGE_SIZE);

    // A file created before (SQLite's default 4 KB pages, rollback journal) with a value in it.
    const older = path.join(tmp.dir, 'older.sqlite');
    const seed = new Database(older);
    seed.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER NULL)');
    seed.prepare('INSERT INTO kv (key, value, expires) VALUES (?, ?, NULL)').run('byline:k', JSON.stringify({ value: 'kept', expires: null }));
    expect(seed.pragma('page_size', { simple: true })).toBe(4096);
    seed.close();
    const reopened = new SqliteKeyvAdapter({ file: older });
    toClose.push({ close: () => reopened.disconnect() });
    expect(reopened.database.pragma('page_size', { simple: true })).toBe(4096);
    expect(reopened.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(await reopened.get('byline:k')).toBe(JSON.stringify({ value: 'kept', expires: null }));
  });

  it.each([
    { url: 'postgres://localhost/db', pattern: /^store: unsupported store URL/ },
    { url: 'sqlite://host/db.sqlite', pattern: /^store\(sqlite\): expected sqlite:\/\/\/absolute/ },
  ])('rejects $url with StoreError', async ({ url, pattern }) => {
    await expect(createStore({ url })).rejects.toThrow(pattern);
    await expect(createStore({ url })).rejects.toBeInstanceOf(StoreError);
  });

  it('reads many keys a chunk at a time, letting the event loop turn between chunks, and keeps their order', async () => {
    const store = await openStore();
    const ids = Array.from({ length: READ_CHUNK * 4 + 5 }, (_, i) => `s${i}`);
    // Every third source has a state; the others are absent from the map.
    for (const id of ids.filter((_, i) => i % 3 === 0)) {
      await store.commitSource(change(id, { state: state(id, { revision: Number(id.slice(1)) }) }));
    }
    let turns = 0;
    let reading = true;
    const tick = (): void => {
      turns++;
      if (reading) setImmediate(tick);
    };
    setImmediate(tick);
    const states = await store.getStates(ids);
    reading = false;
    // Read in one synchronous step, the whole read would resolve before any immediate ran.
    expect(turns).toBeGreaterThanOrEqual(4);
    expect([...states.keys()]).toEqual(ids.filter((_, i) => i % 3 === 0));
    for (const [id, got] of states) expect(got.revision).toBe(Number(id.slice(1)));
  });

  it('fails to open a file under a regular file with StoreError naming the path', async () => {
    const store = await openStore();
    await store.commitSource(change('s'));
    const impossible = path.join(file, 'nested', 'byline.sqlite');
    await expect(openSqliteStore({ file: impossible })).rejects.toThrow(`store(sqlite): cannot open ${impossible}`);
  });

  it('moves no article when the layout upgrade fails part way, and finishes it on the next open', async () => {
    const store = await openStore();
    await store.commitSource(change('s', { upserts: [article('s', 'a'), article('s', 'b')] }));
    await store.close();
    const db = rawDb();
    db.exec(`
      UPDATE kv SET key = 'byline:article:' || substr(key, length('byline:article:s:') + 1) WHERE key GLOB 'byline:article:s:*';
      PRAGMA user_version = 0;
      CREATE TRIGGER fail_move BEFORE UPDATE ON kv WHEN OLD.key = 'byline:article:b' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
    `);
    const keysNow = (): string[] => db.prepare<[], { key: string }>("SELECT key FROM kv WHERE key GLOB 'byline:article:*' ORDER BY key").all().map((row) => row.key);

    const error: unknown = await openSqliteStore({ file }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toBe(`store(sqlite): cannot open ${file}: injected failure`);
    expect(keysNow()).toEqual(['byline:article:a', 'byline:article:b']);
    expect(db.pragma('user_version', { simple: true })).toBe(0);

    db.exec('DROP TRIGGER fail_move');
    const reopened = await openStore();
    expect([...(await reopened.getArticles(['a', 'b'].map((id) => ({ sourceId: 's', id })))).keys()]).toEqual(['a', 'b']);
    expect(keysNow()).toEqual(['byline:article:s:a', 'byline:article:s:b']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('rolls back a commit that fails inside the transaction', async () => {
    const store = await openStore();
    await store.commitSource(change('s', { state: state('s', { revision: 1 }), upserts: [article('s', 'old')] }));
    // Fails the write of the state, which comes after the articles and aliases in the same transaction.
    rawDb().exec(`
      CREATE TRIGGER fail_insert BEFORE INSERT ON kv WHEN NEW.key = 'byline:state:s' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
      CREATE TRIGGER fail_update BEFORE UPDATE ON kv WHEN NEW.key = 'byline:state:s' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
    `);

    const failing = change('s', {
      state: state('s', { revision: 2 }),
      upserts: [article('s', 'new'), article('s', 'old', { title: 'Changed' })],
      deletes: [],
      aliases: { 'guid:s:new': 'new' },
    });
    const error: unknown = await store.commitSource(failing).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toBe('store(sqlite): commitSource failed: injected failure');
    expect((error as StoreError).cause).toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER' });

    expect((await store.getState('s'))?.revision).toBe(1);
    expect(await store.getArticles(['new', 'old'].map((id) => ({ sourceId: 's', id })))).toEqual(new Map([['old', article('s', 'old')]]));
    expect(await store.resolveAliases(['guid:s:new'])).toEqual(new Map());
    expect((await store.getIndex('s')).map((entry) => entry.id)).toEqual(['old']);
  });

  it('takes the cycle lock over from a dead owner only while that owner still holds it', async () => {
    await expectTakeoverCompares(createSqliteCycleLock(rawDb()));
  });

  it('waits for another process holding the write lock instead of failing', async () => {
    const store = await openStore();
    await store.commitSource(change('s'));
    const holder = holdWriteLock(file, 400);
    await holder.locked;
    await store.commitSource(change('s', { upserts: [article('s', 'a')] }));
    await holder.exited;
    expect((await store.getIndex('s')).map((entry) => entry.id)).toEqual(['a']);
  });

  it('surfaces SQLITE_BUSY as StoreError when the lock outlasts the busy timeout', async () => {
    const store = await openStore({ busyTimeoutMs: 50 });
    await store.commitSource(change('s'));
    const holder = holdWriteLock(file, 1500);
    await holder.locked;
    const error: unknown = await store.commitSource(change('s', { upserts: [article('s', 'a')] })).then(() => null, (e: unknown) => e);
    await holder.exited;
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/^store\(sqlite\): commitSource failed: database is locked/);
    expect((error as StoreError).cause).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(await store.getIndex('s')).toEqual([]);
  });

  it('loses no write with two Store instances and a child process writing the same file', async () => {
    const first = await openStore();
    const second = await openStore();
    const childRounds = 400;
    const child = runChildWriter(file, 'child', childRounds);
    await child.started;
    let childDone = false;
    const finished = child.done.finally(() => {
      childDone = true;
    });
    // Both in-process writers keep committing for as long as the child does, so the writes really overlap.
    const writer = async (target: Store, sourceId: string): Promise<number> => {
      let i = 0;
      while (!childDone || i < 20) {
        await target.commitSource(change(sourceId, { state: state(sourceId, { revision: i + 1 }), upserts: [article(sourceId, `${sourceId}-${i}`)] }));
        i++;
        // Yield so the other writer and the child's exit notification get their turn.
        await new Promise((resolve) => setImmediate(resolve));
      }
      return i;
    };
    const [rounds1, rounds2] = await Promise.all([writer(first, 'p1'), writer(second, 'p2'), finished]);

    const reader = await openStore();
    for (const [sourceId, rounds] of [['p1', rounds1], ['p2', rounds2], ['child', childRounds]] as const) {
      expect((await reader.getIndex(sourceId)).length).toBe(rounds);
      expect((await reader.getState(sourceId))?.revision).toBe(rounds);
    }
  });

  describe('SqliteKeyvAdapter under plain keyv', () => {
    let keyv: Keyv;

    beforeEach(() => {
      keyv = new Keyv({ store: new SqliteKeyvAdapter({ file }), namespace: 'ns', useKeyPrefix: false, throwOnErrors: true });
      toClose.push({ close: () => keyv.disconnect() });
    });

    it('gets, sets, checks and deletes values', async () => {
      await keyv.set('a', { n: 1 });
      await keyv.setMany([
        { key: 'b', value: 'two' },
        { key: 'c', value: [3] },
      ]);
      expect(await keyv.get('a')).toEqual({ n: 1 });
      expect(await keyv.getMany(['b', 'c', 'zz'])).toEqual(['two', [3], undefined]);
      expect(await keyv.has('b')).toBe(true);
      expect(await keyv.delete('b')).toBe(true);
      expect(await keyv.delete('b')).toBe(false);
      expect(await keyv.deleteMany(['a', 'zz'])).toBe(true);
      expect(await keyv.getMany(['a', 'b', 'c'])).toEqual([undefined, undefined, [3]]);
    });

    it('clears and iterates only its own namespace', async () => {
      const other = new Keyv({ store: new SqliteKeyvAdapter({ file }), namespace: 'other', useKeyPrefix: false });
      toClose.push({ close: () => other.disconnect() });
      await other.set('x', 'kept');
      await keyv.setMany(Array.from({ length: 450 }, (_, i) => ({ key: `k${String(i).padStart(3, '0')}`, value: i })));

      const seen: Array<[string, unknown]> = [];
      for await (const [key, value] of keyv.iterator?.(undefined) ?? []) seen.push([key as string, value]);
      expect(seen).toHaveLength(450);
      expect(seen[0]).toEqual(['k000', 0]);
      expect(seen.at(-1)).toEqual(['k449', 449]);

      await keyv.clear();
      expect(await keyv.get('k001')).toBeUndefined();
      expect(await other.get('x')).toBe('kept');
    });

    it('rejects once disconnected rather than returning undefined', async () => {
      await keyv.disconnect();
      await expect(keyv.get('a')).rejects.toThrow(/not open/);
      await expect(keyv.setMany([{ key: 'a', value: 1 }])).rejects.toThrow(/not open/);
    });
  });
});

/** A child process that takes the write lock of `file`, reports it, holds it `ms` and releases it. */
function holdWriteLock(file: string, ms: number): { locked: Promise<void>; exited: Promise<void> } {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec('COMMIT');
    db.close();
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited early with ${code}`)));
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`))));
  });
  return { locked, exited };
}

/** Runs child-writer.ts in its own Node process: `started` after its first commit, `done` when all landed. */
function runChildWriter(file: string, sourceId: string, count: number): { started: Promise<void>; done: Promise<void> } {
  const script = path.join(here, 'child-writer.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, file, sourceId, String(count)], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('started')) resolve();
    });
    child.once('exit', () => reject(new Error(`child writer never started: ${output}`)));
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 && output.includes('done') ? resolve() : reject(new Error(`child writer exited with ${code}: ${output}`))));
  });
  return { started, done };
}

describe('a commit queued in the writer when the cycle lock passes to another process', () => {
  it('is refused in its own transaction, and writes nothing', async () => {
    const tmp = tempDir();
    const file = path.join(tmp.dir, 'byline.sqlite');
    const store = await openSqliteStore({ file });
    const other = new Database(file);
    try {
      const mine = { token: 'mine', pid: 1, hostname: 'here', startedAt: '2026-11-27T00:00:00.000Z' };
      const theirs = { ...mine, token: 'theirs', pid: 2 };
      expect((await store.acquireCycleLock(mine, 60_000)).acquired).toBe(true);

      // Another process is writing: the commit waits in the writer thread's queue (busy timeout).
      other.exec('BEGIN IMMEDIATE');
      const commit = store.commitSource(change('s', { upserts: [article('s', 'a')], aliases: { 'guid:s:a': 'a' } }), { fence: mine });
      const settled = commit.then(() => 'landed', (error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Meanwhile this process's lock lapsed (it was paused) and the other one took it.
      other.prepare('UPDATE cycle_lock SET owner = ?, expires = ? WHERE name = ?').run(encodeOwner(theirs), Date.now() + 60_000, 'lock:cycle');
      other.exec('COMMIT');

      const outcome = await settled;
      expect(outcome).toBeInstanceOf(CycleLockLostError);
      expect(await store.getState('s')).toBeNull();
      expect(await store.getIndex('s')).toEqual([]);
      expect(await store.resolveAliases(['guid:s:a'])).toEqual(new Map());
    } finally {
      other.close();
      await store.close();
      tmp.remove();
    }
  });
});
