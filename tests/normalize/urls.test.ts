/** resolveUrl and canonicalizeUrl: relative forms, base chains, tracking parameters, rejected schemes. */
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, earlierCanonicalUrl, isTrackingParam, resolveUrl } from '../../src/normalize/index.js';

describe('resolveUrl', () => {
  it.each([
    ['https://example.com/a', null, 'https://example.com/a'],
    ['/a/b?c=1', 'https://example.com/x/y', 'https://example.com/a/b?c=1'],
    ['b', 'https://example.com/x/y', 'https://example.com/x/b'],
    ['b', 'https://example.com/x/', 'https://example.com/x/b'],
    ['../b', 'https://example.com/x/y/z', 'https://example.com/x/b'],
    ['?page=2', 'https://example.com/list?page=1', 'https://example.com/list?page=2'],
    ['#top', 'https://example.com/post', 'https://example.com/post#top'],
    ['//cdn.example.com/i.png', 'http://example.com/', 'http://cdn.example.com/i.png'],
    ['//cdn.example.com/i.png', null, 'https://cdn.example.com/i.png'],
    ['  https://example.com/a  ', null, 'https://example.com/a'],
    ['HTTPS://EXAMPLE.com:443/A', null, 'https://example.com/A'],
    ['http://example.com:80/', null, 'http://example.com/'],
    ['http://example.com:8080/', null, 'http://example.com:8080/'],
    ['https://例え.jp/パス', null, 'https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9'],
    ['a b', 'https://example.com/', 'https://example.com/a%20b'],
    ['https://example.com/a', 'not a base', 'https://example.com/a'],
    ['/a', 'file:///srv/feeds/x.xml', null],
  ] as const)('resolves %j against %j', (url, base, expected) => {
    expect(resolveUrl(url, base)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)', 'https://example.com/'],
    ['JaVaScRiPt:alert(1)', null],
    ['java\tscript:alert(1)', 'https://example.com/'],
    ['data:text/html;base64,PHNjcmlwdD4=', null],
    ['vbscript:msgbox(1)', null],
    ['mailto:a@example.com', null],
    ['ftp://example.com/file', null],
    ['file:///etc/passwd', null],
    ['relative/only', null],
    ['/rooted/only', null],
    ['', 'https://example.com/'],
    ['   ', 'https://example.com/'],
    ['http://', null],
    ['https://[not-an-ip/', null],
  ] as const)('rejects %j (base %j)', (url, base) => {
    expect(resolveUrl(url, base)).toBeNull();
  });

  it('follows an xml:base chain when each level is resolved against the one above', () => {
    const feedBase = resolveUrl('/blog/', 'https://example.com/feed.xml');
    const itemBase = resolveUrl('2026/', feedBase);
    expect(itemBase).toBe('https://example.com/blog/2026/');
    expect(resolveUrl('post.html', itemBase)).toBe('https://example.com/blog/2026/post.html');
    expect(resolveUrl('../about', itemBase)).toBe('https://example.com/blog/about');
  });
});

