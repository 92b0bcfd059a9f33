/**
 * The index page: river of news with credit on every item, source health,
 * feed discovery links, phone-friendly head, no script, everything escaped.
 */
import { DomUtils } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { renderIndexHtml, type SourceRow } from '../../src/render/index.js';
import { expectedDefaultFooterLines, makeArticle, makeArticleSet, makeMeta } from './fixtures.js';
import { creditLines, findElements, parseHtml } from './html-support.js';

function makeSources(): SourceRow[] {
  return [
    { id: 'gogoai', name: 'GogoAI News', site: 'https://www.gogoai.xin/', status: 'ok', lastError: null, items: 12, lastSuccessAt: '2024-03-05T09:00:00Z' },
    {
      id: 'broken',
      name: 'Broken <Feed>',
      site: 'javascript:alert(1)',
      status: 'failing',
      lastError: { code: 'timeout', message: 'no answer in 30 s <script>alert(1)</script>', at: '2024-03-05T08:00:00Z' },
      items: 0,
      lastSuccessAt: null,
    },
  ];
}

const attr = (node: Parameters<typeof DomUtils.getAttributeValue>[0], name: string): string | undefined =>
  DomUtils.getAttributeValue(node, name);

describe('renderIndexHtml', () => {
  it('has a phone-friendly head with feed discovery links and no script', () => {
    const html = renderIndexHtml(makeMeta(), makeArticleSet(), makeSources());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const metas = findElements(html, 'meta');
    expect(metas.some((m) => attr(m, 'name') === 'viewport' && attr(m, 'content')?.includes('width=device-width'))).toBe(true);
    expect(metas.some((m) => attr(m, 'charset') === 'utf-8')).toBe(true);
    const alternates = findElements(html, 'link').filter((l) => attr(l, 'rel') === 'alternate');
    expect(alternates.map((l) => [attr(l, 'type'), attr(l, 'href')])).toEqual([
      ['application/rss+xml', 'https://byline.example/feed.xml'],
      ['application/atom+xml', 'https://byline.example/atom.xml'],
      ['application/feed+json', 'https://byline.example/feed.json'],
    ]);
    expect(findElements(html, 'script')).toHaveLength(0);
    expect(findElements(html, 'html')[0]?.attribs['lang']).toBe('zh-CN');
    const bodyLinks = findElements(html, 'a').map((a) => attr(a, 'href'));
    expect(bodyLinks).toEqual(expect.arrayContaining(['https://byline.example/feed.xml', 'https://byline.example/atom.xml', 'https://byline.example/feed.json']));
  });

  it('lists every article in the given order with title link, source, time, summary and credit', () => {
    const articles = makeArticleSet();
    const html = renderIndexHtml(makeMeta(), articles, []);
    const items = findElements(html, 'article');
    expect(items).toHaveLength(articles.length);
    items.forEach((item, index) => {
      const article = articles[index]!;
      const heading = DomUtils.findOne((n) => n.name === 'h2', item.children);
      const titleLink = heading && DomUtils.findOne((n) => n.name === 'a', heading.children);
      expect(titleLink && DomUtils.textContent(titleLink)).toBe(article.title);
      expect(titleLink && attr(titleLink, 'href')).toBe(article.url);
      const time = DomUtils.findOne((n) => n.name === 'time', item.children);
      expect(time && attr(time, 'datetime')).toBe('2024-03-05T10:00:00Z');
      const text = DomUtils.textContent(item);
      expect(text).toContain(article.credit.sourceName);
      if (article.summary) expect(text).toContain(article.summary);
      expect(creditLines(DomUtils.getOuterHTML(item))).toEqual(expectedDefaultFooterLines(article));
    });
  });

  it('escapes hostile titles and source health text instead of emitting markup', () => {
    const html = renderIndexHtml(makeMeta(), makeArticleSet(), makeSources());
    expect(findElements(html, 'script')).toHaveLength(0);
    expect(findElements(html, 'b')).toHaveLength(0);
    expect(findElements(html, 'a').some((a) => attr(a, 'href')?.startsWith('javascript:'))).toBe(false);
    expect(DomUtils.textContent(parseHtml(html))).toContain('</title><script>alert("x")</script> & <b>bold</b>');
  });

  it('shows each source with its status, item count, last success and last error', () => {
    const html = renderIndexHtml(makeMeta(), [], makeSources());
    const rows = findElements(html, 'li');
    expect(rows).toHaveLength(2);
    const [ok, broken] = rows.map((row) => DomUtils.textContent(row));
    expect(ok).toContain('GogoAI News');
    expect(ok).toContain('ok');
    expect(ok).toContain('12 items');
    expect(ok).toContain('2024-03-05 09:00 UTC');
    expect(broken).toContain('Broken <Feed>');
    expect(broken).toContain('failing');
    expect(broken).toContain('0 items');
    expect(broken).toContain('timeout');
    expect(broken).toContain('no answer in 30 s <script>alert(1)</script>');
    expect(html).toContain('No articles yet.');
  });

  it('shows a last error whose time is unknown', () => {
    const row: SourceRow = { ...makeSources()[1]!, lastError: { code: 'dns', message: 'no such host' } };
    const [item] = findElements(renderIndexHtml(makeMeta(), [], [row]), 'li');
    expect(item && DomUtils.textContent(item)).toContain('last error: dns no such host');
  });

  it('rejects a malformed source row at the boundary', () => {
    const bad = { ...makeSources()[0]!, status: 'sleeping' } as unknown as SourceRow;
    expect(() => renderIndexHtml(makeMeta(), [], [bad])).toThrow();
  });

  it('shows the title link even for an article without a title', () => {
    const html = renderIndexHtml(makeMeta(), [makeArticle({ title: '' })], []);
    const [heading] = findElements(html, 'h2');
    expect(heading && DomUtils.textContent(heading)).toBe('https://www.gogoai.xin/news/a1.html');
  });

  it('links each episode\'s audio or video file so a reader can play or download it, without script', () => {
    const articles = [
      makeArticle({ id: 'ep', title: 'Episode 42', enclosure: { url: 'https://pod.example/ep42.mp3?a=1&b="2"', type: 'audio/mpeg', length: 24_300_000 } }),
      makeArticle({ id: 'talk', title: 'A talk', enclosure: { url: 'https://pod.example/talk.mp4', type: 'video/mp4', length: null } }),
      makeArticle({ id: 'small', enclosure: { url: 'https://pod.example/clip.m4a', type: 'audio/x-m4a', length: 2_450_000 } }),
      makeArticle({ id: 'bad', enclosure: { url: 'javascript:alert(1)//.mp3', type: 'audio/mpeg', length: 1 } }),
      makeArticle({ id: 'post' }),
    ];
    const html = renderIndexHtml(makeMeta(), articles, []);
    expect(findElements(html, 'script')).toHaveLength(0);
    const files = findElements(html, 'article').map((item) =>
      DomUtils.findAll((n) => n.name === 'a' && /^(Listen|Watch)\b/.test(DomUtils.textContent(n)), item.children).map((a) => [
        attr(a, 'href'),
        attr(a, 'type'),
        DomUtils.textContent(a),
      ]),
    );
    expect(files).toEqual([
      [['https://pod.example/ep42.mp3?a=1&b="2"', 'audio/mpeg', 'Listen (MP3, 24 MB)']],
      [['https://pod.example/talk.mp4', 'video/mp4', 'Watch (MP4)']],
      [['https://pod.example/clip.m4a', 'audio/x-m4a', 'Listen (M4A, 2.5 MB)']],
      [],
      [],
    ]);
    expect(html).toContain('href="https://pod.example/ep42.mp3?a=1&amp;b=&quot;2&quot;"');
    expect(html).not.toContain('javascript:');
  });
});
