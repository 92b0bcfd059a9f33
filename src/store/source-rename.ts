/**
 * Moving a source's records to a new source id, for an operator who renamed
 * the source in the config: what belongs to a source, where each record goes,
 * and what in it names the source. Backend-neutral; sqlite-rename.ts and
 * redis-rename.ts find the keys and apply the move in one transaction.
 *
 * A source's records are its articles and tombstones (`article:<id>:…`), its
 * state, index and alerts, the record of the alias keys it wrote
 * (`aliases-of:<id>`), and the alias keys scoped to it (`guid:<id>:…`,
 * `item:<id>:…`). URL aliases are shared by every source and name article
 * ids, which never change, so they stay. Article ids and GUIDs stay too:
 * subscribers must not see a renamed source's items again as new ones.
 */
import { z } from 'zod';
import { StoreError } from '../errors.js';
import { SourceSchema } from '../model/index.js';
import { AlertsRecordSchema, ArticleRecordSchema, SourceAliasesRecordSchema, StateRecordSchema, decodeRecord, deserialize, encodeEnvelope, keys } from './codec.js';
import type { StoreBackend } from './types.js';
import type { ArticleCombiner, SourceMerge } from './source-merge.js';

/** A source id as the config accepts it: the key layout relies on it holding no `:`. */
export const SourceIdSchema = SourceSchema.shape.id;

/** What a rename moved. */
export interface SourceRename {
  /** Live articles. */
  articles: number;
  /** Tombstones of deleted articles (they keep a deleted item from coming back as new). */
  tombstones: number;
  /** Alias keys scoped to the source. */
  aliases: number;
  /** Every record moved, the state, index and alerts included. */
  records: number;
}

/** Where a source's records are, as logical keys (before the backend's namespace prefix). */
export interface SourceKeys {
  /** Keys that exist at most once per source. */
  exact: string[];
  /** Prefixes of the keys a source has any number of. */
  prefixes: string[];
}

export function sourceKeys(sourceId: string): SourceKeys {
  return {
    exact: [keys.state(sourceId), keys.index(sourceId), keys.alerts(sourceId), keys.sourceAliases(sourceId)],
    prefixes: [keys.article(sourceId, ''), keys.alias(`guid:${sourceId}:`), keys.alias(`item:${sourceId}:`)],
  };
}

/** The store operation moving a source's records (it names itself in errors). */
export type MoveOperation = 'renameSource' | 'mergeSource';

/** The two ids, checked: both valid source ids, and different. */
export function renameIds(backend: StoreBackend, from: string, to: string, operation: MoveOperation = 'renameSource'): { from: string; to: string } {
  const ids = z.object({ from: SourceIdSchema, to: SourceIdSchema }).safeParse({ from, to });
  if (!ids.success) throw new StoreError(`store(${backend}): ${operation}: ${z.prettifyError(ids.error).replace(/\n/g, '; ')}`);
  if (from === to) throw new StoreError(`store(${backend}): ${operation}: "${from}" is already the source's id`);
  return ids.data;
}

/** Counts what a rename moves, record by record. */
export class RenameTally implements SourceRename {
  articles = 0;
  tombstones = 0;
  aliases = 0;
  records = 0;

  result(): SourceRename {
    return { articles: this.articles, tombstones: this.tombstones, aliases: this.aliases, records: this.records };
  }
}

/**
 * The key and stored text the record at logical `key` (one of `from`'s, see
 * {@link sourceKeys}) moves to: the same record, with every field naming the
 * source naming `to`. A record that cannot be read stops the whole rename,
 * naming its key: moving it blind could leave it where nothing reads it.
 */
