/**
 * Every renderer's output passes the feed rule checks (feed-rules-*.ts, which
 * follow the W3C feed validator): the mixed fixture set with hostile text,
 * Chinese, `]]>`, via chains and images, in every profile and with every
 * optional part switched on: hub, stylesheet, archive links, no language.
 */
import { describe, expect, it } from 'vitest';
import { renderAlertsAtom, renderAtom, renderIndexHtml, renderJsonFeed, renderOpml, renderRss, type FeedMeta } from '../../src/render/index.js';
import { checkAtom } from './feed-rules-atom.js';
import { checkJsonFeed } from './feed-rules-json.js';
import { checkRss } from './feed-rules-rss.js';
import { makeArticle, makeArticleSet, makeMeta } from './fixtures.js';
import { childrenNamed, expectWellFormed } from './xml-support.js';

const archiveUrls = (page: number) => ({
  rss: `https://byline.example/archive/${page}.xml`,
  atom: `https://byline.example/archive/${page}.atom`,
  json: `https://byline.example/archive/${page}.json`,
});

const variants: Array<{ name: string; meta: () => FeedMeta }> = [
  { name: 'plain', meta: () => makeMeta() },
  { name: 'no language', meta: () => makeMeta({ language: null }) },
  { name: 'hub and stylesheet', meta: () => makeMeta({ hubUrl: 'https://hub.example/', stylesheetUrl: '/feed.xsl' }) },
  {
    name: 'subscription feed with an archive',
    meta: () => makeMeta({ paging: { archive: false, current: null, prevArchive: archiveUrls(3), nextArchive: null } }),
  },
  {
    name: 'middle archive page',
    meta: () =>
      makeMeta({
        selfUrls: { ...makeMeta().selfUrls, ...archiveUrls(2) },
        paging: {
          archive: true,
          current: { rss: 'https://byline.example/feed.xml', atom: 'https://byline.example/atom.xml', json: 'https://byline.example/feed.json' },
          prevArchive: archiveUrls(1),
          nextArchive: archiveUrls(3),
        },
      }),
  },
];

const hostileExtras = () => [
  makeArticle({ id: 'ctrl', title: 'Bell\u0007 and \uFFFF', summary: 'NUL\u0000', contentHtml: '<p>x]]>y</p>' }),
  makeArticle({ id: 'noimg-type', image: { url: 'https://cdn.example/x', type: 'not a type', length: 1234 } }),
  makeArticle({ id: 'updated', updated: '2024-03-06T08:00:00+08:00', categories: ['', 'AI'] }),
  makeArticle({
    id: 'episode',
    image: { url: 'https://cdn.example/cover.jpg', type: null, length: null },
    enclosure: { url: 'https://cdn.example/ep.mp3?a=1&b=2', type: 'audio/mpeg', length: 123 },
  }),
  makeArticle({ id: 'video', enclosure: { url: 'https://cdn.example/v', type: 'not a type', length: null } }),
];

describe.each(variants)('rule checks on the $name render', ({ meta }) => {
  const articles = () => [...makeArticleSet(), ...hostileExtras()];

  it('RSS passes', () => {
    const m = meta();
    expect(checkRss(renderRss(m, articles()), { selfUrl: m.selfUrls.rss })).toEqual([]);
  });

  it('the newsletter profile passes', () => {
    const m = { ...meta(), selfUrls: { ...meta().selfUrls, rss: 'https://byline.example/newsletter.xml' } };
    expect(checkRss(renderRss(m, articles(), 'newsletter'), { selfUrl: 'https://byline.example/newsletter.xml' })).toEqual([]);
  });

  it('Atom passes', () => {
    const m = meta();
    expect(checkAtom(renderAtom(m, articles()), { selfUrl: m.selfUrls.atom })).toEqual([]);
  });

  it('JSON Feed passes', () => {
    const m = meta();
    expect(checkJsonFeed(renderJsonFeed(m, articles()), { selfUrl: m.selfUrls.json })).toEqual([]);
  });

  it('an empty feed passes in every format', () => {
    const m = meta();
    expect(checkRss(renderRss(m, []), { selfUrl: m.selfUrls.rss })).toEqual([]);
    expect(checkAtom(renderAtom(m, []), { selfUrl: m.selfUrls.atom })).toEqual([]);
    expect(checkJsonFeed(renderJsonFeed(m, []), { selfUrl: m.selfUrls.json })).toEqual([]);
  });
});

