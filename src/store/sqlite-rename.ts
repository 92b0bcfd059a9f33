/**
 * Renaming a source in a SQLite file (see source-rename.ts): one IMMEDIATE
 * transaction checks that the new id has no records, then rewrites every
 * record of the old one under the new id. Another process opening the file
 * meanwhile waits (busy timeout) and then sees all of it or none. Merging
 * one source into another (source-merge.ts) reads both and writes the plan
 * in one such transaction too.
 */
import type Database from 'better-sqlite3';
import { NAMESPACE } from './codec.js';
import { SourceMergePlan, type ArticleCombiner, type SourceMerge } from './source-merge.js';
import { RenameTally, movedRecord, nothingToMove, renameIds, sourceKeys, targetTaken, type SourceKeys, type SourceRename } from './source-rename.js';

/** The kv table's keys carry the keyv namespace (see sqlite-adapter.ts). */
const PREFIX = `${NAMESPACE}:`;

interface Row {
  key: string;
  value: string;
}

/** The rows holding a source's records, under `keys` (without the prefix). */
function rowsOf(db: Database.Database, { exact, prefixes }: SourceKeys, limit: number): Row[] {
  // substr comparison rather than GLOB or LIKE, which would read `*`, `%` or `_` in a key as wildcards.
  const where = [...exact.map(() => 'key = ?'), ...prefixes.map(() => 'substr(key, 1, ?) = ?')].join(' OR ');
  const args = [...exact.map((key) => PREFIX + key), ...prefixes.flatMap((prefix) => [PREFIX.length + prefix.length, PREFIX + prefix])];
  return db.prepare<unknown[], Row>(`SELECT key, value FROM kv WHERE ${where} ORDER BY key LIMIT ?`).all(...args, limit);
}

/** The rename on `db`, the store's main connection. */
export function renameSqliteSource(db: Database.Database, fromId: string, toId: string): SourceRename {
  const { from, to } = renameIds('sqlite', fromId, toId);
  const move = db.transaction((): SourceRename => {
    const [taken] = rowsOf(db, sourceKeys(to), 1);
    if (taken !== undefined) throw targetTaken('sqlite', to, taken.key.slice(PREFIX.length));
    const rows = rowsOf(db, sourceKeys(from), -1);
    if (rows.length === 0) throw nothingToMove('sqlite', from);
    const tally = new RenameTally();
    const update = db.prepare<[string, string, string]>('UPDATE kv SET key = ?, value = ? WHERE key = ?');
    for (const row of rows) {
      const moved = movedRecord('sqlite', row.key.slice(PREFIX.length), row.value, from, to, tally);
      update.run(PREFIX + moved.key, moved.raw, row.key);
    }
    return tally.result();
  });
  return move.immediate();
}

/** The merge of `fromId`'s records into `toId`'s on `db`, the store's main connection. */
export function mergeSqliteSource(db: Database.Database, fromId: string, toId: string, combine: ArticleCombiner): SourceMerge {
  const { from, to } = renameIds('sqlite', fromId, toId, 'mergeSource');
  const logical = (rows: Row[]): Map<string, string> => new Map(rows.map((row) => [row.key.slice(PREFIX.length), row.value]));
  const merge = db.transaction((): SourceMerge => {
    const fromRows = rowsOf(db, sourceKeys(from), -1);
    if (fromRows.length === 0) throw nothingToMove('sqlite', from, 'mergeSource');
    const plan = new SourceMergePlan('sqlite', to, { id: from, records: logical(fromRows) }, logical(rowsOf(db, sourceKeys(to), -1)), combine);
    const read = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
    const aliasRows = new Map(plan.aliasKeysToRead().map((key) => [key, read.get(PREFIX + key)?.value ?? null]));
    const { sets, deletes, merge: merged } = plan.plan(aliasRows);
    const remove = db.prepare<[string]>('DELETE FROM kv WHERE key = ?');
    for (const key of deletes) remove.run(PREFIX + key);
    const upsert = db.prepare<[string, string]>('INSERT INTO kv (key, value, expires) VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = NULL');
    for (const [key, raw] of sets) upsert.run(PREFIX + key, raw);
    return merged;
  });
  return merge.immediate();
}
