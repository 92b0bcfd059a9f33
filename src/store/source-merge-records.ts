/**
 * The records a merge (source-merge.ts) combines rather than moves: the
 * state, the alerts and the alias record of the two sources, as the merged
 * source keeps them. Pure.
 */
import type { Alert, SourceAliasEntry, SourceState } from '../model/index.js';
import { StateRecordSchema, decodeRecord } from './codec.js';
import { scopeOf, scopedKey, type Stored } from './source-merge-read.js';
import { ALERTS_KEPT, type IndexEntry } from './types.js';

/**
 * The merged source's state: the new id's (its validators, schedule and
 * health are those of the feed the config now names; the old id's only when
 * the new one has none), with the counts of the merged index, the bytes both
 * fetched, and a revision above both, so a renderer's cache keyed on it sees
 * a change whichever source it last read. Null when neither has a state.
 */
export function mergedState(
  from: Stored<SourceState> | null,
  into: Stored<SourceState> | null,
  to: string,
  index: readonly IndexEntry[],
): { value: Record<string, unknown>; record: SourceState } | null {
  const base = into ?? from;
  if (base === null) return null;
  const counts = {
    sourceId: to,
    itemsStored: index.length,
    oldestKept: index.at(-1)?.sortKey ?? null,
    bytesFetched: (from?.record.bytesFetched ?? 0) + (into?.record.bytesFetched ?? 0),
    revision: Math.max(from?.record.revision ?? 0, into?.record.revision ?? 0) + 1,
  };
  // The stored object, not the parsed one, so fields this version does not know of are kept.
  const value = { ...(base.envelope.value as Record<string, unknown>), ...counts };
  const record = decodeRecord(StateRecordSchema, value);
  // Both states were read as their schema and only counts of the right types changed.
  if (!record.ok) throw new Error(`merged state does not match its schema: ${record.reason}`);
  return { value, record: record.value };
}

/** Both sources' alerts, the old one's under the new id (their ids are published and stay), newest {@link ALERTS_KEPT} first. */
export function mergedAlerts(from: readonly Alert[], into: readonly Alert[], to: string): Alert[] {
  const byId = new Map<string, Alert>();
  for (const alert of into) byId.set(alert.id, alert);
  for (const alert of from) if (!byId.has(alert.id)) byId.set(alert.id, { ...alert, sourceId: to });
  const all = [...byId.values()];
  all.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return all.slice(0, ALERTS_KEPT);
}

/** What the merged record says of one id, gathered from both sources' entries. */
interface Gathered {
  keys: string[];
  /** Whether every entry gathered calls the id another source's. */
  foreign: boolean;
  listedDay: number | undefined;
}

/**
 * The merged source's alias record: one entry per id (an id of the new source
 * that `canonical` maps to the old source's stands for it), listing every key
 * either source wrote for it, the old source's scoped keys under the new id.
 * An id the merged source stores is its own and listed without a day; one it
 * holds a tombstone of is its own; otherwise an entry is foreign only if both
 * sources said so, and remembers the later day either listed it.
 */
export function mergedEntries(
  from: readonly SourceAliasEntry[],
  into: readonly SourceAliasEntry[],
  names: { from: string; to: string },
  canonical: (id: string) => string,
  held: (id: string) => 'live' | 'tombstone' | null,
): SourceAliasEntry[] {
  const gathered = new Map<string, Gathered>();
  const gather = (id: string, entry: SourceAliasEntry, keys: readonly string[]): void => {
    const known = gathered.get(id) ?? { keys: [], foreign: true, listedDay: undefined };
    for (const key of keys) if (!known.keys.includes(key)) known.keys.push(key);
    known.foreign &&= entry.foreign === true;
    if (entry.listedDay !== undefined) known.listedDay = Math.max(known.listedDay ?? 0, entry.listedDay);
    gathered.set(id, known);
  };
  const renamed = (key: string): string => {
    const scope = scopeOf(names.from, key);
    return scope === null ? key : scopedKey(names.to, scope);
  };
  for (const entry of from) gather(entry.id, entry, entry.keys.map(renamed));
  for (const entry of into) gather(canonical(entry.id), entry, entry.keys);
  return [...gathered].map(([id, { keys, foreign, listedDay }]): SourceAliasEntry => {
    const holds = held(id);
    if (holds === 'live') return { id, keys };
    const entry: SourceAliasEntry = { id, keys };
    if (listedDay !== undefined) entry.listedDay = listedDay;
    if (foreign && holds === null) entry.foreign = true;
    return entry;
  });
}
