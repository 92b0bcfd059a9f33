/**
 * Atom 1.0 output: well-formed, in the Atom namespace only, read back by
 * rss-parser, and every entry credited with atom:source, rights and the
 * footer; required elements (id, title, updated, author) always present.
 */
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../src/render/index.js';
import { expectedDefaultFooterLines, makeArticle, makeArticleSet, makeMeta } from './fixtures.js';
import { creditLines } from './html-support.js';
import { childNamed, childrenNamed, expectWellFormed, prefixesDeclared, type XmlElement } from './xml-support.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

async function renderEntries(articles = makeArticleSet(), meta = makeMeta()): Promise<{ feed: XmlElement; entries: XmlElement[] }> {
  const feed = await expectWellFormed(renderAtom(meta, articles));
  return { feed, entries: childrenNamed(feed, 'entry') };
}

function links(node: XmlElement): Array<Record<string, string>> {
  return childrenNamed(node, 'link').map((link) => link.attrs);
}

describe('renderAtom', () => {
  it('produces a well-formed Atom document that rss-parser reads back', async () => {
    const articles = makeArticleSet();
    const xml = renderAtom(makeMeta(), articles);
    const feed = await expectWellFormed(xml);
    expect(feed.name).toBe('feed');
    expect(feed.uri).toBe(ATOM_NS);
    expect(prefixesDeclared(feed).size).toBe(0);
    const parsed = await new Parser().parseString(xml);
    expect(parsed.items.map((item) => item.title)).toEqual(articles.map((a) => a.title));
    expect(parsed.items.map((item) => item.link)).toEqual(articles.map((a) => a.url));
  });

  it('describes the feed: stable id, title, links, generator, language', async () => {
    const { feed } = await renderEntries([], makeMeta({ hubUrl: 'https://hub.example/' }));
    expect(childNamed(feed, 'id').text).toBe('https://byline.example/atom.xml');
    expect(childNamed(feed, 'title').text).toBe('Byline AI News');
    expect(childNamed(feed, 'generator').text).toBe('byline 0.1.0');
    expect(feed.attrs['xml:lang']).toBe('zh-CN');
    expect(links(feed)).toEqual([
      { rel: 'self', type: 'application/atom+xml', href: 'https://byline.example/atom.xml' },
      { rel: 'alternate', type: 'text/html', href: 'https://byline.example/' },
      { rel: 'hub', href: 'https://hub.example/' },
    ]);
  });

  it('sets the feed updated to the latest entry, whatever the order', async () => {
    const articles = [
      makeArticle({ id: 'a', published: '2024-01-01T00:00:00Z' }),
      makeArticle({ id: 'b', published: '2024-01-02T00:00:00Z', updated: '2024-02-10T08:30:00+02:00' }),
      makeArticle({ id: 'c', published: '2024-01-03T00:00:00Z' }),
    ];
    const { feed, entries } = await renderEntries(articles, makeMeta({ updated: '2024-01-03T00:00:00Z' }));
    expect(childNamed(feed, 'updated').text).toBe('2024-02-10T06:30:00Z');
    expect(entries.map((e) => childNamed(e, 'id').text)).toEqual(articles.map((a) => a.guid));
    expect(childNamed(entries[1]!, 'updated').text).toBe('2024-02-10T06:30:00Z');
    expect(childNamed(entries[0]!, 'updated').text).toBe('2024-01-01T00:00:00Z');
  });

  it('takes meta.updated when it is later than every entry: an item that arrived back-dated', async () => {
    // feedMeta counts when each item was first seen; an entry published and updated earlier arrived then.
    const articles = [makeArticle({ id: 'late', published: '2024-01-01T00:00:00Z', firstSeen: '2024-01-05T12:00:00Z' })];
    const { feed } = await renderEntries(articles, makeMeta({ updated: '2024-01-05T12:00:00Z' }));
    expect(childNamed(feed, 'updated').text).toBe('2024-01-05T12:00:00Z');
  });

  it('falls back to meta.updated when there are no entries', async () => {
    const { feed } = await renderEntries([]);
    expect(childNamed(feed, 'updated').text).toBe('2024-03-06T00:00:00Z');
  });

  it('writes every entry with id = guid, a text title, the original link and dates', async () => {
    const articles = makeArticleSet();
    const { entries } = await renderEntries(articles);
    entries.forEach((entry, index) => {
      const article = articles[index]!;
      expect(childNamed(entry, 'id').text).toBe(article.guid);
      expect(childNamed(entry, 'title').attrs['type']).toBe('text');
      expect(childNamed(entry, 'title').text).toBe(article.title);
      expect(links(entry)[0]).toEqual({ rel: 'alternate', type: 'text/html', href: article.url });
      expect(childNamed(entry, 'published').text).toBe('2024-03-05T10:00:00Z');
    });
  });

  it('credits the source on every entry: atom:source, rights, footer in content', async () => {
    const articles = makeArticleSet();
    const { entries } = await renderEntries(articles);
    entries.forEach((entry, index) => {
      const article = articles[index]!;
      const source = childNamed(entry, 'source');
      expect(childNamed(source, 'id').text).toBe(article.credit.feedUrl);
      expect(childNamed(source, 'title').text).toBe(article.credit.sourceName);
      expect(childNamed(source, 'updated').text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(links(source)).toContainEqual({ rel: 'self', href: article.credit.feedUrl });
      if (article.credit.sourceSite) {
        expect(links(source)).toContainEqual({ rel: 'alternate', type: 'text/html', href: article.credit.sourceSite });
      }
      const content = childNamed(entry, 'content');
      expect(content.attrs['type']).toBe('html');
      expect(content.text.startsWith(article.contentHtml)).toBe(true);
      expect(creditLines(content.text)).toEqual(expectedDefaultFooterLines(article));
      const rights = childrenNamed(entry, 'rights').map((r) => r.text);
      expect(rights).toEqual(article.credit.creditLine ? [expect.stringContaining(article.credit.creditLine)] : []);
    });
  });

  it('names the source as author when an article has none, else every author', async () => {
    const { entries } = await renderEntries([makeArticle({ authors: [] }), makeArticle({ id: 'b', authors: ['张三', 'Bob'] })]);
    const names = (entry: XmlElement): string[] => childrenNamed(entry, 'author').map((a) => childNamed(a, 'name').text);
    expect(names(entries[0]!)).toEqual(['GogoAI News']);
    expect(names(entries[1]!)).toEqual(['张三', 'Bob']);
  });

  it('writes categories as terms, the summary as text, via links and the image as an enclosure', async () => {
    const articles = makeArticleSet();
    const { entries } = await renderEntries(articles);
    const byId = (id: string): XmlElement => entries[articles.findIndex((a) => a.id === id)]!;
    expect(childrenNamed(byId('zh'), 'category').map((c) => c.attrs)).toEqual([{ term: '大模型' }, { term: 'AI' }]);
    const hostile = articles.find((a) => a.id === 'hostile')!;
    expect(childNamed(byId('hostile'), 'summary').attrs['type']).toBe('text');
    expect(childNamed(byId('hostile'), 'summary').text).toBe(hostile.summary);
    // Only upstreams with an address can be linked; the name-only one stays in the footer.
    expect(links(byId('via')).filter((l) => l['rel'] === 'via')).toEqual([{ rel: 'via', href: 'https://upstream.example/story' }]);
    expect(links(byId('image'))).toContainEqual({
      rel: 'enclosure',
      href: 'https://cdn.example/img/lead.png?w=800&h=600',
      type: 'image/png',
    });
  });

  it('omits the summary when the article has none', async () => {
    const { entries } = await renderEntries([makeArticle({ summary: null })]);
    expect(childrenNamed(entries[0]!, 'summary')).toHaveLength(0);
  });

  it('is byte-identical across two renders of the same input', () => {
    expect(renderAtom(makeMeta(), makeArticleSet())).toBe(renderAtom(makeMeta(), makeArticleSet()));
  });

  it('keeps `]]>` and markup in content exactly', async () => {
    const hostile = makeArticleSet().find((a) => a.id === 'hostile')!;
    const { entries } = await renderEntries([hostile]);
    expect(childNamed(entries[0]!, 'content').text.startsWith(`${hostile.contentHtml}\n`)).toBe(true);
  });
});

