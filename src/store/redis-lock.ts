/**
 * The cycle lock on Redis: one key, `SET … NX PX` to take it, and small Lua
 * scripts for the steps that must check the owner and act in one go (Redis
 * runs a script atomically, so no other client's command lands in between).
 * The server's clock decides expiry, so the hosts' clocks need not agree.
 */
import { NAMESPACE } from './codec.js';
import { CYCLE_LOCK_KEY, type CycleLockBackend } from './lock-record.js';

/** How @keyv/redis spells keys of byline's namespace. */
const KEY = `${NAMESPACE}::${CYCLE_LOCK_KEY}`;

/**
 * Takes the lock, or answers the holder and its remaining time (time stands
 * still inside a script). ARGV[3], when not empty, is an owner whose process
 * ended: the lock is taken over from it if it still holds it.
 */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end
local held = redis.call('GET', KEYS[1])
if ARGV[3] ~= '' and held == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1}
end
return {0, held, redis.call('PTTL', KEYS[1])}`;
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** What the lock needs of a connected single-node client (node-redis 5). */
export interface EvalClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The lock through whichever client `client()` hands out (@keyv/redis reconnects behind it). */
export function createRedisCycleLock(client: () => Promise<EvalClient>): CycleLockBackend {
  const run = async (script: string, args: string[]): Promise<unknown> => (await client()).eval(script, { keys: [KEY], arguments: args });
  return {
    async acquire(record, ttlMs, replacing) {
      // Before sending: the server starts the lifetime on receipt, so this errs on the early side.
      const sent = Date.now();
      // A record is never empty (it is an owner's JSON), so '' stands for none.
      const answer = await run(ACQUIRE, [record, String(ttlMs), replacing ?? '']);
      if (!Array.isArray(answer)) throw new Error(`unexpected answer to the lock script: ${String(answer)}`);
      const [taken, held, remainingMs] = answer as unknown[];
      if (Number(taken) === 1) return { acquired: true, expiresAtMs: sent + ttlMs };
      // PTTL is -1 for a key without an expiry, which byline never writes: decodeHolder reports it.
      const remaining = Number(remainingMs);
      return { acquired: false, record: String(held), expiresAtMs: remaining >= 0 ? sent + remaining : Number.NaN };
    },
    renew: async (record, ttlMs) => Number(await run(RENEW, [record, String(ttlMs)])) === 1,
    release: async (record) => Number(await run(RELEASE, [record])) === 1,
  };
}