describe('categories and authors made only of characters XML forbids', () => {
  const article = () => makeArticle({ categories: ['\u0000', ' \uFFFE ', 'AI'], authors: ['\u0007', 'Bob'] });

  it('are left out in every format, not written empty', async () => {
    const rss = childrenNamed(childrenNamed(await expectWellFormed(renderRss(makeMeta(), [article()])), 'channel')[0]!, 'item')[0]!;
    expect(childrenNamed(rss, 'category').map((c) => c.text)).toEqual(['AI']);
    expect(childrenNamed(rss, 'dc:creator').map((c) => c.text)).toEqual(['Bob']);
    const atom = childrenNamed(await expectWellFormed(renderAtom(makeMeta(), [article()])), 'entry')[0]!;
    expect(childrenNamed(atom, 'category').map((c) => c.attrs['term'])).toEqual(['AI']);
    expect(childrenNamed(atom, 'author').map((a) => childrenNamed(a, 'name')[0]!.text)).toEqual(['Bob']);
    const [item] = (JSON.parse(renderJsonFeed(makeMeta(), [article()])) as { items: Array<{ tags: string[]; authors: Array<{ name: string }> }> }).items;
    expect(item!.tags).toEqual(['AI']);
    expect(item!.authors).toEqual([{ name: 'Bob' }]);
  });
});

describe('a source read from a file', () => {
  const path = 'file:///srv/byline/feeds/local.xml';
  // The OPML leaves such sources out; the feeds must not publish the path either.
  const articles = () => [
    makeArticle({ id: 'site', credit: { feedUrl: path, sourceSite: 'https://local.example/' } }),
    // No link of its own, and neither the feed nor the config names a site: normalizing falls back to the file's URL.
    makeArticle({ id: 'bare', url: path, credit: { feedUrl: path, sourceSite: null, originalUrl: path } }),
  ];

  it('publishes no file: URL in any format, and every format still passes', () => {
    const m = makeMeta();
    const outputs = [
      renderRss(m, articles()),
      renderRss(m, articles(), 'newsletter'),
      renderAtom(m, articles()),
      renderJsonFeed(m, articles()),
      renderIndexHtml(m, articles(), []),
    ];
    for (const output of outputs) expect(output).not.toContain('file:');
    expect(checkRss(outputs[0]!, { selfUrl: m.selfUrls.rss })).toEqual([]);
    expect(checkAtom(outputs[2]!, { selfUrl: m.selfUrls.atom })).toEqual([]);
    expect(checkJsonFeed(outputs[3]!, { selfUrl: m.selfUrls.json })).toEqual([]);
  });

  it('keeps the source named: RSS <source> points to the site, and every footer names it', async () => {
    const channel = childrenNamed(await expectWellFormed(renderRss(makeMeta(), articles())), 'channel')[0]!;
    const [withSite, bare] = childrenNamed(channel, 'item');
    expect(childrenNamed(withSite!, 'source').map((s) => [s.attrs['url'], s.text])).toEqual([['https://local.example/', 'GogoAI News']]);
    expect(childrenNamed(bare!, 'source')).toEqual([]);
    expect(childrenNamed(bare!, 'link')).toEqual([]);
    for (const item of [withSite!, bare!]) expect(childrenNamed(item, 'content:encoded')[0]!.text).toContain('Source: GogoAI News');
    const json = JSON.parse(renderJsonFeed(makeMeta(), articles())) as { items: Array<{ url?: string; _byline: { source: { feed_url: string | null } } }> };
    expect(json.items.map((item) => [item.url ?? null, item._byline.source.feed_url])).toEqual([
      ['https://www.gogoai.xin/news/site.html', null],
      [null, null],
    ]);
  });
});

