/**
 * WAL checkpoints run by the worker thread instead of inside commits: the
 * writer has automatic checkpoints off, the worker copies the WAL into the
 * database once enough was written, close waits for it, and a dead worker
 * hands checkpoints back to the writer.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteKeyvAdapter } from '../../src/store/index.js';
import { CHECKPOINT_AFTER_BYTES, startCheckpointer } from '../../src/store/sqlite-checkpointer.js';
import { tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let file: string;
const adapters: SqliteKeyvAdapter[] = [];

beforeEach(() => {
  tmp = tempDir();
  file = path.join(tmp.dir, 'byline.sqlite');
});
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.disconnect();
  tmp.remove();
});

function open(options: { backgroundCheckpoints?: boolean } = {}): SqliteKeyvAdapter {
  const adapter = new SqliteKeyvAdapter({ file, ...options });
  adapters.push(adapter);
  return adapter;
}

/** Commits `total` bytes of values in batches of 20 keys of 64 KB. */
async function write(adapter: SqliteKeyvAdapter, total: number): Promise<number> {
  const value = JSON.stringify({ value: 'x'.repeat(64 * 1024) });
  let keys = 0;
  for (let written = 0; written < total; written += 20 * value.length) {
    await adapter.setMany(Array.from({ length: 20 }, () => ({ key: `k${keys++}`, value })));
  }
  return keys;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('background WAL checkpoints', () => {
  it('turn automatic checkpoints off on the writing connection', () => {
    expect(open().database.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });

  it('copy the WAL into the database file once enough was written', async () => {
    const adapter = open();
    await write(adapter, CHECKPOINT_AFTER_BYTES / 2);
    expect(adapter.checkpoints?.requested).toBe(0);
    expect(statSync(file).size).toBeLessThan(1024 * 1024);

    await write(adapter, CHECKPOINT_AFTER_BYTES);
    expect(adapter.checkpoints?.requested).toBe(1);
    await until(() => adapter.checkpoints!.completed === 1);
    expect(adapter.checkpoints?.lastError).toBeNull();
    // The pages now live in the main file, not only in the WAL.
    expect(statSync(file).size).toBeGreaterThan(CHECKPOINT_AFTER_BYTES);
  });

  it('close after a checkpoint request, and every value reads back from a new connection', async () => {
    const adapter = open();
    const keys = await write(adapter, CHECKPOINT_AFTER_BYTES * 1.5);
    await adapter.disconnect();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM kv').get()).toEqual({ n: keys });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('are off when asked, leaving SQLite checkpointing inside commits', () => {
    const adapter = open({ backgroundCheckpoints: false });
    expect(adapter.database.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(adapter.checkpoints).toBeNull();
  });

  it('report a worker that cannot open the database, so the writer takes checkpoints back', async () => {
    const failure = await new Promise<Error>((resolve) => {
      startCheckpointer({ file: path.join(tmp.dir, 'missing.sqlite'), onFailed: resolve });
    });
    expect(failure.message).toMatch(/unable to open|exited|does not exist/i);
  });
});
