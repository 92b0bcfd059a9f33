/**
 * xml:base from the document to the published article: relative URLs in an
 * RSS item's HTML resolve against the base in force where the HTML is written
 * (`<description xml:base>`, `<content:encoded xml:base>`), and a relative
 * base is relative to the base above it, and finally to the document's URL,
 * applied once.
 */
import { describe, expect, it } from 'vitest';
import { normalizeFeed } from '../../src/normalize/index.js';
import { parseFeedText } from '../../src/parse/index.js';
import { resolveXmlBase } from '../../src/parse/xml-base.js';
import { makeContext, makeSource } from './fixtures.js';

const FEED_URL = 'https://feeds.example/x/feed.xml';
const HTML = '<![CDATA[<p><a href="post">post</a> <img src="img.png"></p>]]>';

async function published(xml: string): Promise<{ url: string; html: string; enclosure: string | null }> {
  const raw = await parseFeedText(xml, { url: FEED_URL });
  const [candidate] = normalizeFeed(raw, makeContext({ source: makeSource({ url: FEED_URL }), feedUrl: FEED_URL }));
  const article = candidate!.article;
  return { url: article.url, html: article.contentHtml, enclosure: article.enclosure?.url ?? null };
}

function rss(channelAttrs: string, itemAttrs: string, inner: string, rootAttrs = ''): string {
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"${rootAttrs}>
<channel${channelAttrs}><title>T</title><link>https://site.example/</link>
<item${itemAttrs}><title>I</title><link>i</link><guid isPermaLink="false">g1</guid>${inner}</item></channel></rss>`;
}

describe('xml:base in RSS item HTML', () => {
  it('resolves the description against its own absolute xml:base', async () => {
    const out = await published(rss('', '', `<description xml:base="https://example.org/blog/">${HTML}</description>`));
    expect(out.html).toBe('<p><a href="https://example.org/blog/post">post</a> <img src="https://example.org/blog/img.png" /></p>');
    expect(out.url).toBe('https://site.example/i');
  });

  it("resolves content:encoded against its xml:base joined to the item's and the channel's", async () => {
    const out = await published(
      rss(' xml:base="https://outer.example/a/"', ' xml:base="b/"', `<description>Short.</description><content:encoded xml:base="c/">${HTML}</content:encoded>`),
    );
    expect(out.html).toBe('<p><a href="https://outer.example/a/b/c/post">post</a> <img src="https://outer.example/a/b/c/img.png" /></p>');
    expect(out.url).toBe('https://outer.example/a/b/i');
  });

  it("resolves a relative description base against the document's URL", async () => {
    const out = await published(rss('', '', `<description xml:base="../blog/">${HTML}</description>`));
    expect(out.html).toBe('<p><a href="https://feeds.example/blog/post">post</a> <img src="https://feeds.example/blog/img.png" /></p>');
  });

  it("keeps the item's base for its enclosure when the description sets its own", async () => {
    const out = await published(
      rss('', ' xml:base="https://item.example/media/"', `<description xml:base="https://example.org/blog/">${HTML}</description><enclosure url="ep.mp3" type="audio/mpeg" length="1"/>`),
    );
    expect(out.enclosure).toBe('https://item.example/media/ep.mp3');
    expect(out.html).toContain('href="https://example.org/blog/post"');
  });

  it('applies a relative root or channel base once, below the document directory', async () => {
    const root = await published(rss('', '', `<description>${HTML}</description>`, ' xml:base="a/"'));
    expect(root.url).toBe('https://feeds.example/x/a/i');
    expect(root.html).toContain('href="https://feeds.example/x/a/post"');
    const nested = await published(rss(' xml:base="a/"', ' xml:base="../b/"', `<description xml:base="c/">${HTML}</description>`));
    expect(nested.url).toBe('https://feeds.example/x/b/i');
    expect(nested.html).toContain('href="https://feeds.example/x/b/c/post"');
  });

  it('applies a relative Atom feed and entry base once', async () => {
    const raw = await parseFeedText(
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="a/"><title>T</title><id>f</id>
<entry xml:base="b/"><title>I</title><id>e</id><link href="i"/><updated>2024-01-01T00:00:00Z</updated>
<content type="html" xml:base="c/">&lt;a href="post"&gt;post&lt;/a&gt;</content></entry></feed>`,
      { url: FEED_URL },
    );
    const [candidate] = normalizeFeed(raw, makeContext({ source: makeSource({ url: FEED_URL }), feedUrl: FEED_URL }));
    expect(candidate!.article.url).toBe('https://feeds.example/x/a/b/i');
    expect(candidate!.article.contentHtml).toBe('<a href="https://feeds.example/x/a/b/c/post">post</a>');
  });
});

describe('resolveXmlBase', () => {
  it.each([
    ['b/', 'a/', 'a/b/'],
    ['../c/', 'a/', 'c/'],
    ['../../c/', 'a/', '../c/'],
    ['b/', '../a/', '../a/b/'],
    ['/abs/', 'a/', '/abs/'],
    ['b/', '/a/', '/a/b/'],
    ['x/', '//cdn.example/p/', '//cdn.example/p/x/'],
    ['https://z.example/', 'a/', 'https://z.example/'],
    ['c/', 'https://h.example/a/b', 'https://h.example/a/c/'],
  ])('joins %j to the inherited %j as %j', (own, inherited, expected) => {
    expect(resolveXmlBase(own, inherited)).toBe(expected);
  });
});
