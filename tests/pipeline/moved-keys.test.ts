/** The earlier forms of a moved site's alias keys (moved-keys.ts), and how the plan takes them. */
import { describe, expect, it } from 'vitest';
import { movedHits, movedKeyVariants, planSourceUpdate } from '../../src/pipeline/index.js';
import { makeArticle, makeCandidate } from '../helpers/articles.js';

describe('movedKeyVariants', () => {
  it('gives the other scheme, the host with and without www., and both, for URL and permalink guid keys', () => {
    expect(movedKeyVariants('url:https://www.lab.example/posts/1?x=1')).toEqual([
      'url:https://lab.example/posts/1?x=1',
      'url:http://www.lab.example/posts/1?x=1',
      'url:http://lab.example/posts/1?x=1',
    ]);
    expect(movedKeyVariants('guid:lab:http://lab.example/p/2')).toEqual([
      'guid:lab:http://www.lab.example/p/2',
      'guid:lab:https://lab.example/p/2',
      'guid:lab:https://www.lab.example/p/2',
    ]);
  });

  it('leaves alone what holds no http(s) link, or one that cannot be rewritten as it is', () => {
    for (const key of [
      'guid:lab:post-42',
      'guid:lab:tag:lab.example,2026:1',
      'item:lab:abcdef',
      'url:ftp://lab.example/file',
      'url:https://lab.example:8443/posts/1',
      'url:https://lab.example/a b',
    ]) {
      expect(movedKeyVariants(key), key).toEqual([]);
    }
  });
});

describe('movedHits', () => {
  it('names, for each key, the article the first known variant points to', () => {
    const hits = movedHits(
      ['url:https://lab.example/1', 'url:https://lab.example/2', 'guid:lab:post-3'],
      new Map([
        ['url:http://www.lab.example/1', 'old-www'],
        ['url:http://lab.example/1', 'old'],
        ['guid:lab:post-3', 'never-asked'],
      ]),
    );
    expect([...hits]).toEqual([['url:https://lab.example/1', 'old']]);
  });
});

describe('planSourceUpdate with moved hits', () => {
  it('merges into the article the earlier key names and writes the new keys as its aliases', () => {
    const stored = makeArticle({ id: 'old', sourceId: 'lab', url: 'http://lab.example/1' });
    const candidate = makeCandidate({ id: 'new', sourceId: 'lab', url: 'https://lab.example/1' }, ['url:https://lab.example/1', 'guid:lab:https://lab.example/1']);
    const plan = planSourceUpdate({
      sourceId: 'lab',
      candidates: [candidate],
      aliasHits: new Map(),
      movedHits: new Map([['url:https://lab.example/1', 'old']]),
      existing: new Map([['old', stored]]),
      index: [{ id: 'old', sortKey: stored.published }],
      now: new Date('2026-11-27T00:00:00Z'),
      retention: { maxItemsPerSource: 100, maxAgeDays: 3650 },
    });
    expect(plan).toMatchObject({ added: 0, updated: 1, itemsAfter: 1 });
    expect(plan.upserts.map(({ id, url }) => ({ id, url }))).toEqual([{ id: 'old', url: 'https://lab.example/1' }]);
    expect(plan.aliases).toEqual({ 'url:https://lab.example/1': 'old', 'guid:lab:https://lab.example/1': 'old' });
  });
});
