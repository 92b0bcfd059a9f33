/**
 * The writer thread: writes and WAL checkpoints leave the event loop. The
 * caller's connection has automatic checkpoints off, the worker copies the
 * WAL into the database once enough was written and the writes pause (never
 * waiting for a reader still on the WAL), past a cap, or when it closes, and
 * cuts the WAL back when it reuses it, a write is visible to the caller's
 * reads as soon as it resolves, SQLite's errors keep their code, close
 * finishes queued writes, and a worker that cannot start is reported.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialSourceState } from '../../src/model/index.js';
import { encodeEnvelope } from '../../src/store/codec.js';
import { createStore, SqliteKeyvAdapter, type SqliteAdapterOptions } from '../../src/store/index.js';
import { CHECKPOINT_AFTER_BYTES, startWriter, WRITER_NICE } from '../../src/store/sqlite-writer.js';
import { canLowerTo, startedSince, threadNices } from '../helpers/threads.js';
import { tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let file: string;
const adapters: SqliteKeyvAdapter[] = [];

beforeEach(() => {
  keys = 0;
  tmp = tempDir();
  file = path.join(tmp.dir, 'byline.sqlite');
});
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.disconnect();
  tmp.remove();
});

function open(options: Omit<SqliteAdapterOptions, 'file'> = {}): SqliteKeyvAdapter {
  const adapter = new SqliteKeyvAdapter({ file, ...options });
  adapters.push(adapter);
  return adapter;
}

let keys = 0;

/** Commits `total` bytes of values in batches of 20 new keys of 64 KB; returns how many keys exist so far. */
async function write(adapter: SqliteKeyvAdapter, total: number): Promise<number> {
  const value = JSON.stringify({ value: 'x'.repeat(64 * 1024) });
  for (let written = 0; written < total; written += 20 * value.length) {
    await adapter.setMany(Array.from({ length: 20 }, () => ({ key: `k${keys++}`, value })));
  }
  return keys;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the SQLite writer thread', () => {
  it('turns automatic checkpoints off on the caller\'s connection', () => {
    expect(open().database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });

  it.skipIf(!canLowerTo(WRITER_NICE))('runs the writer thread below the event loop\'s priority (Linux)', async () => {
    const before = threadNices();
    const adapter = open();
    await write(adapter, 64 * 1024);
    const after = threadNices();
    const mainNice = after.get(process.pid) ?? 0;
    expect(mainNice).toBe(before.get(process.pid));
    expect(startedSince(before, after)).toContain(WRITER_NICE);
  });

  it.skipIf(!canLowerTo(WRITER_NICE))('starts no writer thread for a store opened with writerThread: false, which still writes', async () => {
    const before = threadNices();
    const store = await createStore({ url: `sqlite:${file}`, writerThread: false });
    try {
      await store.commitSource({ sourceId: 's', state: initialSourceState('s'), upserts: [], deletes: [], aliases: {} });
      expect((await store.getState('s'))?.sourceId).toBe('s');
      // Any thread at the writer's priority would be the writer.
      expect(startedSince(before, threadNices())).not.toContain(WRITER_NICE);
    } finally {
      await store.close();
    }
  });

  it('checkpoints once enough was written and the writes pause', async () => {
    const adapter = open({ checkpointIdleMs: 100 });
    await write(adapter, CHECKPOINT_AFTER_BYTES / 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(adapter.writerStats?.checkpoints).toBe(0);
    expect(statSync(file).size).toBeLessThan(1024 * 1024);

    await write(adapter, CHECKPOINT_AFTER_BYTES);
    await until(() => adapter.writerStats!.checkpoints === 1);
    expect(adapter.writerStats?.lastError).toBeNull();
    // The pages now live in the main file, not only in the WAL.
    expect(statSync(file).size).toBeGreaterThan(CHECKPOINT_AFTER_BYTES);
  });

  it('does not checkpoint while the writes go on, until the cap', async () => {
    const adapter = open({ checkpointIdleMs: 60_000, checkpointCapBytes: 3 * CHECKPOINT_AFTER_BYTES });
    await write(adapter, 2 * CHECKPOINT_AFTER_BYTES);
    expect(adapter.writerStats?.checkpoints).toBe(0);
    expect(statSync(file).size).toBeLessThan(1024 * 1024);

    await write(adapter, 1.5 * CHECKPOINT_AFTER_BYTES);
    await until(() => adapter.writerStats!.checkpoints === 1);
    expect(statSync(file).size).toBeGreaterThan(2 * CHECKPOINT_AFTER_BYTES);
  });

  it('empties the WAL file when it checkpoints in a pause', async () => {
    // Long enough that the size below is read before the pause ends, even on a loaded machine.
    const adapter = open({ checkpointIdleMs: 1000 });
    await write(adapter, CHECKPOINT_AFTER_BYTES);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(CHECKPOINT_AFTER_BYTES);
    await until(() => adapter.writerStats!.checkpoints === 1);
    expect(statSync(`${file}-wal`).size).toBe(0);
    await adapter.setMany([{ key: 'next', value: '"after the checkpoint"' }]);
    expect(await adapter.get('next')).toBe('"after the checkpoint"');
  });

  it('does not wait for a reader still on the WAL when it checkpoints in a pause, and copies the rest in the next one', async () => {
    const busyTimeoutMs = 10_000;
    const adapter = open({ checkpointIdleMs: 100, busyTimeoutMs });
    const reader = new Database(file);
    try {
      await write(adapter, 64 * 1024);
      // A read transaction that outlives the writes below keeps its snapshot, and the WAL frames after it.
      reader.exec('BEGIN');
      const seen = reader.prepare('SELECT count(*) AS n FROM kv').get();
      await write(adapter, CHECKPOINT_AFTER_BYTES);
      const written = keys;
      const started = performance.now();
      await until(() => adapter.writerStats!.checkpoints === 1);
      // A TRUNCATE checkpoint would have waited out the busy timeout for the reader.
      expect(performance.now() - started).toBeLessThan(busyTimeoutMs / 2);
      // The next pause after a write tries again, and does not wait either.
      await adapter.setMany([{ key: 'next', value: '"during the read"' }]);
      await until(() => adapter.writerStats!.checkpoints === 2);
      expect(await adapter.get('next')).toBe('"during the read"');
      expect(reader.prepare('SELECT count(*) AS n FROM kv').get()).toEqual(seen);
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(CHECKPOINT_AFTER_BYTES);
      reader.exec('COMMIT');

      // Once the reader is done, the frames it held back go to the database file in the next pause after a write.
      await adapter.setMany([{ key: 'after', value: '"after the read"' }]);
      await until(() => adapter.writerStats!.checkpoints === 3);
      expect(adapter.writerStats?.lastError).toBeNull();
      expect(statSync(`${file}-wal`).size).toBe(0);
      expect(statSync(file).size).toBeGreaterThan(CHECKPOINT_AFTER_BYTES);
      expect(reader.prepare('SELECT count(*) AS n FROM kv').get()).toEqual({ n: written + 2 });
    } finally {
      reader.close();
    }
  });

  it('cuts the WAL back to its size limit when a write reuses it after a checkpoint at the cap', async () => {
    const limit = 1024 * 1024;
    const adapter = open({ checkpointIdleMs: 60_000, checkpointCapBytes: CHECKPOINT_AFTER_BYTES, walSizeLimitBytes: limit });
    // The last batch crosses the cap, so no write reuses the WAL before the one below.
    await write(adapter, CHECKPOINT_AFTER_BYTES);
    await until(() => adapter.writerStats!.checkpoints === 1);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(CHECKPOINT_AFTER_BYTES);
    await adapter.setMany([{ key: 'next', value: '"after the checkpoint"' }]);
    expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(limit);
    expect(await adapter.get('next')).toBe('"after the checkpoint"');
  });

  it('checkpoints what is pending when it closes, whoever else holds the file open', async () => {
    const adapter = open({ checkpointIdleMs: 60_000 });
    // Another connection stays open, so closing the adapter's own is not what copies the WAL.
    const other = new Database(file);
    try {
      await write(adapter, CHECKPOINT_AFTER_BYTES / 2);
      // Reading attaches it to the WAL, as any process serving from the store is.
      expect(other.prepare('SELECT count(*) AS n FROM kv').get()).toEqual({ n: keys });
      expect(statSync(file).size).toBeLessThan(1024 * 1024);
      await adapter.disconnect();
      expect(statSync(file).size).toBeGreaterThan(CHECKPOINT_AFTER_BYTES / 2);
    } finally {
      other.close();
    }
  });

  it('makes a write visible to reads on the caller\'s connection as soon as it resolves', async () => {
    const adapter = open();
    for (let i = 0; i < 50; i++) {
      await adapter.setMany([{ key: `k${i}`, value: JSON.stringify({ value: i }) }]);
      expect(await adapter.get(`k${i}`)).toBe(JSON.stringify({ value: i }));
    }
  });

  it.each([true, false])('serializes keyv envelopes handed over as objects (writer thread: %s)', async (writerThread) => {
    const adapter = open({ writerThread });
    await adapter.setMany([{ key: 'k', value: { value: { title: 'a "quoted" <b>title</b>', n: 1 }, expires: undefined } }]);
    expect(await adapter.get('k')).toBe('{"value":{"title":"a \\"quoted\\" <b>title</b>","n":1}}');
  });

  it('rejects a failed write with SQLite\'s code and writes none of its rows', async () => {
    const adapter = open();
    adapter.database.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON kv WHEN NEW.key = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END;",
    );
    const error: unknown = await adapter
      .setMany([{ key: 'good', value: '"1"' }, { key: 'bad', value: '"2"' }])
      .then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ message: 'refused', code: 'SQLITE_CONSTRAINT_TRIGGER' });
    expect(await adapter.get('good')).toBeUndefined();
  });

  describe('writes that share a transaction', () => {
    const small = (key: string) => [{ key, value: `"${key}"` }];

    it('commits small writes that arrive together in one transaction, and confirms each', async () => {
      const adapter = open();
      await Promise.all(Array.from({ length: 20 }, (_, i) => adapter.setMany(small(`s${i}`))));
      expect(adapter.writerStats?.transactions).toBe(1);
      for (let i = 0; i < 20; i++) expect(await adapter.get(`s${i}`)).toBe(`"s${i}"`);
    });

    it('fails a write alone when it fails inside a shared transaction', async () => {
      const adapter = open();
      adapter.database.exec("CREATE TRIGGER refuse BEFORE INSERT ON kv WHEN NEW.key = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
      const results = await Promise.allSettled([
        adapter.setMany(small('before')),
        adapter.setMany([...small('with-bad'), ...small('bad')]),
        adapter.setMany(small('after')),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'refused', code: 'SQLITE_CONSTRAINT_TRIGGER' });
      expect(adapter.writerStats?.transactions).toBe(1);
      expect(await adapter.get('before')).toBe('"before"');
      expect(await adapter.get('after')).toBe('"after"');
      expect(await adapter.get('with-bad')).toBeUndefined();
    });

    it('writes a large write at once, with the small ones waiting for company', async () => {
      // A wait longer than the test's timeout: only a write that does not wait can finish.
      const adapter = open({ groupLingerMs: 600_000 });
      const waiting = adapter.setMany(small('small'));
      await adapter.setMany([{ key: 'large', value: JSON.stringify({ value: 'x'.repeat(100 * 1024) }) }]);
      await waiting;
      expect(adapter.writerStats?.transactions).toBe(1);
      expect(await adapter.get('small')).toBe('"small"');
    });

    it('writes a waiting small write when it closes', async () => {
      const adapter = open({ groupLingerMs: 600_000 });
      const waiting = adapter.setMany(small('small'));
      await adapter.disconnect();
      await waiting;
      const db = new Database(file, { readonly: true });
      try {
        expect(db.prepare("SELECT value FROM kv WHERE key = 'small'").get()).toEqual({ value: '"small"' });
      } finally {
        db.close();
      }
    });
  });

  it('finishes queued writes on close, and every value reads back from a new connection', async () => {
    const adapter = open();
    const keys = await write(adapter, CHECKPOINT_AFTER_BYTES * 1.5);
    const last = adapter.setMany([{ key: 'last', value: '"queued"' }]);
    await adapter.disconnect();
    await last;
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM kv').get()).toEqual({ n: keys + 1 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it.each([true, false])('stores an envelope handed over as an object as the codec encodes it (writer thread: %s)', async (writerThread) => {
    const adapter = open({ writerThread });
    const envelopes = {
      article: { value: { id: 'a', title: 'T', contentHtml: '<p>one\n"two"</p>\n' }, expires: null },
      plain: { value: { id: 'b', contentHtml: '' }, expires: null },
    };
    await adapter.setMany(Object.entries(envelopes).map(([key, value]) => ({ key, value })));
    for (const [key, envelope] of Object.entries(envelopes)) expect(await adapter.get(key)).toBe(encodeEnvelope(envelope));
  });

  it('fails a write whose value cannot be encoded, and only that write, leaving nothing waiting', async () => {
    const adapter = open();
    // A writer thread with a write outstanding holds the process open (a ref'd MessagePort).
    const refs = (): number => process.getActiveResourcesInfo().filter((name) => name === 'MessagePort').length;
    await adapter.setMany([{ key: 'first', value: '"before"' }]);
    const idle = refs();
    await expect(adapter.setMany([{ key: 'bad', value: { value: 1n } }])).rejects.toThrow(/BigInt/);
    await adapter.setMany([{ key: 'next', value: '"after"' }]);
    expect(await adapter.get('next')).toBe('"after"');
    expect(await adapter.get('bad')).toBeUndefined();
    expect(refs()).toBe(idle);
  });

  it('stores text values byte for byte as the main connection would, in a UTF-8 and in a UTF-16 database', async () => {
    const values = ['"plain"', '"模型 — café 🚀"', '""', `"${'x'.repeat(70_000)}é"`];
    for (const encoding of ['UTF-8', 'UTF-16le']) {
      const seeded = path.join(tmp.dir, `${encoding}.sqlite`);
      const seed = new Database(seeded);
      seed.pragma(`encoding = '${encoding}'`);
      seed.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER NULL)');
      seed.close();
      const adapter = new SqliteKeyvAdapter({ file: seeded });
      adapters.push(adapter);
      await adapter.setMany(values.map((value, i) => ({ key: `k${i}`, value })));
      const reader = new Database(seeded, { readonly: true });
      try {
        expect(reader.pragma('encoding', { simple: true })).toBe(encoding);
        const rows = reader.prepare('SELECT key, value, typeof(value) AS type FROM kv ORDER BY key').all();
        expect(rows).toEqual(values.map((value, i) => ({ key: `k${i}`, value, type: 'text' })));
      } finally {
        reader.close();
      }
    }
  });

  it('is off when asked: this thread writes, and SQLite checkpoints inside commits', async () => {
    const adapter = open({ writerThread: false });
    expect(adapter.database.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(adapter.writerStats).toBeNull();
    await adapter.setMany([{ key: 'k', value: '"v"' }]);
    expect(await adapter.get('k')).toBe('"v"');
  });

  it('reports a worker that cannot open the database, so the caller writes on its own connection', async () => {
    const failure = await new Promise<Error>((resolve) => {
      startWriter({ file: path.join(tmp.dir, 'missing.sqlite'), busyTimeoutMs: 100, onFailed: resolve });
    });
    expect(failure.message).toMatch(/unable to open|exited|does not exist/i);
  });
});
