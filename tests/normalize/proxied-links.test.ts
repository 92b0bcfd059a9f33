/**
 * Items whose link a proxy wrote (FeedBurner's feedproxy.google.com) and that
 * name the publisher's own address beside it: the article points to the
 * publisher, and keeps the identity it had under the proxied link.
 */
import { describe, expect, it } from 'vitest';
import { normalizeFeed } from '../../src/normalize/index.js';
import { makeContext, makeFeed, makeItem } from './fixtures.js';

const PROXIED = 'http://feedproxy.google.com/~r/pub/~3/AbC/a.html';
const ORIGINAL = 'https://pub.example/2024/a.html?utm_source=feedburner';

describe('an item with a proxied link and its original', () => {
  it('links the article, its credit and the base of its content to the original', () => {
    const [candidate] = normalizeFeed(
      makeFeed([makeItem({ link: PROXIED, originalLink: ORIGINAL, content: '<p><img src="img/a.png"> text</p>' })]),
      makeContext(),
    );
    expect(candidate?.article.url).toBe('https://pub.example/2024/a.html');
    expect(candidate?.article.credit.originalUrl).toBe('https://pub.example/2024/a.html');
    expect(candidate?.article.contentHtml).toContain('https://pub.example/2024/img/a.png');
  });

  it('keeps the id and GUID the proxied link gave it, and is also known by the original', () => {
    const before = normalizeFeed(makeFeed([makeItem({ link: PROXIED, guid: 'g-1' })]), makeContext())[0];
    const after = normalizeFeed(makeFeed([makeItem({ link: PROXIED, guid: 'g-1', originalLink: ORIGINAL })]), makeContext())[0];
    expect(after?.article.id).toBe(before?.article.id);
    expect(after?.article.guid).toBe(before?.article.guid);
    expect(after?.aliasKeys).toEqual([...(before?.aliasKeys ?? []), 'url:https://pub.example/2024/a.html']);
  });

  it('keeps the identity of an item with no link of its own too', () => {
    const item = { link: null, guid: null, title: 'Only an original' };
    const before = normalizeFeed(makeFeed([makeItem(item)]), makeContext())[0];
    const after = normalizeFeed(makeFeed([makeItem({ ...item, originalLink: ORIGINAL })]), makeContext())[0];
    expect(after?.article.id).toBe(before?.article.id);
    expect(after?.article.url).toBe('https://pub.example/2024/a.html');
  });

  it('does not key items by an original they share (every episode naming the show page)', () => {
    const show = 'https://pod.example/show';
    const candidates = normalizeFeed(
      makeFeed([
        makeItem({ link: 'http://feedproxy.google.com/~r/pod/~3/1/ep1', guid: 'ep-1', originalLink: show }),
        makeItem({ link: 'http://feedproxy.google.com/~r/pod/~3/2/ep2', guid: 'ep-2', originalLink: show }),
      ]),
      makeContext(),
    );
    expect(candidates).toHaveLength(2);
    for (const candidate of candidates) {
      expect(candidate.article.url).toBe(show);
      expect(candidate.aliasKeys).not.toContain(`url:${show}`);
    }
  });

  it('does not key items without guids by an original they share either, their own links telling them apart', () => {
    const show = 'https://pod.example/show';
    const candidates = normalizeFeed(
      makeFeed([
        makeItem({ link: 'http://feedproxy.google.com/~r/pod/~3/1/ep1', title: 'Episode 1', originalLink: show }),
        makeItem({ link: 'http://feedproxy.google.com/~r/pod/~3/2/ep2', title: 'Episode 2', originalLink: show }),
      ]),
      makeContext(),
    );
    expect(candidates.map((candidate) => candidate.aliasKeys)).toEqual([
      ['url:http://feedproxy.google.com/~r/pod/~3/1/ep1'],
      ['url:http://feedproxy.google.com/~r/pod/~3/2/ep2'],
    ]);
  });

  it('adds no key when the original is the link itself', () => {
    const link = 'https://pub.example/a.html';
    const [plain] = normalizeFeed(makeFeed([makeItem({ link, guid: 'g' })]), makeContext());
    const [same] = normalizeFeed(makeFeed([makeItem({ link, guid: 'g', originalLink: link })]), makeContext());
    expect(same?.aliasKeys).toEqual(plain?.aliasKeys);
  });
});
