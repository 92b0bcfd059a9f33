/**
 * A clock set back (it ran ahead, then NTP or the operator corrected it):
 * the times a source's state was written with lie in the future, and the
 * schedule must not wait for them.
 */
import { expect, it } from 'vitest';
import { enabledSources } from '../../src/config/index.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { useCycleContext } from '../helpers/cycle-context.js';
import { fixture } from '../helpers/fixture-feeds.js';

const fixtures = useCycleContext('byline-clock-');

it('checks a source on schedule after the clock was set back past its last attempt', async () => {
  fixtures.server.route('/lab.xml', { body: fixture('lab-rss2.xml'), type: 'application/rss+xml' });
  const ctx = await fixtures.open([{ id: 'lab', name: 'Lab', path: '/lab.xml' }]);
  const sources = enabledSources(ctx.config);
  const at = (iso: string) => ({ ...ctx.deps, now: () => new Date(iso) });

  // Eight hours ahead (a hardware clock kept in UTC+8 read as UTC).
  const ahead = await runCycle({ sources, deps: at('2026-11-26T20:00:00.000Z'), concurrency: 4 });
  expect(ahead.outcomes.map((o) => o.status)).toEqual(['updated']);
  expect(ahead.outcomes[0]!.state.nextAttemptAt).toBe('2026-11-26T20:30:00.000Z');

  // Corrected: the next tick fetches rather than waiting eight hours for a time from the wrong clock.
  const corrected = await runCycle({ sources, deps: at('2026-11-26T12:15:00.000Z'), concurrency: 4 });
  expect(corrected.skipped).toEqual([]);
  expect(corrected.outcomes.map((o) => o.status)).toEqual(['not_modified']);
  expect(corrected.outcomes[0]!.state.nextAttemptAt).toBe('2026-11-26T12:45:00.000Z');

  // From then on the times are the corrected clock's, and honoured as ever.
  const early = await runCycle({ sources, deps: at('2026-11-26T12:30:00.000Z'), concurrency: 4 });
  expect(early.skipped).toEqual(['lab']);
  expect(fixtures.server.seen('/lab.xml')).toHaveLength(2);
});
