/**
 * The merge plan (store/source-merge.ts) in the cases a cycle rarely leaves
 * behind, on records as a store holds them: which copy stands where both
 * sources hold an id, a key of the old source naming another source's
 * article, what the plan keeps of fields it does not know, and a pairing it
 * cannot tell apart.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { Article } from '../../src/model/index.js';
import { mergeArticle } from '../../src/pipeline/index.js';
import { encodeEnvelope } from '../../src/store/codec.js';
import { SourceMergePlan } from '../../src/store/source-merge.js';
import { article, at, state } from './fixtures.js';

const text = (value: unknown): string => encodeEnvelope({ value });
const tombstone = (sourceId: string, id: string) => ({ tombstone: true, id, sourceId, deletedAt: at(20) });
const index = (...articles: Article[]) => articles.map((each) => ({ id: each.id, sortKey: each.published }));

function plan(from: Record<string, unknown>, into: Record<string, unknown>): SourceMergePlan {
  const records = (values: Record<string, unknown>) => new Map(Object.entries(values).map(([key, value]) => [key, text(value)]));
  return new SourceMergePlan('sqlite', 'new', { id: 'old', records: records(from) }, records(into), mergeArticle);
}

const written = (raw: string | undefined): unknown => (raw === undefined ? undefined : (JSON.parse(raw.split('\n')[0]!) as { value: unknown }).value);

describe('SourceMergePlan', () => {
  it("keeps the new source's live article where the old source holds only its tombstone", () => {
    const live = article('new', 'x1', { published: at(3), firstSeen: at(3) });
    const writes = plan(
      { 'article:old:x1': tombstone('old', 'x1'), 'state:old': state('old', { revision: 4 }) },
      { 'article:new:x1': live, 'index:new': index(live), 'state:new': state('new', { revision: 1 }) },
    ).plan(new Map());
    expect(writes.sets.has('article:new:x1')).toBe(false);
    expect(written(writes.sets.get('index:new'))).toEqual([{ id: 'x1', sortKey: at(3) }]);
    expect(written(writes.sets.get('state:new'))).toMatchObject({ itemsStored: 1, revision: 5 });
    expect(writes.deletes.sort()).toEqual(['article:old:x1', 'state:old']);
    expect(writes.merge).toMatchObject({ articles: 0, tombstones: 0, bothHeld: 1, duplicates: 0, stored: 1 });
  });

  it("leaves the new source's key where the old source's names no article of its own", () => {
    const other = article('new', 'n1');
    const writes = plan({ 'alias:guid:old:g': 'elsewhere', 'state:old': state('old') }, { 'alias:guid:new:g': 'n1', 'article:new:n1': other }).plan(new Map());
    expect(writes.sets.has('alias:guid:new:g')).toBe(false);
    expect(writes.deletes).toContain('alias:guid:old:g');
    expect(writes.sets.has('article:new:n1')).toBe(false);
  });

  it('moves a record it has no counterpart for with the fields this version does not know of', () => {
    const stored = { ...article('old', 'a1'), laterField: 'kept' };
    const writes = plan({ 'article:old:a1': stored, 'alias:guid:old:g': 'a1' }, { 'state:new': state('new') }).plan(new Map());
    expect(written(writes.sets.get('article:new:a1'))).toMatchObject({ sourceId: 'new', credit: { sourceId: 'new' }, laterField: 'kept' });
    expect(written(writes.sets.get('alias:guid:new:g'))).toBe('a1');
  });

  it('rewrites the rows the new source recorded for the copy it loses only while they still name it', () => {
    const [kept, copy] = [article('old', 'a1', { upstreamGuid: 'g' }), article('new', 'b1', { upstreamGuid: 'g' })];
    const merge = plan(
      { 'article:old:a1': kept, 'alias:guid:old:g': 'a1' },
      { 'article:new:b1': copy, 'alias:guid:new:g': 'b1', 'aliases-of:new': [{ id: 'b1', keys: ['guid:new:g', 'url:https://a.example/1', 'url:https://a.example/2'] }] },
    );
    expect(merge.aliasKeysToRead().sort()).toEqual(['alias:url:https://a.example/1', 'alias:url:https://a.example/2']);
    const writes = merge.plan(new Map([['alias:url:https://a.example/1', text('b1')], ['alias:url:https://a.example/2', text('taken-since')]]));
    expect(written(writes.sets.get('alias:url:https://a.example/1'))).toBe('a1');
    expect(writes.sets.has('alias:url:https://a.example/2')).toBe(false);
    expect(written(writes.sets.get('alias:guid:new:g'))).toBe('a1');
    expect(writes.deletes).toContain('article:new:b1');
  });

  it('refuses a copy that stands for two articles of the old source', () => {
    const records = { 'article:old:a1': article('old', 'a1'), 'article:old:a2': article('old', 'a2'), 'alias:guid:old:g1': 'a1', 'alias:item:old:h2': 'a2' };
    const into = { 'article:new:b1': article('new', 'b1'), 'alias:guid:new:g1': 'b1', 'alias:item:new:h2': 'b1' };
    expect(() => plan(records, into)).toThrow(StoreError);
    expect(() => plan(records, into)).toThrow(/mergeSource: article "b1" of source "new" and article "a2" of source "old" share an alias, .*; nothing was merged/);
  });
});
