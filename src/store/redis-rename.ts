/**
 * Renaming a source on a Redis server (see source-rename.ts): the old id's
 * keys are found and WATCHed, read, and moved in one MULTI … EXEC, which
 * Redis applies all at once or, when a watched key changed after it was read,
 * not at all. A key of either source created after the scan would escape the
 * WATCH; the caller's cycle lock is what keeps commits out meanwhile.
 * Merging one source into another (source-merge.ts) watches and reads both
 * sources' keys, and the alias rows the plan names, the same way.
 */
import { StoreError } from '../errors.js';
import { NAMESPACE } from './codec.js';
import { SourceMergePlan, type ArticleCombiner, type SourceMerge } from './source-merge.js';
import { RenameTally, movedRecord, nothingToMove, renameIds, sourceKeys, targetTaken, type SourceKeys, type SourceRename } from './source-rename.js';

/** How @keyv/redis spells keyv's keys in the `byline` namespace. */
const PREFIX = `${NAMESPACE}::`;
const SCAN_COUNT = 500;
/** Keys per MGET, so no one reply holds a whole large source. */
const READ_CHUNK = 200;

/** A transaction being queued (node-redis 5's multi, as far as the rename uses it). */
export interface RenameMulti {
  set(key: string, value: string): RenameMulti;
  rename(key: string, newKey: string): RenameMulti;
  del(key: string): RenameMulti;
  exec(): Promise<unknown>;
}

/** What the rename needs of a connected single-node client (node-redis 5). */
export interface RenameClient {
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
  exists(keys: string[]): Promise<number>;
  mGet(keys: string[]): Promise<Array<string | null>>;
  watch(keys: string[]): Promise<unknown>;
  unwatch(): Promise<unknown>;
  multi(): RenameMulti;
}

/** Every key of `keys` on the server (full keys, prefix included); the first one only when `first`. */
async function keysOf(client: RenameClient, { exact, prefixes }: SourceKeys, first = false): Promise<string[]> {
  const found: string[] = [];
  for (const key of exact) if ((await client.exists([PREFIX + key])) > 0) found.push(PREFIX + key);
  if (first && found.length > 0) return found.slice(0, 1);
  // Source ids are slugs: a prefix holds no glob character.
  for (const prefix of prefixes) {
    for await (const batch of client.scanIterator({ MATCH: `${PREFIX}${prefix}*`, COUNT: SCAN_COUNT })) {
      found.push(...batch);
      if (first && found.length > 0) return found.slice(0, 1);
    }
  }
  // SCAN may return a key twice.
  return [...new Set(found)];
}

/** The rename through `client`. */
export async function renameRedisSource(client: RenameClient, fromId: string, toId: string): Promise<SourceRename> {
  const { from, to } = renameIds('redis', fromId, toId);
  const fromKeys = await keysOf(client, sourceKeys(from));
  if (fromKeys.length === 0) throw nothingToMove('redis', from);
  // Any change to what is read from here on makes EXEC refuse the whole move.
  await client.watch([...fromKeys, ...sourceKeys(to).exact.map((key) => PREFIX + key)]);
  let queued = false;
  try {
    const [taken] = await keysOf(client, sourceKeys(to), true);
    if (taken !== undefined) throw targetTaken('redis', to, taken.slice(PREFIX.length));
    const tally = new RenameTally();
    const multi = client.multi();
    for (let start = 0; start < fromKeys.length; start += READ_CHUNK) {
      const chunk = fromKeys.slice(start, start + READ_CHUNK);
      const raws = await client.mGet(chunk);
      chunk.forEach((key, i) => {
        const raw = raws[i];
        // Gone since the scan: EXEC will refuse, as the key is watched.
        if (raw === null || raw === undefined) return;
        const moved = movedRecord('redis', key.slice(PREFIX.length), raw, from, to, tally);
        // A record whose text does not change (an alias, the index) moves without crossing the wire again.
        if (moved.raw === raw) multi.rename(key, PREFIX + moved.key);
        else multi.set(PREFIX + moved.key, moved.raw).del(key);
      });
    }
    queued = true;
    if (!(await applied(multi))) {
      throw new StoreError(`store(redis): renameSource: records of source "${from}" or "${to}" changed during the rename; nothing was moved, try again`);
    }
    return tally.result();
  } finally {
    // EXEC ends the WATCH; a refusal before it must end it too, or it would outlive this call on the shared connection.
    if (!queued) await client.unwatch().catch(() => undefined);
  }
}

/** Runs the queued transaction: false when a watched key changed, and nothing was applied. */
async function applied(multi: RenameMulti): Promise<boolean> {
  const replies = await multi.exec().catch((error: unknown) => {
    // node-redis rejects an EXEC its WATCH voided with a WatchError, which @keyv/redis does not export.
    if (error instanceof Error && error.constructor.name === 'WatchError') return null;
    throw error;
  });
  return replies !== null;
}

/** The stored text of `keys` (full keys), by logical key; absent ones are null. */
async function readAll(client: RenameClient, keys: readonly string[]): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for (let start = 0; start < keys.length; start += READ_CHUNK) {
    const chunk = keys.slice(start, start + READ_CHUNK);
    const raws = await client.mGet(chunk);
    chunk.forEach((key, i) => found.set(key.slice(PREFIX.length), raws[i] ?? null));
  }
  return found;
}

/** Rows read that are there (a row gone since the scan makes EXEC refuse, as it is watched). */
function present(rows: ReadonlyMap<string, string | null>): Map<string, string> {
  const kept = new Map<string, string>();
  for (const [key, raw] of rows) if (raw !== null) kept.set(key, raw);
  return kept;
}

/** The merge of `fromId`'s records into `toId`'s through `client`. */
export async function mergeRedisSource(client: RenameClient, fromId: string, toId: string, combine: ArticleCombiner): Promise<SourceMerge> {
  const { from, to } = renameIds('redis', fromId, toId, 'mergeSource');
  const fromKeys = await keysOf(client, sourceKeys(from));
  if (fromKeys.length === 0) throw nothingToMove('redis', from, 'mergeSource');
  const toExact = sourceKeys(to).exact.map((key) => PREFIX + key);
  await client.watch([...fromKeys, ...toExact]);
  let queued = false;
  try {
    const toKeys = [...new Set([...toExact, ...(await keysOf(client, sourceKeys(to)))])];
    await client.watch(toKeys);
    const plan = new SourceMergePlan('redis', to, { id: from, records: present(await readAll(client, fromKeys)) }, present(await readAll(client, toKeys)), combine);
    const aliasKeys = plan.aliasKeysToRead().map((key) => PREFIX + key);
    if (aliasKeys.length > 0) await client.watch(aliasKeys);
    const { sets, deletes, merge } = plan.plan(await readAll(client, aliasKeys));
    const multi = client.multi();
    for (const key of deletes) multi.del(PREFIX + key);
    for (const [key, raw] of sets) multi.set(PREFIX + key, raw);
    queued = true;
    if (!(await applied(multi))) {
      throw new StoreError(`store(redis): mergeSource: records of source "${from}" or "${to}" changed during the merge; nothing was merged, try again`);
    }
    return merge;
  } finally {
    if (!queued) await client.unwatch().catch(() => undefined);
  }
}
