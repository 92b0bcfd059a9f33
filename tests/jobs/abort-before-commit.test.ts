/**
 * A cycle aborted while a document is being read (shutdown, or this process
 * lost the cycle lock to another) commits nothing of it: once the lock is
 * lost another cycle may be writing the same source. Nor does a commit the
 * process makes before it notices: the store refuses it.
 */
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { enabledSources } from '../../src/config/index.js';
import { CycleLockLostError } from '../../src/errors.js';
import { acquireCycleLock } from '../../src/jobs/cycle-lock.js';
import { encodeOwner } from '../../src/store/lock-record.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { useCycleContext } from '../helpers/cycle-context.js';

const fixtures = useCycleContext('byline-abort-');

/** A feed large enough that a parse worker is still reading it when the test aborts. */
function bigFeed(items: number): string {
  const paragraph = `<p>${'Model evaluation notes and benchmark tables. '.repeat(40)}</p>`;
  const entries = Array.from(
    { length: items },
    (_, i) =>
      `<item><title>Item ${i}</title><link>https://lab.example/posts/${i}</link><guid>lab-${i}</guid>` +
      `<pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate><description><![CDATA[${paragraph.repeat(3)}]]></description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Lab</title><link>https://lab.example/</link>${entries.join('')}</channel></rss>`;
}

it('commits nothing of a document still being read when the cycle is aborted', async () => {
  fixtures.server.route('/lab.xml', { body: bigFeed(1500), type: 'application/rss+xml' });
  const ctx = await fixtures.open([{ id: 'lab', name: 'Lab', path: '/lab.xml' }]);
  const pool = ctx.deps.pool;
  expect(pool).toBeDefined();
  const abort = new AbortController();
  let finished = false;
  const cycle = runCycle({ sources: enabledSources(ctx.config), deps: ctx.deps, concurrency: 4, signal: abort.signal }).finally(() => {
    finished = true;
  });
  // Abort once the document has reached a worker: fetched, not yet planned or committed.
  while (pool!.stats().busy === 0 && !finished) await new Promise((resolve) => setTimeout(resolve, 1));
  abort.abort(new Error('cycle lock lost'));
  const report = await cycle;

  expect(report.outcomes.map((outcome) => outcome.status)).toEqual(['cancelled']);
  expect(await ctx.store.getIndex('lab')).toEqual([]);
  expect(await ctx.store.getState('lab')).toBeNull();
});

it('stores nothing, and stops the cycle, when the store refuses a commit because the lock passed to another process', async () => {
  const feed = (n: number): string =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>F${n}</title><link>https://f${n}.example/</link>` +
    `<item><title>One</title><link>https://f${n}.example/1</link><pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>`;
  fixtures.server.route('/a.xml', { body: feed(1), type: 'application/rss+xml' });
  fixtures.server.route('/b.xml', { body: feed(2), type: 'application/rss+xml' });
  const ctx = await fixtures.open([
    { id: 'a', name: 'A', path: '/a.xml' },
    { id: 'b', name: 'B', path: '/b.xml' },
  ]);
  const lock = await acquireCycleLock(ctx.store);
  // This process was paused past the lock's lifetime, and another one took it: this one has not noticed yet.
  const other = new Database(ctx.storeFile);
  try {
    other.prepare('UPDATE cycle_lock SET owner = ? WHERE name = ?').run(encodeOwner({ ...lock.owner, token: 'another-process' }), 'lock:cycle');
  } finally {
    other.close();
  }
  const report = await runCycle({ sources: enabledSources(ctx.config), deps: { ...ctx.deps, lock }, concurrency: 1, signal: lock.lost });
  await lock.release();

  expect(report.outcomes.map((outcome) => outcome.status)).toEqual(['cancelled']);
  expect(lock.lost.aborted).toBe(true);
  expect(lock.lost.reason).toBeInstanceOf(CycleLockLostError);
  expect(await ctx.store.getStates(['a', 'b'])).toEqual(new Map());
  expect(await ctx.store.getIndex('a')).toEqual([]);
});
