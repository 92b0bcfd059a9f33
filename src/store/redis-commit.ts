/**
 * A store commit on Redis: one Lua script, which the server runs atomically
 * (no other client's command lands in between, and a script that fails part
 * way is reported; byline's commands cannot fail part way on valid keys). A
 * MULTI … EXEC could write but not remove a row only while it still holds a
 * given value.
 */
import { encodeEnvelope, NAMESPACE } from './codec.js';
import type { CommitDelete, CommitSet, CommitWriter } from './commit-writer.js';
import type { EvalClient } from './redis-lock.js';

/** How @keyv/redis spells keys of byline's namespace. */
const PREFIX = `${NAMESPACE}::`;

/**
 * KEYS: the keys to set, then the keys to remove. ARGV[1]: how many to set;
 * then their values; then, per key to remove, the value it must still hold
 * ('' for any: a stored value is never empty).
 */
const COMMIT = `
local sets = tonumber(ARGV[1])
for i = 1, sets do redis.call('SET', KEYS[i], ARGV[1 + i]) end
for i = sets + 1, #KEYS do
  local expected = ARGV[1 + i]
  if expected == '' or redis.call('GET', KEYS[i]) == expected then redis.call('DEL', KEYS[i]) end
end
return 1`;

/** Commits through whichever client `client()` hands out (@keyv/redis reconnects behind it). */
export function createRedisCommitWriter(client: () => Promise<EvalClient>): CommitWriter {
  return {
    async commit(sets: CommitSet[], deletes: CommitDelete[]): Promise<void> {
      const keys: string[] = [];
      const args: string[] = [String(sets.length)];
      for (const set of sets) {
        keys.push(PREFIX + set.key);
        args.push(encodeEnvelope(set.envelope));
      }
      // Encoded: the caller lets go of its values while the script is on its way.
      sets.length = 0;
      for (const entry of deletes) {
        keys.push(PREFIX + entry.key);
        args.push(entry.ifText ?? '');
      }
      await (await client()).eval(COMMIT, { keys, arguments: args });
    },
  };
}
