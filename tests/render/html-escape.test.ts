/**
 * HTML escaping and the web-URL check behind every link byline writes: all
 * five markup characters escaped, characters XML forbids dropped, and the
 * quick pattern for plain URLs agreeing with the URL parser on any input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, isWebUrl, linkHtml } from '../../src/render/html-escape.js';

function parserSaysWeb(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

describe('escapeHtml', () => {
  it.each([
    ['plain text', 'plain text'],
    ['<script>alert("x")</script>', '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'],
    ["a & b ' c", 'a &amp; b &#39; c'],
    ['&amp;', '&amp;amp;'],
    ['bad\u0000\uD800chars\uFFFE', 'badchars'],
    ['emoji 😀 stays', 'emoji 😀 stays'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('isWebUrl', () => {
  it.each([
    ['https://example.com/a?b=1#c', true],
    ['HTTP://EXAMPLE.COM', true],
    ['https://a.b1:8080/x', true],
    ['https://例子.测试/', true],
    ['https://user:pw@example.com/', true],
    ['https://example.com:65535/', true],
    ['http://0x1f/', true],
    ['https://example.com:65536/', false],
    ['http://xn--a.com/', false],
    ['http://999.1.1.1/', false],
    ['javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['/relative/path', false],
    ['ftp://example.com/', false],
    ['', false],
  ])('%s -> %s', (url, expected) => {
    expect(isWebUrl(url)).toBe(expected);
    expect(parserSaysWeb(url)).toBe(expected);
  });

  it('agrees with the URL parser on arbitrary URL-like input', () => {
    const piece = fc.constantFrom('a', 'Z', '0', '9', '-', '.', ':', '/', '?', '#', '@', '_', '%', ' ', '\t', 'xn--', 'x', '1', '\u00e9', '\uD800', '[', ']');
    const url = fc.tuple(fc.constantFrom('http://', 'https://', 'HTTPS://', 'http:', 'ftp://', ' http://', ''), fc.array(piece, { maxLength: 16 })).map(([scheme, rest]) => scheme + rest.join(''));
    fc.assert(
      fc.property(url, (value) => {
        expect(isWebUrl(value)).toBe(parserSaysWeb(value));
      }),
      { numRuns: 20_000 },
    );
  });

  it('turns only web URLs into links', () => {
    expect(linkHtml('https://a.example/?x=1&y=2')).toBe('<a href="https://a.example/?x=1&amp;y=2">https://a.example/?x=1&amp;y=2</a>');
    expect(linkHtml('javascript:alert(1)', 'click')).toBe('click');
  });
});
