/**
 * The newsletter profile, RFC 5005 archive links, JSON Feed paging and item
 * fields, the alerts feed and the XSL stylesheet.
 */
import { describe, expect, it } from 'vitest';
import { FEED_XSL, renderAlertsAtom, renderAtom, renderJsonFeed, renderRss } from '../../src/render/index.js';
import { makeArticle, makeArticleSet, makeMeta } from './fixtures.js';
import { creditLines } from './html-support.js';
import { childNamed, childrenNamed, expectWellFormed, type XmlElement } from './xml-support.js';

const items = async (xml: string): Promise<XmlElement[]> => childrenNamed(childNamed(await expectWellFormed(xml), 'channel'), 'item');

describe('the newsletter profile', () => {
  it('dates items by first-seen time and closes the description with the footer', async () => {
    const article = makeArticle({ published: '2024-03-01T08:00:00Z', firstSeen: '2024-03-01T09:30:00Z', summary: 'Plain <b> summary' });
    const [feedItem] = await items(renderRss(makeMeta(), [article]));
    const [mailItem] = await items(renderRss(makeMeta(), [article], 'newsletter'));
    expect(childNamed(feedItem!, 'pubDate').text).toBe('Fri, 01 Mar 2024 08:00:00 +0000');
    expect(childNamed(mailItem!, 'pubDate').text).toBe('Fri, 01 Mar 2024 09:30:00 +0000');
    expect(childNamed(feedItem!, 'description').text).toBe('Plain &lt;b&gt; summary');
    const description = childNamed(mailItem!, 'description').text;
    expect(description.startsWith('<p>Plain &lt;b&gt; summary</p>\n<div class="byline-credit">')).toBe(true);
    expect(creditLines(description)).toEqual(creditLines(childNamed(mailItem!, 'content:encoded').text));
  });

  it('keeps guids, links, credit and images identical to the subscription feed', async () => {
    const articles = makeArticleSet();
    const feed = await items(renderRss(makeMeta(), articles));
    const mail = await items(renderRss(makeMeta(), articles, 'newsletter'));
    const pick = (item: XmlElement) => ['guid', 'link', 'source', 'dc:rights'].map((name) => childrenNamed(item, name).map((n) => n.text).join());
    expect(mail.map(pick)).toEqual(feed.map(pick));
    const image = mail[articles.findIndex((a) => a.id === 'image')]!;
    expect(childNamed(image, 'enclosure').attrs).toMatchObject({ type: 'image/png', length: '0' });
    expect(childNamed(image, 'media:content').attrs).toMatchObject({ medium: 'image' });
  });
});

describe('RFC 5005 archive links', () => {
  const urls = (n: number) => ({ rss: `https://b.example/archive/${n}.xml`, atom: `https://b.example/archive/${n}.atom`, json: `https://b.example/archive/${n}.json` });
  const current = { rss: 'https://b.example/feed.xml', atom: 'https://b.example/atom.xml', json: 'https://b.example/feed.json' };

  it('the subscription feed links its newest archive page as prev-archive, and JSON Feed as next_url', async () => {
    const meta = makeMeta({ paging: { archive: false, current: null, prevArchive: urls(4), nextArchive: null } });
    const channel = childNamed(await expectWellFormed(renderRss(meta, [])), 'channel');
    expect(childrenNamed(channel, 'atom:link').map((l) => l.attrs['rel'])).toEqual(['self', 'prev-archive']);
    expect(childrenNamed(channel, 'atom:link')[1]!.attrs['href']).toBe(urls(4).rss);
    expect(childrenNamed(channel, 'fh:archive')).toHaveLength(0);
    const atom = await expectWellFormed(renderAtom(meta, []));
    expect(childrenNamed(atom, 'link').find((l) => l.attrs['rel'] === 'prev-archive')?.attrs['href']).toBe(urls(4).atom);
    expect(JSON.parse(renderJsonFeed(meta, [])).next_url).toBe(urls(4).json);
    expect(JSON.parse(renderJsonFeed(makeMeta(), []))).not.toHaveProperty('next_url');
  });

  it.each([
    { page: 1, prev: null, next: 2 },
    { page: 2, prev: 1, next: 3 },
    { page: 3, prev: 2, next: null },
  ])('archive page $page: fh:archive, current, prev $prev, next $next', async ({ page, prev, next }) => {
    const meta = makeMeta({
      selfUrls: { ...makeMeta().selfUrls, ...urls(page) },
      paging: { archive: true, current, prevArchive: prev ? urls(prev) : null, nextArchive: next ? urls(next) : null },
    });
    const expected = [['current', current], ['prev-archive', prev ? urls(prev) : null], ['next-archive', next ? urls(next) : null]] as const;
    const channel = childNamed(await expectWellFormed(renderRss(meta, [])), 'channel');
    expect(childrenNamed(channel, 'fh:archive')).toHaveLength(1);
    const rssRels = Object.fromEntries(childrenNamed(channel, 'atom:link').map((l) => [l.attrs['rel'], l.attrs['href']]));
    const atom = await expectWellFormed(renderAtom(meta, []));
    expect(childrenNamed(atom, 'fh:archive')).toHaveLength(1);
    expect(childNamed(atom, 'id').text).toBe(urls(page).atom);
    const atomRels = Object.fromEntries(childrenNamed(atom, 'link').map((l) => [l.attrs['rel'], l.attrs['href']]));
    for (const [rel, target] of expected) {
      expect(rssRels[rel]).toBe(target?.rss);
      expect(atomRels[rel]).toBe(target?.atom);
    }
    expect(JSON.parse(renderJsonFeed(meta, [])).next_url).toBe(prev ? urls(prev).json : undefined);
  });
});

