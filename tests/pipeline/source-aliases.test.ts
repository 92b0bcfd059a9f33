import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/model/index.js';
import { newestCandidates, rememberedHits, RETIRED_GRACE_DAYS, upkeepSourceAliases, type SourceAliasesInput } from '../../src/pipeline/index.js';

const DAY = 86_400_000;
const NOW = new Date(100 * DAY + 3_600_000);

/** What a document lists: own items unless said otherwise. */
function listing(entries: Array<[string, string[], boolean?]>): SourceAliasesInput['listed'] {
  return new Map(entries.map(([id, keys, own = true]) => [id, { keys, own }]));
}

function upkeep(parts: Partial<SourceAliasesInput>) {
  return upkeepSourceAliases({ recorded: [], listed: new Map(), stored: new Set(), now: NOW, retiredLimit: 10, ...parts });
}

describe('upkeepSourceAliases', () => {
  it('records what a document lists, retired items with the day they were listed', () => {
    const result = upkeep({ listed: listing([['a', ['url:a', 'guid:s:a']], ['b', ['url:b']]]), stored: new Set(['a']) });
    expect(result.record).toEqual([{ id: 'a', keys: ['url:a', 'guid:s:a'] }, { id: 'b', keys: ['url:b'], listedDay: 100 }]);
    expect(result).toMatchObject({ prunedAliases: {}, prunedIds: [] });
  });

  it('changes nothing when the document lists what it listed the same day', () => {
    const recorded = [{ id: 'a', keys: ['url:a'] }, { id: 'b', keys: ['url:b'], listedDay: 100 }];
    expect(upkeep({ recorded, listed: listing([['b', ['url:b']]]), stored: new Set(['a']) })).toEqual({ record: null, prunedAliases: {}, prunedIds: [] });
  });

  it('prunes a retired item unlisted for the grace period, and starts the grace period of a stored one retired while unlisted', () => {
    const recorded = [
      { id: 'gone', keys: ['url:gone'], listedDay: 100 - RETIRED_GRACE_DAYS },
      { id: 'recent', keys: ['url:recent'], listedDay: 100 - RETIRED_GRACE_DAYS + 1 },
      { id: 'dropped', keys: ['url:dropped', 'guid:s:dropped'] },
      { id: 'kept', keys: ['url:kept'] },
    ];
    const result = upkeep({ recorded, stored: new Set(['kept']) });
    expect(result.record).toEqual([recorded[1], { id: 'dropped', keys: ['url:dropped', 'guid:s:dropped'], listedDay: 100 }, recorded[3]]);
    expect(result.prunedAliases).toEqual({ 'url:gone': 'gone' });
    expect(result.prunedIds).toEqual(['gone']);
  });

  it('keeps a stored article retired while listed, as retired from today', () => {
    const result = upkeep({ recorded: [{ id: 'a', keys: ['url:a'] }], listed: listing([['a', ['url:a', 'guid:s:a']]]) });
    expect(result.record).toEqual([{ id: 'a', keys: ['url:a', 'guid:s:a'], listedDay: 100 }]);
  });

  it('remembers at most the limit of retired items, dropping those listed longest ago first', () => {
    const recorded = [
      { id: 'old', keys: ['url:old'], listedDay: 97 },
      { id: 'older', keys: ['url:older'], listedDay: 96 },
    ];
    const listed = listing([['new1', ['url:new1']], ['new2', ['url:new2']]]);
    const result = upkeep({ recorded, listed, retiredLimit: 3 });
    expect(result.record?.map((entry) => entry.id)).toEqual(['old', 'new1', 'new2']);
    expect(result.prunedIds).toEqual(['older']);
  });
});

describe('items another source holds', () => {
  it('are remembered while listed and for the grace period, and their rows are never removed', () => {
    const first = upkeep({ listed: listing([['x', ['url:x'], false]]) });
    expect(first.record).toEqual([{ id: 'x', keys: ['url:x'], listedDay: 100, foreign: true }]);
    const later = upkeep({ recorded: first.record!, now: new Date(NOW.getTime() + RETIRED_GRACE_DAYS * DAY) });
    expect(later).toEqual({ record: [], prunedAliases: {}, prunedIds: [] });
  });

  it('still name the item when the store no longer has the key', () => {
    const recorded = [{ id: 'x', keys: ['url:x', 'guid:s:x'], listedDay: 100, foreign: true as const }];
    const hits = rememberedHits(recorded, ['url:x', 'url:y'], new Map([['url:y', 'y']]));
    expect(hits).toEqual(new Map([['url:y', 'y'], ['url:x', 'x']]));
  });
});

describe('newestCandidates', () => {
  // Ranking reads only the dates: the rest of the article is left out.
  const candidate = (id: string, published: string): Candidate =>
    ({ article: { id, published, firstSeen: '2026-01-10T00:00:00.000Z' }, aliasKeys: [`url:${id}`] }) as unknown as Candidate;

  it('keeps the newest by date, ties in feed order, in feed order', () => {
    const list = [
      candidate('a', '2026-01-01T00:00:00.000Z'),
      candidate('b', '2026-01-05T00:00:00.000Z'),
      candidate('c', '2026-01-03T00:00:00.000Z'),
      candidate('d', '2026-01-05T00:00:00.000Z'),
      candidate('e', '2026-01-05T00:00:00.000Z'),
    ];
    expect(newestCandidates(list, 3).map((each) => each.article.id)).toEqual(['b', 'd', 'e']);
    expect(newestCandidates(list, 4).map((each) => each.article.id)).toEqual(['b', 'c', 'd', 'e']);
    expect(newestCandidates(list, 5)).toBe(list);
  });
});
