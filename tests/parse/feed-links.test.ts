/**
 * The feeds an HTML page links to (RSS autodiscovery), which the error for
 * a site's page configured as a feed names; and that error itself.
 */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { parseFeedText } from '../../src/parse/index.js';
import { advertisedFeeds } from '../../src/parse/feed-links.js';

const page = (head: string, body = '<p>Hello</p>'): string => `<!DOCTYPE html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

describe('advertisedFeeds', () => {
  it('reads RSS, Atom and JSON Feed links from the head, resolved against the page address', () => {
    const html = page(
      '<link rel="alternate" type="application/rss+xml" title="Posts" href="/feed.xml">' +
        '<link rel="alternate" type="application/atom+xml" href="atom.xml">' +
        '<link rel="alternate" type="application/feed+json" href="https://cdn.example/feed.json">',
    );
    expect(advertisedFeeds(html, 'https://lab.example/blog/')).toEqual([
      { url: 'https://lab.example/feed.xml', format: 'RSS' },
      { url: 'https://lab.example/blog/atom.xml', format: 'Atom' },
      { url: 'https://cdn.example/feed.json', format: 'JSON Feed' },
    ]);
  });

  it('reads the attributes however they are written', () => {
    const html = page(
      "<LINK REL='Alternate Home' TYPE='Application/RSS+XML; charset=utf-8' HREF='/a?x=1&amp;y=2&#38;z=3'>" +
        '<link href=/b.xml type=application/atom+xml rel=alternate>' +
        '<link rel="alternate" type="application/rss+xml" href="/c.xml?q=&eacute;&bogus;"/>',
    );
    expect(advertisedFeeds(html, 'https://lab.example/').map((feed) => feed.url)).toEqual([
      'https://lab.example/a?x=1&y=2&z=3',
      'https://lab.example/b.xml',
      // URL encoding of the é; the unknown reference stays as written (and the URL parser encodes its &).
      'https://lab.example/c.xml?q=%C3%A9&bogus;',
    ]);
  });

  it('skips what is not a feed link, and repeats', () => {
    const html = page(
      '<link rel="stylesheet" type="text/css" href="/s.css">' +
        // WordPress links every page to its REST API form this way: JSON, but not a feed.
        '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">' +
        '<link rel="alternate" hreflang="de" href="/de/">' +
        '<link type="application/rss+xml" href="/no-rel.xml">' +
        '<link rel="alternate" type="application/rss+xml">' +
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">' +
        '<link rel="alternate" type="application/rss+xml" href="https://lab.example/feed.xml">',
    );
    expect(advertisedFeeds(html, 'https://lab.example/')).toEqual([{ url: 'https://lab.example/feed.xml', format: 'RSS' }]);
  });

  it('reads the head only, and names three feeds at most', () => {
    const links = [1, 2, 3, 4].map((n) => `<link rel="alternate" type="application/rss+xml" href="/${n}.xml">`).join('');
    expect(advertisedFeeds(page(links), 'https://lab.example/').map((feed) => feed.url)).toEqual([
      'https://lab.example/1.xml',
      'https://lab.example/2.xml',
      'https://lab.example/3.xml',
    ]);
    expect(advertisedFeeds(page('', '<link rel="alternate" type="application/rss+xml" href="/late.xml">'), null)).toEqual([]);
    // A page that never closes its head is read until its body starts.
    expect(advertisedFeeds('<html><link rel="alternate" type="application/rss+xml" href="/a.xml"><body><link rel="alternate" type="application/rss+xml" href="/b.xml">', null)).toEqual([
      { url: '/a.xml', format: 'RSS' },
    ]);
  });

  it('names no credentials, neither the page address\'s nor a link\'s own', () => {
    const html = page(
      '<link rel="alternate" type="application/rss+xml" href="feed.xml">' +
        '<link rel="alternate" type="application/atom+xml" href="https://someone:pw@cdn.example/atom.xml">',
    );
    expect(advertisedFeeds(html, 'https://reader:s3cret@lab.example/blog/')).toEqual([
      { url: 'https://lab.example/blog/feed.xml', format: 'RSS' },
      { url: 'https://cdn.example/atom.xml', format: 'Atom' },
    ]);
  });

  it('names nothing a hostile page could use against whoever reads the error', () => {
    const links = [
      'javascript:alert(1)',
      'data:application/rss+xml,x',
      `/${'a'.repeat(3000)}.xml`,
      '/esc\u001b[2J.xml',
      '/ok.xml',
    ].map((href) => `<link rel="alternate" type="application/rss+xml" href="${href}">`);
    // Resolved, a control character is percent-encoded; scripts, data and overlong links are dropped.
    expect(advertisedFeeds(page(links.join('')), 'https://lab.example/').map((feed) => feed.url)).toEqual([
      'https://lab.example/esc%1B[2J.xml',
      'https://lab.example/ok.xml',
    ]);
    // Unresolved, a link with a control character is dropped too, and so are absolute links that are not http(s).
    expect(advertisedFeeds(page(links.join('')), null).map((feed) => feed.url)).toEqual(['/ok.xml']);
  });

  it('leaves the links as written without an absolute page address', () => {
    expect(advertisedFeeds(page('<link rel="alternate" type="application/rss+xml" href="feed.xml">'), null)).toEqual([{ url: 'feed.xml', format: 'RSS' }]);
  });
});

describe('an HTML page where a feed was expected', () => {
  async function failure(text: string, url?: string): Promise<ParseError> {
    const error = await parseFeedText(text, { contentType: 'text/html', ...(url ? { url } : {}) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }

  it('is not_a_feed, and the message names the feeds it links to', async () => {
    const html = page('<link rel="alternate" type="application/rss+xml" href="/feed/"><link rel="alternate" type="application/atom+xml" href="/atom/">');
    const error = await failure(html, 'https://lab.example/news');
    expect(error.code).toBe('not_a_feed');
    expect(error.message).toBe('rss: unable to parse feed: the document is an HTML page; it links to the feeds https://lab.example/feed/ (RSS), https://lab.example/atom/ (Atom)');
  });

  it('says only what it is when the page links to no feed', async () => {
    expect((await failure(page(''), 'https://lab.example/')).message).toBe('rss: unable to parse feed: the document is an HTML page');
  });
});
