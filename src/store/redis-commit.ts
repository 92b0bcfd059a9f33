/**
 * A store commit on Redis: one Lua script, which the server runs atomically
 * (no other client's command lands in between, and a script that fails part
 * way is reported; byline's commands cannot fail part way on valid keys). A
 * MULTI … EXEC could write but not remove a row only while it still holds a
 * given value.
 */
import { encodeEnvelope, NAMESPACE } from './codec.js';
import { fenceRefused, type CommitDelete, type CommitSet, type CommitWriter } from './commit-writer.js';
import { CYCLE_LOCK_KEY } from './lock-record.js';
import type { EvalClient } from './redis-lock.js';

/** How @keyv/redis spells keys of byline's namespace. */
const PREFIX = `${NAMESPACE}::`;

/**
 * KEYS: the cycle lock, the keys to set, then the keys to remove. ARGV[1]:
 * the lock record the commit was made under ('' for none), ARGV[2]: how many
 * keys to set, ARGV[3]: which of them are states whose revision must not go
 * down, as 1-based positions each between commas (`,1,4,`; `,` for none: a
 * commit of several sources has a state each); then their values; then, per key to remove, the
 * value it must still hold ('' for any: a stored value is never empty).
 * Answers 0, writing nothing, when the lock is not the record's (Redis
 * expires the key itself).
 *
 * A state's revision is read from its JSON text: the first "revision": key.
 * Only the state itself has such a key, and inside a JSON string every quote
 * is escaped, so no text a source wrote can look like one.
 */
const COMMIT = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local sets = tonumber(ARGV[2])
local revisioned = ARGV[3]
for i = 2, sets + 1 do
  local value = ARGV[2 + i]
  if string.find(revisioned, ',' .. (i - 1) .. ',', 1, true) then
    local stored = redis.call('GET', KEYS[i])
    local before = stored and string.match(stored, '"revision":(%d+)')
    local after = string.match(value, '"revision":(%d+)')
    if before and after and tonumber(before) > tonumber(after) then
      value = (string.gsub(value, '"revision":%d+', '"revision":' .. before, 1))
    end
  end
  redis.call('SET', KEYS[i], value)
end
for i = sets + 2, #KEYS do
  local expected = ARGV[2 + i]
  if expected == '' or redis.call('GET', KEYS[i]) == expected then redis.call('DEL', KEYS[i]) end
end
return 1`;

/** Commits through whichever client `client()` hands out (@keyv/redis reconnects behind it). */
export function createRedisCommitWriter(client: () => Promise<EvalClient>): CommitWriter {
  return {
    async commit(sets: CommitSet[], deletes: CommitDelete[], fence: string | null): Promise<void> {
      const keys: string[] = [PREFIX + CYCLE_LOCK_KEY];
      const revisioned = sets.flatMap((set, i) => (set.revisioned === true ? [i + 1] : []));
      const args: string[] = [fence ?? '', String(sets.length), `,${revisioned.map((position) => `${position},`).join('')}`];
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
      const answer = await (await client()).eval(COMMIT, { keys, arguments: args });
      if (Number(answer) !== 1) throw fenceRefused('redis');
    },
  };
}