export function movedRecord(backend: StoreBackend, key: string, raw: string, from: string, to: string, tally: RenameTally): { key: string; raw: string } {
  const { exact, prefixes } = sourceKeys(from);
  const target = sourceKeys(to);
  const at = exact.indexOf(key);
  const prefix = at === -1 ? prefixes.findIndex((each) => key.startsWith(each)) : -1;
  if (at === -1 && prefix === -1) throw new StoreError(`store(${backend}): renameSource: "${key}" is not a record of source "${from}"`);
  const newKey = at !== -1 ? target.exact[at]! : target.prefixes[prefix]! + key.slice(prefixes[prefix]!.length);
  tally.records++;
  // Aliases name an article id and an index lists ids and dates: neither names the source.
  if (key === keys.index(from)) return { key: newKey, raw };
  if (key.startsWith(keys.alias(''))) {
    tally.aliases++;
    return { key: newKey, raw };
  }
  const envelope = deserialize<unknown>(raw);
  const unreadable = (reason: string): never => {
    throw new StoreError(`store(${backend}): renameSource: unreadable record at key "${key}": ${reason}; nothing was moved`);
  };
  if (envelope === undefined) return unreadable('empty');
  const value = rewritten(key, envelope.value, from, to, tally);
  if (!value.ok) return unreadable(value.reason);
  return { key: newKey, raw: encodeEnvelope({ ...envelope, value: value.value }) };
}

/**
 * The stored value with the source's fields set to `to`, once it reads as its
 * schema. The stored object is the one changed, not the parsed one, so fields
 * this version does not know of are kept.
 */
function rewritten(key: string, value: unknown, from: string, to: string, tally: RenameTally): { ok: true; value: unknown } | { ok: false; reason: string } {
  const renamed = (object: unknown): Record<string, unknown> => ({ ...(object as Record<string, unknown>), sourceId: to });
  if (key === keys.state(from)) {
    const state = decodeRecord(StateRecordSchema, value);
    return state.ok ? { ok: true, value: renamed(value) } : state;
  }
  if (key === keys.sourceAliases(from)) {
    // The alias keys it lists that are scoped to the source move with their rows (see sourceKeys).
    const entries = decodeRecord(SourceAliasesRecordSchema, value);
    if (!entries.ok) return entries;
    const scoped = [`guid:${from}:`, `item:${from}:`];
    const moveKey = (aliasKey: string): string => {
      const prefix = scoped.find((each) => aliasKey.startsWith(each));
      return prefix === undefined ? aliasKey : prefix.replace(`:${from}:`, `:${to}:`) + aliasKey.slice(prefix.length);
    };
    return { ok: true, value: (value as Array<Record<string, unknown>>).map((entry) => ({ ...entry, keys: (entry.keys as string[]).map(moveKey) })) };
  }
  if (key === keys.alerts(from)) {
    // Alert ids are published (Atom entry ids) and keep the old id: a reader would otherwise see them anew.
    const alerts = decodeRecord(AlertsRecordSchema, value);
    return alerts.ok ? { ok: true, value: (value as unknown[]).map(renamed) } : alerts;
  }
  const record = decodeRecord(ArticleRecordSchema, value);
  if (!record.ok) return record;
  if (record.value.sourceId !== from) return { ok: false, reason: `holds a record of source "${record.value.sourceId}"` };
  if ('tombstone' in record.value) {
    tally.tombstones++;
    return { ok: true, value: renamed(value) };
  }
  tally.articles++;
  return { ok: true, value: { ...renamed(value), credit: renamed((value as { credit: unknown }).credit) } };
}

/** The refusal when `to` already has records: merging two sources' records is not a rename. */
export function targetTaken(backend: StoreBackend, to: string, key: string): StoreError {
  return new StoreError(
    `store(${backend}): renameSource: source "${to}" already has records in this store (e.g. "${key}"); nothing was moved ` +
      `(after a cycle under "${to}", rename-source --merge combines the two)`,
  );
}

/** The refusal when `from` has no records at all. */
export function nothingToMove(backend: StoreBackend, from: string, operation: MoveOperation = 'renameSource'): StoreError {
  const nothing = operation === 'renameSource' ? 'nothing was moved' : 'nothing was merged';
  return new StoreError(`store(${backend}): ${operation}: source "${from}" has no records in this store; ${nothing}`);
}

/** The backend's own {@link Store.renameSource} and {@link Store.mergeSource}: they need a transaction over keys keyv cannot list. */
export interface SourceRenamer {
  rename(from: string, to: string): Promise<SourceRename>;
  merge(from: string, to: string, combine: ArticleCombiner): Promise<SourceMerge>;
}
