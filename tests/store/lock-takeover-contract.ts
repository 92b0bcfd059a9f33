/**
 * The cycle lock of a holder that was killed (SIGKILL, the OOM killer)
 * without releasing it, run against every backend with real processes: taken
 * over at once when its process is known to have ended on this machine, by
 * exactly one contender, and never when that cannot be told (another host,
 * boot or pid namespace, or an owner written before these were recorded).
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import { CycleLockLostError } from '../../src/errors.js';
import { ownerProcess, type CycleLockOwner, type Store, type StoreBackend } from '../../src/store/index.js';
import { caught } from '../helpers/caught.js';
import { harnessPerTest } from './contract.js';
import { article, change } from './fixtures.js';
import type { CycleLockBackend } from '../../src/store/lock-record.js';
import type { LockHarness } from './lock-contract.js';
import { startLocker } from './locker.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const LONG = 60_000;
/** Well under any lock's lifetime here: what "at once" means. */
const AT_ONCE_MS = 5_000;
/** Linux tells a process's boot, namespaces and start time; elsewhere the lock only lapses, as before. */
const canTell = ownerProcess().processStart !== undefined;

const STARTED_AT = new Date().toISOString();

/** An owner in the name of this test process, as a cycle of it would record; the same for the same name. */
function local(name: string): CycleLockOwner {
  return { token: `token-${name}`, ...ownerProcess(), startedAt: STARTED_AT };
}

/** The pid of a process of this machine that has ended (and been reaped). */
function endedPid(): number {
  const run = spawnSync(process.execPath, ['-e', '']);
  if (run.pid === undefined || run.status !== 0) throw new Error('could not run node');
  return run.pid;
}