describe('canonicalizeUrl', () => {
  it.each([
    ['https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x', 'https://example.com/a'],
    ['https://example.com/a?id=7&utm_source=rss', 'https://example.com/a?id=7'],
    ['https://example.com/a?UTM_Source=rss&id=7', 'https://example.com/a?id=7'],
    ['https://example.com/a?fbclid=abc', 'https://example.com/a'],
    ['https://example.com/a?gclid=1&dclid=2&msclkid=3&yclid=4', 'https://example.com/a'],
    ['https://example.com/a?mc_cid=1&mc_eid=2', 'https://example.com/a'],
    ['https://example.com/a?igshid=1&_hsenc=2&_hsmi=3', 'https://example.com/a'],
    ['https://example.com/a?ref_src=twsrc%5Etfw', 'https://example.com/a'],
    ['https://example.com/a?p=1&q=a+b&r=%2F', 'https://example.com/a?p=1&q=a+b&r=%2F'],
    ['https://example.com/a?b=2&a=1', 'https://example.com/a?b=2&a=1'],
    ['https://example.com/a?flag', 'https://example.com/a?flag'],
    ['https://example.com/a?', 'https://example.com/a'],
    ['https://example.com/a#section-2', 'https://example.com/a#section-2'],
    ['https://example.com/a#', 'https://example.com/a'],
    ['https://example.com/a#xtor=RSS-8', 'https://example.com/a'],
    ['https://example.com/a?x=1#utm_source=feed&utm_medium=rss', 'https://example.com/a?x=1'],
    ['HTTP://WWW.Example.COM:80/Path', 'http://www.example.com/Path'],
    ['https://example.com:443/', 'https://example.com/'],
    ['https://example.com/a?utm_source=x#frag', 'https://example.com/a#frag'],
    // Query and fragment are only rewritten when something goes, but a bare `?` or `#` always goes.
    ['https://example.com/a?#', 'https://example.com/a'],
    ['https://example.com/a?x=1#', 'https://example.com/a?x=1'],
    ['https://example.com/a#?', 'https://example.com/a#?'],
    ['https://example.com/a?&&b=1&', 'https://example.com/a?b=1'],
    ['https://example.com/a?%75tm_source=1&b=2', 'https://example.com/a?b=2'],
    ['https://example.com/a?utm+source=1', 'https://example.com/a?utm+source=1'],
  ] as const)('canonicalizes %j', (url, expected) => {
    expect(canonicalizeUrl(url)).toBe(expected);
  });

  it('resolves against a base first', () => {
    expect(canonicalizeUrl('/p/1?utm_source=rss', 'https://Example.com/feed')).toBe('https://example.com/p/1');
  });

  it('rejects what resolveUrl rejects', () => {
    expect(canonicalizeUrl('javascript:alert(1)', 'https://example.com/')).toBeNull();
    expect(canonicalizeUrl('relative')).toBeNull();
  });

  it('is idempotent', () => {
    const once = canonicalizeUrl('HTTPS://Example.com:443/a?utm_medium=x&id=1#xtor=RSS-1');
    expect(once).toBe('https://example.com/a?id=1');
    expect(canonicalizeUrl(once ?? '')).toBe(once);
  });
});

describe('isTrackingParam', () => {
  it.each(['utm_source', 'utm_anything', 'fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', 'igshid', '_hsenc', '_hsmi', 'yclid', 'ref_src', 'wt_mc', 'WT_ZMC'])(
    '%s is tracking',
    (name) => expect(isTrackingParam(name)).toBe(true),
  );
  it.each(['id', 'p', 'page', 'q', 'ref', 'source', 'utm'])('%s is not', (name) => expect(isTrackingParam(name)).toBe(false));
});

describe('earlierCanonicalUrl', () => {
  const heise = 'https://www.heise.de/news/Ein-Beitrag-1234.html?wt_mc=rss.ho.beitrag.rdf';

  it('drops a tracking parameter added since ids were first minted (Webtrekk, as heise uses it)', () => {
    expect(canonicalizeUrl(heise)).toBe('https://www.heise.de/news/Ein-Beitrag-1234.html');
    expect(canonicalizeUrl('https://example.com/a?id=1&wt_zmc=x.y#top')).toBe('https://example.com/a?id=1#top');
  });

  it('gives the form such a link had before, for the article stored under it', () => {
    expect(earlierCanonicalUrl(heise)).toBe(heise);
    expect(earlierCanonicalUrl('/news/a.html?utm_source=rss&wt_mc=x', 'https://www.heise.de/')).toBe('https://www.heise.de/news/a.html?wt_mc=x');
    expect(earlierCanonicalUrl('https://example.com/a?WT%5Fmc=x')).toBe('https://example.com/a?WT%5Fmc=x');
  });

  it('is null for every link whose canonical form did not change', () => {
    expect(earlierCanonicalUrl('https://example.com/a?utm_source=rss')).toBeNull();
    expect(earlierCanonicalUrl('https://example.com/wt_mc/a')).toBeNull();
    expect(earlierCanonicalUrl('mailto:wt_mc=x@example.com')).toBeNull();
  });
});
