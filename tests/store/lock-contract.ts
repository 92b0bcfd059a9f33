/**
 * The cycle lock's contract, run against every backend: one holder at a
 * time, across connections and across processes; released, lapsed or
 * renewed as its owner says; never renewed or released by anyone else.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CycleLockLostError, StoreError, UnreadableRecordError } from '../../src/errors.js';
import type { CycleLockAttempt, CycleLockOwner, Store, StoreBackend } from '../../src/store/index.js';
import { caught } from '../helpers/caught.js';
import { harnessPerTest, type StoreHarness } from './contract.js';
import { article, change } from './fixtures.js';
import { startLocker } from './locker.js';

/** A store's data, with the URL other processes open it by and a way to plant a lock record. */
export interface LockHarness extends StoreHarness {
  url: string;
  /** Stores `raw` as the lock record, lapsing `ttlMs` from now, bypassing the Store. */
  writeRawLock(raw: string, ttlMs: number): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const LONG = 60_000;

/** A distinct owner; the pid and host are only what the record says. */
function owner(name: string, pid = 4242): CycleLockOwner {
  return { token: `token-${name}`, pid, hostname: `host-${name}`, startedAt: new Date(Date.UTC(2024, 4, 1, 0, pid % 60)).toISOString() };
}

/** Registers the lock's contract suite for `backend`. */
export function lockContract(backend: StoreBackend, makeHarness: () => Promise<LockHarness>): void {
  describe(`cycle lock: ${backend}`, () => {
    const fixture = harnessPerTest(makeHarness);
    const { open } = fixture;
    let first: Store;
    let second: Store;

    beforeEach(async () => {
      // Two connections, as two processes would have.
      first = await open();
      second = await open();
    });

    it('refuses a second owner while the lock is held, naming the holder', async () => {
      const before = Date.now();
      const taken = await first.acquireCycleLock(owner('a', 101), LONG);
      expect(taken.acquired).toBe(true);
      const lapses = Date.parse((taken as Extract<CycleLockAttempt, { acquired: true }>).expiresAt);
      expect(lapses).toBeGreaterThanOrEqual(before + LONG - 1000);
      expect(lapses).toBeLessThanOrEqual(Date.now() + LONG);

      const refused = await second.acquireCycleLock(owner('b', 202), LONG);
      expect(refused).toEqual({ acquired: false, holder: { ...owner('a', 101), expiresAt: expect.any(String) } });
      const holder = (refused as Extract<CycleLockAttempt, { acquired: false }>).holder;
      expect(Math.abs(Date.parse(holder.expiresAt) - lapses)).toBeLessThan(1000);
      // The holder itself is refused a second time too: a lock is not re-entrant.
      expect((await first.acquireCycleLock(owner('a2'), LONG)).acquired).toBe(false);
    });

    it('can be taken once its owner released it, and only once', async () => {
      await first.acquireCycleLock(owner('a'), LONG);
      expect(await first.releaseCycleLock(owner('a'))).toBe(true);
      expect(await first.releaseCycleLock(owner('a'))).toBe(false);
      expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(true);
      expect((await first.acquireCycleLock(owner('a'), LONG)).acquired).toBe(false);
    });

    it('can be taken over once it lapsed, and the old owner can then neither renew nor release it', async () => {
      await first.acquireCycleLock(owner('a'), 500);
      expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(false);
      await sleep(700);
      expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(true);
      expect(await first.renewCycleLock(owner('a'), LONG)).toBe(false);
      expect(await first.releaseCycleLock(owner('a'))).toBe(false);
      const refused = await first.acquireCycleLock(owner('a'), LONG);
      expect(refused.acquired === false && refused.holder.token).toBe('token-b');
    });

    it('applies a commit fenced by the lock only while its owner holds it, and otherwise writes nothing', async () => {
      // Held long enough for the first commit to land however busy the machine is; then its last renewal is a short one.
      await first.acquireCycleLock(owner('a'), LONG);
      await first.commitSource(change('s', { upserts: [article('s', 'a')], aliases: { 'guid:s:a': 'a' } }), { fence: owner('a') });
      expect((await second.getIndex('s')).map((entry) => entry.id)).toEqual(['a']);

      // Lapsed while its owner was paused, and taken by another process.
      expect(await first.renewCycleLock(owner('a'), 1)).toBe(true);
      await sleep(50);
      expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(true);
      const refused = await caught(first.commitSource(change('s', { upserts: [article('s', 'b')], aliases: { 'guid:s:b': 'b' } }), { fence: owner('a') }), CycleLockLostError);
      expect(refused).toBeInstanceOf(CycleLockLostError);
      expect(refused).toMatchObject({ code: 'cycle_lock_lost', message: expect.stringContaining(`store(${backend}): commit refused`) });
      expect((await second.getIndex('s')).map((entry) => entry.id)).toEqual(['a']);
      expect(await second.resolveAliases(['guid:s:b'])).toEqual(new Map());

      // The new holder's commits land; so does one made under no lock at all.
      await second.commitSource(change('s', { upserts: [article('s', 'c')] }), { fence: owner('b') });
      await first.commitSource(change('t', { upserts: [article('t', 'd')] }));
      expect((await second.getIndex('s')).map((entry) => entry.id).sort()).toEqual(['a', 'c']);
      expect((await second.getIndex('t')).map((entry) => entry.id)).toEqual(['d']);
    });

    it('records an archive layout fenced by the lock only while its owner holds it, and otherwise keeps the one recorded', async () => {
      const page = (id: string, minute: number) => ({ id, firstSeen: new Date(Date.UTC(2024, 4, 1, 0, minute)).toISOString() });
      const older = { pages: [page('a', 1)] };
      const newer = { pages: [page('a', 1), page('b', 2), page('c', 3)] };
      await first.acquireCycleLock(owner('a'), LONG);
      await first.setArchiveLayout(older, { fence: owner('a') });
      expect(await second.getArchiveLayout()).toEqual(older);

      // Lapsed while its owner was paused (its last renewal was a short one); the new holder records more pages.
      expect(await first.renewCycleLock(owner('a'), 1)).toBe(true);
      await sleep(50);
      expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(true);
      await second.setArchiveLayout(newer, { fence: owner('b') });
      const refused = await caught(first.setArchiveLayout({ pages: [page('a', 1), page('x', 2)] }, { fence: owner('a') }), CycleLockLostError);
      expect(refused).toMatchObject({ code: 'cycle_lock_lost', message: `store(${backend}): archive layout not recorded: the cycle lock it was made under is no longer held by this process` });
      expect(await second.getArchiveLayout()).toEqual(newer);
      // Released: no owner holds it, and a fenced write is refused too.
      expect(await second.releaseCycleLock(owner('b'))).toBe(true);
      await expect(second.setArchiveLayout(older, { fence: owner('b') })).rejects.toBeInstanceOf(CycleLockLostError);
      expect(await first.getArchiveLayout()).toEqual(newer);
    });

    it('stays held past its lifetime while its owner renews it, and lapses once it stops', async () => {
      // Six renewals a third of a lifetime apart: held for twice its lifetime.
      await first.acquireCycleLock(owner('a'), 600);
      for (let i = 0; i < 6; i++) {
        await sleep(200);
        expect(await first.renewCycleLock(owner('a'), 600)).toBe(true);
        expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(false);
      }
      await sleep(800);
      expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(true);
    });

    it('is neither renewed nor released by anyone but its owner', async () => {
      await first.acquireCycleLock(owner('a'), 1000);
      // Same pid and host, another token: another owner.
      const impostor = { ...owner('a'), token: 'token-other' };
      expect(await second.releaseCycleLock(impostor)).toBe(false);
      expect(await second.releaseCycleLock(owner('b'))).toBe(false);
      expect(await second.renewCycleLock(owner('b'), LONG)).toBe(false);
      const refused = await second.acquireCycleLock(owner('b'), LONG);
      expect(refused.acquired === false && refused.holder.token).toBe('token-a');
      // The renewal that was refused did not extend it either.
      await sleep(1200);
      expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(true);
    });

    it('rejects an invalid owner or lifetime with StoreError', async () => {
      await expect(first.acquireCycleLock({ ...owner('a'), token: '' }, LONG)).rejects.toThrow(/^store\(\w+\): invalid lock owner/);
      await expect(first.acquireCycleLock(owner('a'), 0)).rejects.toThrow(/invalid lock lifetime 0/);
      await expect(first.renewCycleLock(owner('a'), 1.5)).rejects.toBeInstanceOf(StoreError);
      expect((await second.acquireCycleLock(owner('b'), LONG)).acquired).toBe(true);
    });

    it('reports a lock record it cannot read as UnreadableRecordError naming the key, and takes the lock once it lapsed', async () => {
      await fixture.harness.writeRawLock('{"token":"x"}', 1000);
      const error = await caught(first.acquireCycleLock(owner('a'), LONG), UnreadableRecordError);
      expect(error.message).toMatch(new RegExp(`^store\\(${backend}\\): unreadable record at key "lock:cycle": not a lock record`));
      await sleep(1200);
      expect((await first.acquireCycleLock(owner('a'), LONG)).acquired).toBe(true);
    });

    it('goes to exactly one of several processes asking at once', async () => {
      const children = Array.from({ length: 4 }, () => startLocker(fixture.harness.url));
      try {
        await Promise.all(children.map((child) => child.ready));
        for (const child of children) child.send('go');
        const answers = await Promise.all(children.map((child) => child.answer));
        const winners = answers.filter((answer) => answer.acquired);
        expect(winners).toHaveLength(1);
        for (const loser of answers.filter((answer) => !answer.acquired)) expect(loser.holder?.pid).toBe(winners[0]!.pid);
        expect((await first.acquireCycleLock(owner('a'), LONG)).acquired).toBe(false);
      } finally {
        for (const child of children) child.end();
        await Promise.all(children.map((child) => child.exited));
      }
      // The winner released it on its way out.
      expect((await first.acquireCycleLock(owner('a'), LONG)).acquired).toBe(true);
    });
  });
}
