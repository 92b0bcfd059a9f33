/**
 * A scheduled cycle counts the waits to each source's next check from the
 * tick it runs for, not from the moment it got going, so a source asking to
 * be checked once per period of the schedule is checked at every tick.
 */
import { expect, it } from 'vitest';
import { enabledSources } from '../../src/config/index.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { useCycleContext } from '../helpers/cycle-context.js';
import { fixture } from '../helpers/fixture-feeds.js';

const fixtures = useCycleContext('byline-ticks-');

it('checks a source whose interval is the schedule period at every tick, however late each cycle starts', async () => {
  // The feed asks for 30 minutes (its ttl); the schedule ticks every 30 minutes.
  fixtures.server.route('/lab.xml', { body: fixture('lab-rss2.xml'), type: 'application/rss+xml' });
  const ctx = await fixtures.open([{ id: 'lab', name: 'Lab', path: '/lab.xml' }]);
  const sources = enabledSources(ctx.config);
  const tick = (tickIso: string, startedIso: string) =>
    runCycle({ sources, deps: { ...ctx.deps, now: () => new Date(startedIso) }, concurrency: 4, scheduledAt: new Date(tickIso) });

  // This cycle got going 40 ms after its tick, the next one only 10 ms after its own.
  const first = await tick('2026-11-26T12:00:00.000Z', '2026-11-26T12:00:00.040Z');
  expect(first.outcomes.map((o) => o.status)).toEqual(['updated']);
  expect(first.outcomes[0]!.state.nextAttemptAt).toBe('2026-11-26T12:30:00.000Z');
  const second = await tick('2026-11-26T12:30:00.000Z', '2026-11-26T12:30:00.010Z');
  expect(second.skipped).toEqual([]);
  expect(second.outcomes.map((o) => o.status)).toEqual(['not_modified']);
  // A timer firing a few milliseconds before its tick: the tick decides what is due.
  const third = await tick('2026-11-26T13:00:00.000Z', '2026-11-26T12:59:59.995Z');
  expect(third.skipped).toEqual([]);
  expect(third.outcomes[0]!.state.nextAttemptAt).toBe('2026-11-26T13:30:00.000Z');
  // Between ticks nothing is due, and a tick said to be still to come is not believed.
  expect((await tick('2026-11-26T13:15:00.000Z', '2026-11-26T13:15:00.000Z')).skipped).toEqual(['lab']);
  expect((await tick('2026-11-26T14:00:00.000Z', '2026-11-26T13:20:00.000Z')).skipped).toEqual(['lab']);
  expect(fixtures.server.seen('/lab.xml')).toHaveLength(3);
});