/** Registers the suite for `backend`. */
export function lockTakeoverContract(backend: StoreBackend, makeHarness: () => Promise<LockHarness>): void {
  describe.skipIf(!canTell)(`cycle lock of a holder that was killed: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);
    let first: Store;
    let second: Store;

    beforeEach(async () => {
      first = await fixture.open();
      second = await fixture.open();
    });

    it('refuses while the holding process runs, and is taken over at once once it was killed with SIGKILL; the dead owner cannot commit', async () => {
      const holder = startLocker(fixture.harness.url, LONG);
      try {
        holder.send('go');
        const answer = await holder.answer;
        expect(answer.acquired).toBe(true);
        expect(answer.owner).toMatchObject({ pid: holder.pid, hostname: hostname(), bootId: expect.any(String), processStart: expect.stringMatching(/^\d+$/) });
        const refused = await second.acquireCycleLock(local('b'), LONG);
        expect(refused.acquired === false && refused.holder.token).toBe(answer.owner.token);

        await holder.kill();
        const asked = performance.now();
        const taken = await second.acquireCycleLock(local('b'), LONG);
        expect(performance.now() - asked).toBeLessThan(AT_ONCE_MS);
        expect(taken).toEqual({ acquired: true, expiresAt: expect.any(String), replaced: { ...answer.owner, expiresAt: expect.any(String) } });

        // Fenced out: what the dead owner had in flight can no longer land, nor renew or release the lock.
        const late = await caught(first.commitSource(change('s', { upserts: [article('s', 'a')] }), { fence: answer.owner }), CycleLockLostError);
        expect(late).toBeInstanceOf(CycleLockLostError);
        expect(await first.getIndex('s')).toEqual([]);
        expect(await first.renewCycleLock(answer.owner, LONG)).toBe(false);
        expect(await first.releaseCycleLock(answer.owner)).toBe(false);
        await second.commitSource(change('s', { upserts: [article('s', 'b')] }), { fence: local('b') });
        expect((await first.getIndex('s')).map((entry) => entry.id)).toEqual(['b']);

        // The new holder runs (it is this process): the next contender is refused.
        const next = await first.acquireCycleLock(local('c'), LONG);
        expect(next.acquired === false && next.holder.token).toBe('token-b');
      } finally {
        await holder.kill();
      }
    });

    it('goes to exactly one of several processes that find the holder killed', async () => {
      const holder = startLocker(fixture.harness.url, LONG);
      const children = Array.from({ length: 4 }, () => startLocker(fixture.harness.url, LONG));
      try {
        holder.send('go');
        const dead = await holder.answer;
        expect(dead.acquired).toBe(true);
        await holder.kill();
        await Promise.all(children.map((child) => child.ready));
        for (const child of children) child.send('go');
        const answers = await Promise.all(children.map((child) => child.answer));
        const winners = answers.filter((answer) => answer.acquired);
        expect(winners).toHaveLength(1);
        expect(winners[0]!.replaced?.token).toBe(dead.owner.token);
        for (const loser of answers.filter((answer) => !answer.acquired)) expect(loser.holder?.token).toBe(winners[0]!.owner.token);
      } finally {
        await holder.kill();
        for (const child of children) child.end();
        await Promise.all(children.map((child) => child.exited));
      }
    });

    it('is taken over from a holder whose pid now runs a process started at another time, not from one that still runs', async () => {
      // This process's pid, started at another time: the pid was reused.
      await fixture.harness.writeRawLock(JSON.stringify({ ...local('reused'), processStart: '1' }), LONG);
      const taken = await first.acquireCycleLock(local('a'), LONG);
      expect(taken.acquired && taken.replaced?.token).toBe('token-reused');
      expect(await first.releaseCycleLock(local('a'))).toBe(true);

      // This very process: it runs.
      await fixture.harness.writeRawLock(JSON.stringify(local('alive')), LONG);
      const refused = await first.acquireCycleLock(local('a'), LONG);
      expect(refused.acquired === false && refused.holder.token).toBe('token-alive');
    });

    it('leaves a holder it cannot tell has ended to lapse: another host, boot or pid namespace, no start time, an owner of an older version', async () => {
      const pid = endedPid();
      const ended = { ...local('ended'), pid };
      const cannotTell: Record<string, string> = {
        'another host': JSON.stringify({ ...ended, hostname: `${hostname()}-elsewhere` }),
        'another boot': JSON.stringify({ ...ended, bootId: '00000000-0000-4000-8000-000000000000' }),
        'another pid namespace': JSON.stringify({ ...ended, namespaces: 'pid:[1] time:[1]' }),
        // JSON.stringify leaves out what is undefined.
        'no start time': JSON.stringify({ ...ended, processStart: undefined }),
        // Exactly what versions before these fields wrote.
        'an older version': JSON.stringify({ token: 'token-old', pid, hostname: hostname(), startedAt: ended.startedAt }),
      };
      for (const [why, raw] of Object.entries(cannotTell)) {
        await fixture.harness.writeRawLock(raw, 300);
        const refused = await first.acquireCycleLock(local('a'), LONG);
        expect([why, refused.acquired === false && refused.holder.pid]).toEqual([why, pid]);
        await sleep(400);
        const lapsed = await first.acquireCycleLock(local('a'), LONG);
        expect([why, lapsed.acquired, lapsed.acquired && lapsed.replaced]).toEqual([why, true, undefined]);
        expect(await first.releaseCycleLock(local('a'))).toBe(true);
      }
      // The same holder, recorded in full, has certainly ended.
      await fixture.harness.writeRawLock(JSON.stringify(ended), LONG);
      const taken = await first.acquireCycleLock(local('a'), LONG);
      expect(taken.acquired && taken.replaced?.pid).toBe(pid);
    });
  });
}

/**
 * A backend's takeover, step by step, with the records as plain text: it
 * replaces only the owner it was told was dead, so a contender that read
 * that owner before another took over is refused, and told the new one.
 */
export async function expectTakeoverCompares(lock: CycleLockBackend): Promise<void> {
  expect(await lock.acquire('dead', LONG)).toMatchObject({ acquired: true });
  expect(await lock.acquire('b', LONG)).toMatchObject({ acquired: false, record: 'dead' });
  expect(await lock.acquire('b', LONG, 'dead')).toMatchObject({ acquired: true });
  // Found dead too, but a moment later: the lock is no longer the dead owner's.
  expect(await lock.acquire('c', LONG, 'dead')).toMatchObject({ acquired: false, record: 'b' });
  expect(await lock.renew('dead', LONG)).toBe(false);
  expect(await lock.renew('b', LONG)).toBe(true);
  // A free lock is taken as usual, whatever owner was thought to hold it.
  expect(await lock.release('b')).toBe(true);
  expect(await lock.acquire('c', LONG, 'dead')).toMatchObject({ acquired: true });
}
