/**
 * Where article records are kept, and the move of a store written before
 * they were kept under their source (`keys.article` in codec.ts).
 *
 * SQLite finds a key through an index sorted by key, and every commit writes
 * one source's new articles. Under `article:<id>` (the id a hash) they landed
 * on pages all over that index: a first cycle of 500 sources wrote ~520 MB of
 * WAL, and the writer thread spent about a third more CPU (0.72-0.76 s
 * against 0.55-0.56 s) than with each source's articles side by side (~330 MB
 * of WAL). Redis does not care, but the layout is the store's, so both
 * backends move.
 */
import { deserialize, keys } from './codec.js';

/** The layout this code reads and writes: 1, articles under `article:<sourceId>:<id>`. Files and servers without a version are at 0. */
export const ARTICLE_LAYOUT_VERSION = 1;

/** Where one record found under an `article:` key belongs. */
export type Relocation = { kind: 'move'; to: string } | { kind: 'stays' } | { kind: 'unreadable' };

/**
 * Where the record `raw`, found at the logical key `key`, belongs: under its
 * source when it sits at the old `article:<id>` key. A record already under
 * its source stays; one whose id and source cannot be read stays too (it was
 * unreadable before the move as well, and is left as it was found).
 */
export function relocate(key: string, raw: string): Relocation {
  const value = deserialize<unknown>(raw)?.value;
  if (typeof value !== 'object' || value === null) return { kind: 'unreadable' };
  const { id, sourceId } = value as { id?: unknown; sourceId?: unknown };
  if (typeof id !== 'string' || typeof sourceId !== 'string' || id === '' || sourceId === '') return { kind: 'unreadable' };
  if (key === keys.article(sourceId, id)) return { kind: 'stays' };
  return key === `article:${id}` ? { kind: 'move', to: keys.article(sourceId, id) } : { kind: 'unreadable' };
}

/** What an upgrade did, for the warning the caller prints. */
export interface LayoutUpgrade {
  moved: number;
  /** Records left where they were because they could not be read. */
  unreadable: number;
}

/** The warning for records an upgrade left behind, or null when there were none. */
export function leftBehind(backend: string, upgrade: LayoutUpgrade): string | null {
  if (upgrade.unreadable === 0) return null;
  return (
    `store(${backend}): ${upgrade.unreadable} article record(s) could not be read and stay under their old keys, ` +
    `where nothing reads them (${upgrade.moved} moved under their source)`
  );
}
