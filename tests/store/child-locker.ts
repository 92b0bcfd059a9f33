/**
 * A separate process asking for a store's cycle lock, for the races between
 * processes: opens the store and prints `ready`; on a `go` line asks for the
 * lock, as this process (pid, host, boot...), and prints the attempt and the
 * owner as one JSON line; on the end of stdin releases what it holds and
 * exits.
 * Usage: node --import tsx child-locker.ts <store url> <ttl ms>
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { createStore, ownerProcess, type CycleLockOwner } from '../../src/store/index.js';

const [url, ttlText] = process.argv.slice(2);
if (!url || !ttlText) {
  process.stderr.write('usage: child-locker.ts <store url> <ttl ms>\n');
  process.exit(2);
}
const store = await createStore({ url });
const owner: CycleLockOwner = { token: randomUUID(), ...ownerProcess(), startedAt: new Date().toISOString() };
let acquired = false;
try {
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== 'go') continue;
    const attempt = await store.acquireCycleLock(owner, Number(ttlText));
    acquired = attempt.acquired;
    process.stdout.write(`${JSON.stringify({ pid: process.pid, owner, ...attempt })}\n`);
  }
  if (acquired && !(await store.releaseCycleLock(owner))) throw new Error('the lock was no longer ours to release');
} finally {
  await store.close();
}
