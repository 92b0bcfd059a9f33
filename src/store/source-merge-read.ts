/**
 * One source's records as a merge (source-merge.ts) reads them: every record
 * decoded and checked against the key it sits under, the stored objects kept
 * beside the parsed ones so that a record moved unchanged keeps the fields
 * this version does not know of. A record that cannot be read stops the
 * merge, naming its key: merging around it could leave it where nothing
 * reads it.
 */
import type { DeserializedData } from 'keyv';
import type { z } from 'zod';
import { StoreError } from '../errors.js';
import type { Alert, Article, SourceAliasEntry, SourceState } from '../model/index.js';
import {
  AlertsRecordSchema,
  AliasRecordSchema,
  ArticleRecordSchema,
  IndexRecordSchema,
  SourceAliasesRecordSchema,
  StateRecordSchema,
  decodeRecord,
  deserialize,
  keys,
  type Tombstone,
} from './codec.js';
import type { IndexEntry, StoreBackend } from './types.js';

/** A record as stored (its keyv envelope, whose `value` is the stored object) and as parsed. */
export interface Stored<T> {
  envelope: DeserializedData<unknown>;
  record: T;
}

/** What one source holds, by kind. */
export interface SourceSide {
  sourceId: string;
  /** Every logical key read (the merge removes all of the old source's). */
  keys: string[];
  state: Stored<SourceState> | null;
  index: IndexEntry[] | null;
  alerts: Alert[] | null;
  entries: SourceAliasEntry[] | null;
  /** Articles and tombstones by id. */
  articles: Map<string, Stored<Article | Tombstone>>;
  /** The alias rows scoped to the source, by their key without the source (`guid:<guid>`, `item:<hash>`) -> id. */
  scoped: Map<string, string>;
}

/** The alias key scoped to `sourceId` for `scope` (`guid:x` -> `guid:<sourceId>:x`). */
export function scopedKey(sourceId: string, scope: string): string {
  const cut = scope.indexOf(':');
  return `${scope.slice(0, cut)}:${sourceId}:${scope.slice(cut + 1)}`;
}

/** `key` without its source when it is an alias key scoped to `sourceId`; null otherwise. */
export function scopeOf(sourceId: string, key: string): string | null {
  for (const kind of ['guid', 'item']) {
    const prefix = `${kind}:${sourceId}:`;
    if (key.startsWith(prefix)) return `${kind}:${key.slice(prefix.length)}`;
  }
  return null;
}

/** The error for a record that cannot be read. */
export function unreadableForMerge(backend: StoreBackend, key: string, reason: string): StoreError {
  return new StoreError(`store(${backend}): mergeSource: unreadable record at key "${key}": ${reason}; nothing was merged`);
}

/** Reads `records` (logical key -> stored text), every one a record of `sourceId` (see sourceKeys). */
export function readSide(backend: StoreBackend, sourceId: string, records: ReadonlyMap<string, string>): SourceSide {
  const side: SourceSide = { sourceId, keys: [...records.keys()], state: null, index: null, alerts: null, entries: null, articles: new Map(), scoped: new Map() };
  const articlePrefix = keys.article(sourceId, '');
  const aliasPrefix = keys.alias('');
  for (const [key, raw] of records) {
    const envelope = deserialize<unknown>(raw);
    if (envelope === undefined) throw unreadableForMerge(backend, key, 'empty');
    const decode = <T>(schema: z.ZodType<T>): T => {
      const decoded = decodeRecord(schema, envelope.value);
      if (!decoded.ok) throw unreadableForMerge(backend, key, decoded.reason);
      return decoded.value;
    };
    if (key === keys.state(sourceId)) {
      const state = decode(StateRecordSchema);
      if (state.sourceId !== sourceId) throw unreadableForMerge(backend, key, `holds the state of source "${state.sourceId}"`);
      side.state = { envelope, record: state };
    } else if (key === keys.index(sourceId)) side.index = decode(IndexRecordSchema);
    else if (key === keys.alerts(sourceId)) side.alerts = decode(AlertsRecordSchema);
    else if (key === keys.sourceAliases(sourceId)) side.entries = decode(SourceAliasesRecordSchema);
    else if (key.startsWith(articlePrefix)) {
      const record = decode(ArticleRecordSchema);
      const id = key.slice(articlePrefix.length);
      if (record.sourceId !== sourceId || record.id !== id) {
        throw unreadableForMerge(backend, key, `holds article "${record.id}" of source "${record.sourceId}"`);
      }
      side.articles.set(id, { envelope, record });
    } else {
      const scope = key.startsWith(aliasPrefix) ? scopeOf(sourceId, key.slice(aliasPrefix.length)) : null;
      if (scope === null) throw new StoreError(`store(${backend}): mergeSource: "${key}" is not a record of source "${sourceId}"`);
      side.scoped.set(scope, decode(AliasRecordSchema));
    }
  }
  return side;
}

/** The id an alias row names, or null when the row is absent; an unreadable row stops the merge. */
export function aliasTarget(backend: StoreBackend, key: string, raw: string | null): string | null {
  if (raw === null) return null;
  const envelope = deserialize<unknown>(raw);
  if (envelope === undefined) throw unreadableForMerge(backend, key, 'empty');
  const decoded = decodeRecord(AliasRecordSchema, envelope.value);
  if (!decoded.ok) throw unreadableForMerge(backend, key, decoded.reason);
  return decoded.value;
}
