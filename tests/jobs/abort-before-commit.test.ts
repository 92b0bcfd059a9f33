/**
 * A cycle aborted while a document is being read (shutdown, or this process
 * lost the cycle lock to another) commits nothing of it: once the lock is
 * lost another cycle may be writing the same source.
 */
import { expect, it } from 'vitest';
import { enabledSources } from '../../src/config/index.js';
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
