/**
 * Retention of a source whose feed does not change: a 304, or the same body
 * again, brings nothing to plan, yet what has expired must still go.
 */
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { sourceHealth } from '../../src/jobs/health.js';
import { renderOutputs } from '../../src/jobs/publish.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { useCycleContext } from '../helpers/cycle-context.js';

const fixtures = useCycleContext('byline-retention-');

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title><link>https://quiet.example/</link>
  <description>d</description>
  <item><title>Newer</title><link>https://quiet.example/2</link><pubDate>Wed, 25 Nov 2026 09:00:00 GMT</pubDate><description>two</description></item>
  <item><title>Older</title><link>https://quiet.example/1</link><pubDate>Sun, 01 Nov 2026 09:00:00 GMT</pubDate><description>one</description></item>
</channel></rss>`;

async function open(validators: boolean, retention: string): Promise<Context> {
  fixtures.server.route('/quiet.xml', { body: FEED, type: 'application/rss+xml', validators });
  return fixtures.open([{ id: 'quiet', name: 'Quiet', path: '/quiet.xml' }], `retention: ${retention}\n`);
}

async function cycleAt(context: Context, iso: string) {
  const report = await runCycle({ sources: enabledSources(context.config), deps: { ...context.deps, now: () => new Date(iso) }, concurrency: 4, force: true });
  return report.outcomes[0]!;
}

async function published(context: Context): Promise<string[]> {
  return (JSON.parse((await renderOutputs(context.config, context.store)).json).items as Array<{ title: string }>).map((item) => item.title);
}

describe('retention of a feed that does not change', () => {
  for (const { validators, status } of [
    { validators: true, status: 'not_modified' },
    { validators: false, status: 'unchanged' },
  ]) {
    it(`drops what expired on a fetch that is ${status}, and keeps the rest`, async () => {
      const ctx = await open(validators, '{ maxAgeDays: 30 }');
      const first = await cycleAt(ctx, '2026-11-26T12:00:00.000Z');
      expect(first).toMatchObject({ status: 'updated', added: 2, state: { itemsStored: 2, oldestKept: '2026-11-01T09:00:00.000Z' } });

      // A month after "Older" but not "Newer": the same feed again drops the one, and the feeds follow.
      const second = await cycleAt(ctx, '2026-12-10T12:00:00.000Z');
      expect(second).toMatchObject({ status, state: { itemsStored: 1, oldestKept: '2026-11-25T09:00:00.000Z', revision: first.state.revision + 1 } });
      expect((await ctx.store.getIndex('quiet')).length).toBe(1);
      expect(await published(ctx)).toEqual(['Newer']);

      // Nothing further has expired: nothing changes.
      const third = await cycleAt(ctx, '2026-12-11T12:00:00.000Z');
      expect(third).toMatchObject({ status, state: { itemsStored: 1, revision: second.state.revision } });

      const fourth = await cycleAt(ctx, '2027-01-30T12:00:00.000Z');
      expect(fourth).toMatchObject({ status, state: { itemsStored: 0, oldestKept: null } });
      expect(await published(ctx)).toEqual([]);
      expect((await sourceHealth(ctx.config, ctx.store))[0]).toMatchObject({ status: 'ok', items: 0 });
    });
  }

  it('applies a lower maxItemsPerSource on a 304, and reads a state stored before the oldest article was kept', async () => {
    const ctx = await open(true, '{ maxAgeDays: 36500 }');
    await cycleAt(ctx, '2026-11-26T12:00:00.000Z');
    // As a byline from before `oldestKept` wrote it.
    const state = (await ctx.store.getState('quiet'))!;
    await ctx.store.commitSource({ sourceId: 'quiet', state: { ...state, oldestKept: null }, upserts: [], deletes: [], aliases: {} });
    const again = await runCycle({
      sources: enabledSources(ctx.config),
      deps: { ...ctx.deps, retention: { maxAgeDays: 36500, maxItemsPerSource: 1 }, now: () => new Date('2026-11-27T12:00:00.000Z') },
      concurrency: 4,
      force: true,
    });
    expect(again.outcomes[0]).toMatchObject({ status: 'not_modified', state: { itemsStored: 1, oldestKept: '2026-11-25T09:00:00.000Z' } });
    expect(await published(ctx)).toEqual(['Newer']);
  });

  it('reads the index once for a state stored before the oldest article was kept, and drops what expired', async () => {
    const ctx = await open(true, '{ maxAgeDays: 30 }');
    await cycleAt(ctx, '2026-11-26T12:00:00.000Z');
    // As a byline from before `oldestKept` wrote it; within the count, so only the missing field can send it to the index.
    const state = (await ctx.store.getState('quiet'))!;
    await ctx.store.commitSource({ sourceId: 'quiet', state: { ...state, oldestKept: null }, upserts: [], deletes: [], aliases: {} });
    const later = await cycleAt(ctx, '2026-12-10T12:00:00.000Z');
    expect(later).toMatchObject({ status: 'not_modified', state: { itemsStored: 1, oldestKept: '2026-11-25T09:00:00.000Z' } });
    expect(await published(ctx)).toEqual(['Newer']);
  });
});
