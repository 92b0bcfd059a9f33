/**
 * The store's ordering rules as pure functions: the sort key, the index a
 * change produces, and the merged window listNewest serves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyToIndex, compareEntries, mergeNewest, sortKeyOf } from '../../src/store/ordering.js';
import type { IndexEntry } from '../../src/store/index.js';
import { article, at } from './fixtures.js';

describe('sortKeyOf', () => {
  it.each([
    { published: at(10), firstSeen: at(20), expected: at(10) },
    { published: at(30), firstSeen: at(20), expected: at(20) },
    { published: '2024-05-01T02:00:00+02:00', firstSeen: at(90), expected: at(0) },
    { published: '2024-04-30T23:30:00-01:00', firstSeen: '2024-05-01T00:20:00.000Z', expected: at(20) },
  ])('min($published, $firstSeen) = $expected', ({ published, firstSeen, expected }) => {
    expect(sortKeyOf({ published, firstSeen })).toBe(expected);
  });

  it('refuses a date it cannot parse', () => {
    expect(() => sortKeyOf({ published: 'soon', firstSeen: at(0) })).toThrow(RangeError);
  });
});

const entryArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  sortKey: fc.integer({ min: 0, max: 50 }).map(at),
});

/** Reference order written independently of compareEntries: instant desc, then id by code units. */
function reference(entries: IndexEntry[]): IndexEntry[] {
  return [...entries].sort((a, b) => Date.parse(b.sortKey) - Date.parse(a.sortKey) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

describe('applyToIndex', () => {
  it('removes deletes, (re)places upserts with their key, keeps the rest, sorted', () => {
    const current = [
      { id: 'a', sortKey: at(40) },
      { id: 'b', sortKey: at(30) },
      { id: 'c', sortKey: at(20) },
    ];
    const next = applyToIndex(current, [article('s', 'c', { published: at(50) }), article('s', 'd', { published: at(30) })], ['a', 'zz']);
    expect(next).toEqual([
      { id: 'c', sortKey: at(50) },
      { id: 'b', sortKey: at(30) },
      { id: 'd', sortKey: at(30) },
    ]);
  });

  it('always yields each surviving id once, in total order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(entryArb, { selector: (entry) => entry.id, maxLength: 20 }),
        fc.uniqueArray(entryArb, { selector: (entry) => entry.id, maxLength: 10 }),
        fc.array(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 10 }),
        (current, upserted, deletes) => {
          const upserts = upserted.map((entry) => article('s', entry.id, { published: entry.sortKey, firstSeen: at(100) }));
          const next = applyToIndex(reference(current), upserts, deletes);
          const expected = new Map(current.filter((entry) => !deletes.includes(entry.id)).map((entry) => [entry.id, entry.sortKey]));
          for (const entry of upserted) expected.set(entry.id, entry.sortKey);
          expect(next).toEqual(reference([...expected].map(([id, sortKey]) => ({ id, sortKey }))));
        },
      ),
    );
  });
});

describe('mergeNewest', () => {
  it('equals sorting everything and slicing the window', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(entryArb, { selector: (entry) => entry.id, maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 35 }),
        fc.integer({ min: 0, max: 35 }),
        (entries, parts, limit, offset) => {
          const indexes: IndexEntry[][] = Array.from({ length: parts }, () => []);
          entries.forEach((entry, i) => indexes[i % parts]?.push(entry));
          const sortedIndexes = indexes.map((index) => [...index].sort(compareEntries));
          expect(mergeNewest(sortedIndexes, limit, offset)).toEqual(reference(entries).slice(offset, offset + limit));
        },
      ),
    );
  });
});
