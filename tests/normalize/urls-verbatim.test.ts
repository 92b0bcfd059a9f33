/**
 * resolveUrl and canonicalizeUrl take most links as written, without the
 * WHATWG parser. These properties hold them to the parser: a URL whose scheme
 * is written in capitals never takes the shortcut (the parser lower-cases it),
 * so the same URL with and without capitals compares the two paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, resolveUrl } from '../../src/normalize/index.js';

const HOSTS = [
  'example.com', 'a.b-c.example', 'x', 'localhost', 'a1.b2', 'ex--ample.com', '-a.com', 'a-.com', '127.0.0.1', '1.2.3',
  'a.0x7f', 'a.123', 'xn--r8jz45g.jp', 'a.xn--p1ai', 'EXAMPLE.com', 'ex..com', 'a.com.', 'ex_ample.com', 'ex%41mple.com',
  'user@example.com', 'example.com:443', 'example.com:80', 'example.com:8080', 'example.com:', '[::1]', '例え.jp',
];
const SEGMENTS = [
  'a', 'post-1', '.', '..', '.well-known', '%2e', '%2E%2e', '.%2e', 'a b', 'é', 'x%20y', 'x%zz', '~u', "it's", '^', '`', '{', '}',
  '|', '[', ']', '\\', ';', ':', '@', "!$&()*+,=", '', '"', '<', '>', '\t', 'a\nb', 'index.html', '%', 'A_Z',
];
const QUERY_PARTS = [
  'id=7', 'utm_source=rss', 'UTM_Medium=feed', 'fbclid=abc', 'a=1', 'ref=feed', 'q=a b', "q='x'", 'q=é', 'x=/a?b', 'utm_', '',
  '=', '&', 'mc_cid=1', 'q=%41', 'a=1#b',
];
const FRAGMENT_PARTS = ['top', '', 'xtor=RSS-8', 'utm_source=x', 'a=1&utm_medium=y', '?utm_campaign=z', 'a b', '#', 'é', '`'];

const path = fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 4 }).map((segments) => segments.map((segment) => `/${segment}`).join(''));
const query = fc.option(
  fc.array(fc.constantFrom(...QUERY_PARTS), { maxLength: 3 }).map((parts) => `?${parts.join('&')}`),
  { nil: '' },
);
const fragment = fc.option(
  fc.array(fc.constantFrom(...FRAGMENT_PARTS), { maxLength: 2 }).map((parts) => `#${parts.join('&')}`),
  { nil: '' },
);
const tail = fc.tuple(path, query, fragment).map((parts) => parts.join(''));
const absolute = fc
  .tuple(fc.constantFrom('http', 'https'), fc.constantFrom(...HOSTS), tail)
  .map(([scheme, host, rest]) => `${scheme}://${host}${rest}`);
/** A link as feeds write them: absolute, root-relative, protocol-relative, relative, or padded with spaces. */
const link = fc.oneof(
  absolute,
  tail.map((rest) => (rest.startsWith('/') ? rest : `/${rest}`)),
  fc.tuple(fc.constantFrom(...HOSTS), tail).map(([host, rest]) => `//${host}${rest}`),
  tail.map((rest) => rest.slice(1)),
  absolute.map((url) => ` ${url}\n`),
);
const base = fc.option(absolute, { nil: null });

/** The same URL with its scheme in capitals: resolved only by the parser. */
function shouted(url: string | null): string | null {
  return url === null ? null : url.replace(/^(\s*)(https?):/, (_, space: string, scheme: string) => `${space}${scheme.toUpperCase()}:`);
}

describe('links taken as written', () => {
  it('resolve exactly as the WHATWG parser resolves them', () => {
    fc.assert(
      fc.property(link, base, (url, against) => {
        expect(resolveUrl(url, against)).toBe(resolveUrl(shouted(url)!, shouted(against)));
      }),
      { numRuns: 5000 },
    );
  });

  it('canonicalize exactly as through the parser', () => {
    fc.assert(
      fc.property(link, base, (url, against) => {
        expect(canonicalizeUrl(url, against)).toBe(canonicalizeUrl(shouted(url)!, shouted(against)));
      }),
      { numRuns: 5000 },
    );
  });

  it('are the ones the parser writes back unchanged', () => {
    let unchanged = 0;
    fc.assert(
      fc.property(absolute, (url) => {
        if (resolveUrl(url) !== url) return;
        unchanged++;
        expect(new URL(url).href).toBe(url);
      }),
      { numRuns: 5000 },
    );
    // The generated links include plenty the shortcut takes, so the property is not met by none at all.
    expect(unchanged).toBeGreaterThan(100);
  });

  it.each([
    ['https://example.com/a/b?c=1#d', null, 'https://example.com/a/b?c=1#d'],
    ['/research/x-1?utm_source=rss&ref=feed', 'https://lab.example/blog/post', 'https://lab.example/research/x-1?utm_source=rss&ref=feed'],
    ['/a', 'https://example.com:8443/x', 'https://example.com:8443/a'],
    ['/a/./b', 'https://example.com/', 'https://example.com/a/b'],
    ['https://example.com/%2e%2E/a', null, 'https://example.com/a'],
    ['https://a.123/', null, null],
    ['https://a.xn--p1ai/x', null, 'https://a.xn--p1ai/x'],
  ] as const)('resolves %j against %j like the parser', (url, against, expected) => {
    expect(resolveUrl(url, against)).toBe(expected);
  });

  it('drops tracking from a link taken as written', () => {
    expect(canonicalizeUrl('/posts/1-x?utm_source=rss&utm_medium=feed', 'https://lab.example/')).toBe('https://lab.example/posts/1-x');
    expect(canonicalizeUrl('https://lab.example/p?id=2&fbclid=z#xtor=RSS-8')).toBe('https://lab.example/p?id=2');
    expect(canonicalizeUrl('https://lab.example/p?#')).toBe('https://lab.example/p');
  });
});
