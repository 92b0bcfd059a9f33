/**
 * What a feed can make the store keep. Retention bounds a source's articles;
 * the alias rows that remember items (so a retired one never comes back as
 * new) were written for every item a document listed and never removed, so a
 * feed listing thousands of items, or new ones on every fetch, grew the store
 * without bound. Counted on the SQLite file itself.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import { enabledSources } from '../../src/config/index.js';
import { renderOutputs } from '../../src/jobs/publish.js';
import { runCycle } from '../../src/jobs/run-cycle.js';
import { CANDIDATES_PER_DOCUMENT, RETIRED_GRACE_DAYS } from '../../src/pipeline/index.js';
import { useCycleContext, type OpenedContext } from '../helpers/cycle-context.js';

const fixtures = useCycleContext('byline-alias-bound-');
const KEPT = 50;
const DAY = 86_400_000;
const START = Date.parse('2026-11-26T12:00:00.000Z');

/** An item of {@link feed}: its number, its date in minutes after 2026-01-01 (undated when null), and whether it has a guid besides its link. */
interface Item {
  n: number;
  minutes: number | null;
  guid?: boolean;
}

/** An RSS feed of the given items, each with its own link. */
function feed(items: readonly Item[], note = 'd'): string {
  const entries = items.map(({ n, minutes, guid = true }) => {
    const date = minutes === null ? '' : `<pubDate>${new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toUTCString()}</pubDate>`;
    const id = guid ? `<guid>flood-${n}</guid>` : '';
    return `<item><title>Item ${n}</title><link>https://flood.example/${n}</link>${id}${date}<description>item ${n}</description></item>`;
  });
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title><link>https://flood.example/</link><description>${note}</description>${entries.join('')}</channel></rss>`;
}

function serve(items: readonly Item[], note?: string): void {
  fixtures.server.route('/flood.xml', { body: feed(items, note), type: 'application/rss+xml', validators: false });
}

async function open(maxItems = KEPT): Promise<OpenedContext> {
  serve([]);
  return fixtures.open([{ id: 'flood', name: 'Flood', path: '/flood.xml' }], `retention: { maxItemsPerSource: ${maxItems}, maxAgeDays: 36500 }\n`);
}

async function cycleAt(context: Context, ms: number) {
  const report = await runCycle({ sources: enabledSources(context.config), deps: { ...context.deps, now: () => new Date(ms) }, concurrency: 2, force: true });
  return report.outcomes[0]!;
}