describe('rule checks catch what a broken renderer would write', () => {
  // The checks must be able to fail on our own kind of output, or a clean result means nothing.
  const xml = () => renderRss(makeMeta(), makeArticleSet());
  it.each([
    { name: 'a wrong self link', edit: (s: string) => s.replace('href="https://byline.example/feed.xml"', 'href="https://elsewhere.example/feed.xml"'), words: /not the served URL/ },
    { name: 'an undeclared prefix', edit: (s: string) => s.replace(/ xmlns:dc="[^"]+"/, ''), words: /not well-formed/ },
    { name: 'a local-time date', edit: (s: string) => s.replace(/<pubDate>[^<]+/, '<pubDate>2024-03-05 10:00'), words: /RFC 822/ },
    { name: 'a permalink tag: guid', edit: (s: string) => s.replace('isPermaLink="false"', 'isPermaLink="true"'), words: /permalink but not an http URL/ },
    { name: 'a broken CDATA end', edit: (s: string) => s.replace(']]]]><![CDATA[>', ']]>'), words: /not well-formed|outside a CDATA/ },
    { name: 'an element out of place', edit: (s: string) => s.replace('<item>', '<item>\n<media:group/>'), words: /not allowed/ },
    { name: 'an invalid language', edit: (s: string) => s.replace('<language>zh-CN</language>', '<language>xx-YY</language>'), words: /language/ },
  ])('$name', ({ edit, words }) => {
    const broken = edit(xml());
    expect(broken).not.toBe(xml());
    expect(checkRss(broken, { selfUrl: 'https://byline.example/feed.xml' }).some((line) => words.test(line))).toBe(true);
  });
});

describe('the other XML outputs', () => {
  it('the alerts feed passes the Atom checks', () => {
    const alerts = [
      { id: 'lab:failing:2026-11-25T10:00:00.000Z', sourceId: 'lab', kind: 'failing' as const, at: '2026-11-25T10:00:00.000Z', message: 'Lab started failing: HTTP 500.', error: { code: 'http_status', message: 'HTTP 500' } },
      { id: 'x y:moved:2026-11-24T10:00:00.000Z', sourceId: 'x y', kind: 'moved' as const, at: '2026-11-24T10:00:00.000Z', message: 'Moved <b>', error: null },
    ];
    const meta = { title: 'Byline', homeUrl: 'https://byline.example/', selfUrl: 'https://byline.example/alerts.xml', sourcesUrl: 'https://byline.example/sources.html', sourceNames: { lab: 'Frontier Lab' }, updated: '2026-11-25T00:00:00Z', generator: 'byline' };
    expect(checkAtom(renderAlertsAtom(meta, alerts), { selfUrl: 'https://byline.example/alerts.xml' })).toEqual([]);
    expect(checkAtom(renderAlertsAtom(meta, []), { selfUrl: 'https://byline.example/alerts.xml' })).toEqual([]);
  });

  it('OPML is well-formed and lists web feeds only', async () => {
    const opml = await expectWellFormed(
      renderOpml('Byline & co', [
        { id: 'a', name: 'A <Lab>', url: 'https://a.example/feed', site: 'https://a.example/' },
        { id: 'b', name: 'Local', url: 'file:///srv/feeds/b.xml', site: undefined },
      ]),
    );
    const body = childrenNamed(opml, 'body')[0]!;
    expect(childrenNamed(body, 'outline').map((o) => o.attrs)).toEqual([
      { type: 'rss', text: 'A <Lab>', title: 'A <Lab>', xmlUrl: 'https://a.example/feed', htmlUrl: 'https://a.example/' },
    ]);
  });
});