describe('JSON Feed items', () => {
  it('carry authors, language, both dates, image, tags and _byline', () => {
    const article = makeArticle({
      updated: '2024-03-06T01:00:00+01:00',
      image: { url: 'https://cdn.example/a.png', type: null, length: null },
      categories: ['AI', 'Chips'],
      authors: [],
    });
    const [item] = JSON.parse(renderJsonFeed(makeMeta({ language: 'zh-CN' }), [article])).items;
    expect(item).toMatchObject({
      authors: [{ name: 'GogoAI News' }],
      language: 'zh-CN',
      date_published: '2024-03-05T10:00:00Z',
      date_modified: '2024-03-06T00:00:00Z',
      image: 'https://cdn.example/a.png',
      tags: ['AI', 'Chips'],
      _byline: { source: { name: 'GogoAI News' }, credit: 'Please credit GogoAI when republishing.' },
    });
    expect(JSON.parse(renderJsonFeed(makeMeta({ language: null }), [article])).items[0]).not.toHaveProperty('language');
  });
});

describe('renderAlertsAtom', () => {
  it('writes one entry per alert with a stable tag: id, the source name and the error', async () => {
    const meta = { title: 'Byline', homeUrl: 'https://byline.example/', selfUrl: 'https://byline.example/alerts.xml', sourcesUrl: 'https://byline.example/sources.html', sourceNames: { lab: 'Frontier Lab' }, updated: '2026-01-01T00:00:00Z' };
    const alert = { id: 'lab:failing:2026-11-25T10:00:00.000Z', sourceId: 'lab', kind: 'failing' as const, at: '2026-11-25T10:00:00.000Z', message: 'Frontier Lab started failing: HTTP 500.', error: { code: 'http_status', message: 'HTTP 500 from lab.example' } };
    const xml = renderAlertsAtom(meta, [alert]);
    expect(renderAlertsAtom(meta, [alert])).toBe(xml);
    const feed = await expectWellFormed(xml);
    expect(childNamed(feed, 'updated').text).toBe('2026-11-25T10:00:00Z');
    const entry = childNamed(feed, 'entry');
    expect(childNamed(entry, 'id').text).toBe('tag:byline.example,2026-11-25:alerts/lab%3Afailing%3A2026-11-25T10%3A00%3A00.000Z');
    expect(childNamed(entry, 'title').text).toBe('Frontier Lab is failing');
    expect(childNamed(entry, 'content').text).toBe('Frontier Lab started failing: HTTP 500.\nhttp_status: HTTP 500 from lab.example');
    expect(childNamed(entry, 'link').attrs['href']).toBe('https://byline.example/sources.html#source-lab');
  });
});

describe('FEED_XSL', () => {
  it('is a well-formed XSLT 1.0 stylesheet that never disables output escaping', async () => {
    const root = await expectWellFormed(FEED_XSL);
    expect(root.name).toBe('xsl:stylesheet');
    expect(root.attrs['version']).toBe('1.0');
    expect(FEED_XSL).not.toContain('disable-output-escaping');
  });
});