/** Rows of the SQLite file under `prefix` (a key of byline's namespace). */
function rows(file: string, prefix: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM kv WHERE key GLOB ?').get(`byline:${prefix}*`) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function titles(context: Context): Promise<string[]> {
  return (JSON.parse((await renderOutputs(context.config, context.store)).json).items as Array<{ title: string }>).map((item) => item.title);
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

describe('alias rows a feed can make the store keep', () => {
  it('plans only the newest items of a document that lists thousands', async () => {
    const ctx = await open();
    const many = range(0, 3 * CANDIDATES_PER_DOCUMENT);
    serve(many.map((n) => ({ n, minutes: n })));
    const first = await cycleAt(ctx, START);
    expect(first).toMatchObject({ status: 'updated', added: KEPT, state: { itemsStored: KEPT } });
    // Two keys an item (its link and its guid), for no more items than one document is planned for.
    expect(rows(ctx.storeFile, 'alias:')).toBeLessThanOrEqual(2 * CANDIDATES_PER_DOCUMENT);
    expect((await titles(ctx))[0]).toBe(`Item ${many.at(-1)}`);

    // The same items again (another body): nothing comes back, nothing more is written.
    serve([...many].reverse().map((n) => ({ n, minutes: n })));
    const second = await cycleAt(ctx, START + 3_600_000);
    expect(second).toMatchObject({ status: 'updated', added: 0, state: { itemsStored: KEPT } });
    expect(rows(ctx.storeFile, 'alias:')).toBeLessThanOrEqual(2 * CANDIDATES_PER_DOCUMENT);
  });

  it('keeps a bounded number of rows for a feed with new items on every fetch', async () => {
    const ctx = await open();
    const batch = 600;
    for (let fetch = 0; fetch < 6; fetch++) {
      serve(range(fetch * batch, batch).map((n) => ({ n, minutes: n })));
      const outcome = await cycleAt(ctx, START + fetch * 3_600_000);
      expect(outcome, JSON.stringify(outcome.error)).toMatchObject({ status: 'updated', added: KEPT, state: { itemsStored: KEPT } });
    }
    // The stored articles' aliases, and those of at most as many retired items as one document is planned for.
    expect(rows(ctx.storeFile, 'alias:')).toBeLessThanOrEqual(2 * (KEPT + CANDIDATES_PER_DOCUMENT));
    // Tombstones of articles the feed no longer lists stay for the grace period, as many as the record remembers.
    expect(rows(ctx.storeFile, 'article:')).toBeLessThanOrEqual(KEPT + CANDIDATES_PER_DOCUMENT);

    // Once the feed has listed none of the retired items for the grace period, their rows go.
    const last = range(5 * batch, batch);
    serve(last.slice(-KEPT).map((n) => ({ n, minutes: n })));
    await cycleAt(ctx, START + (RETIRED_GRACE_DAYS + 1) * DAY);
    expect(rows(ctx.storeFile, 'alias:')).toBe(2 * KEPT);
    expect(rows(ctx.storeFile, 'article:')).toBe(KEPT);
  });

  it('does not bring back an item retention dropped while the feed did not list it, when the feed lists it again', async () => {
    // Undated items, so an item listed again would rank as the newest if it were taken for a new one.
    const ctx = await open(2);
    serve([{ n: 1, minutes: null }, { n: 2, minutes: null }]);
    expect(await cycleAt(ctx, START)).toMatchObject({ added: 2 });
    // A feed that rotates what it lists: two other items, and neither of the first two.
    serve([{ n: 3, minutes: null }, { n: 4, minutes: null }], 'rotated');
    expect(await cycleAt(ctx, START + DAY)).toMatchObject({ added: 2, state: { itemsStored: 2 } });
    // Item 1 is listed again two days later: it was retired, not new.
    serve([{ n: 1, minutes: null }, { n: 3, minutes: null }, { n: 4, minutes: null }], 'back');
    expect(await cycleAt(ctx, START + 3 * DAY)).toMatchObject({ added: 0 });
    expect(await titles(ctx)).not.toContain('Item 1');
  });

  it('never brings back an item retired while its feed still lists it, however long it lists it', async () => {
    const ctx = await open(2);
    // Undated: each fetch would date a new item at its own time, so only an alias keeps them retired.
    serve(range(1, 4).map((n) => ({ n, minutes: null })));
    const first = await cycleAt(ctx, START);
    expect(first).toMatchObject({ added: 2, state: { itemsStored: 2 } });
    const kept = await titles(ctx);

    for (let day = 1; day <= 3 * RETIRED_GRACE_DAYS; day += 4) {
      // A new body each time, listing the same four items.
      serve(range(1, 4).map((n) => ({ n, minutes: null })), `day ${day}`);
      const again = await cycleAt(ctx, START + day * DAY);
      expect(again).toMatchObject({ status: 'updated', added: 0 });
      expect(await titles(ctx)).toEqual(kept);
    }

    // A new item retires one of the two stored while the feed still lists it: it does not come back either.
    serve([{ n: 5, minutes: null }, ...range(1, 4).map((n) => ({ n, minutes: null }))]);
    const newer = await cycleAt(ctx, START + 30 * DAY);
    expect(newer).toMatchObject({ added: 1, state: { itemsStored: 2 } });
    const afterNew = await titles(ctx);
    serve([...range(1, 4).map((n) => ({ n, minutes: null })), { n: 5, minutes: null }]);
    for (let day = 31; day <= 31 + 2 * RETIRED_GRACE_DAYS; day += 3) {
      serve([...range(1, 4).map((n) => ({ n, minutes: null })), { n: 5, minutes: null }], `day ${day}`);
      expect(await cycleAt(ctx, START + day * DAY)).toMatchObject({ status: 'updated', added: 0 });
      expect(await titles(ctx)).toEqual(afterNew);
    }
  });
});

describe('an item two sources list', () => {
  it('does not come back under the second once the first drops it and prunes its aliases', async () => {
    const route = (path: string, items: readonly Item[], note: string): void => {
      fixtures.server.route(path, { body: feed(items, note), type: 'application/rss+xml', validators: false });
    };
    route('/flood.xml', [{ n: 0, minutes: 0 }], 'a');
    // Known by its link alone here, so only the first source's alias rows name it.
    route('/other.xml', [{ n: 0, minutes: 0, guid: false }], 'b');
    const ctx = await fixtures.open(
      [
        { id: 'first', name: 'First', path: '/flood.xml' },
        { id: 'second', name: 'Second', path: '/other.xml' },
      ],
      'retention: { maxItemsPerSource: 2, maxAgeDays: 36500 }\n',
    );
    const cycle = async (ms: number) =>
      (await runCycle({ sources: enabledSources(ctx.config), deps: { ...ctx.deps, now: () => new Date(ms) }, concurrency: 1, force: true })).outcomes;

    const first = await cycle(START);
    expect(first.map((outcome) => outcome.added)).toEqual([1, 0]);

    // The first source moves on: two newer items retire the shared one, which it no longer lists.
    for (let day = 1; day <= 2 * RETIRED_GRACE_DAYS; day += RETIRED_GRACE_DAYS) {
      route('/flood.xml', [{ n: 1, minutes: 10 + day }, { n: 2, minutes: 20 + day }].map((item) => ({ ...item, n: item.n + day * 10 })), `a ${day}`);
      route('/other.xml', [{ n: 0, minutes: 0, guid: false }], `b ${day}`);
      const outcomes = await cycle(START + day * DAY);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['updated', 'updated']);
      expect(outcomes[1]!.added).toBe(0);
      expect(await titles(ctx)).not.toContain('Item 0');
    }
  });
});
