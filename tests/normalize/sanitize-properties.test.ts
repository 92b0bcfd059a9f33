/**
 * Properties of the single-pass sanitizer on arbitrary markup: the output is
 * well-formed, inside the policy and unchanged by sanitizing it again (its
 * nesting is one the sanitizer, like a browser, keeps as it is), the text it
 * reports is exactly what htmlToText reads back from the output, and
 * whitespace folding done piece by piece equals folding the whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText, SANITIZER_POLICY, sanitizeContent, sanitizeContentAndText, sanitizeMarkup } from '../../src/normalize/index.js';
import { foldWhitespace, TextFolder } from '../../src/normalize/text.js';
import { isDecorativeImage } from '../../src/normalize/images.js';

const BASE = 'https://blog.example.com/posts/1';

const FRAGMENTS = [
  '<p>', '</p>', '<P class="x">', '<div>', '</div>', '<br>', '</br>', '<br/>', '<hr>', '<img src="/a.png" alt="">', '<img src=x onerror=y>',
  '<img data-src="/l.jpg" src="data:x" width=10>', '<img src="/p.gif" width="1" height="1">', '<a href="/x">', '<a href="javascript:x">', '<a>',
  '</a>', '<a href="mailto:a@b.c">', '<script>', '</script>', '</script >', '<style>', '</style>', '<textarea>', '</textarea>', '<title>',
  '</title>', '<xmp>', '</xmp>', '<svg>', '</svg>', '<svg/>', '<math>', '<g/>', '<noscript>', '</noscript>', '<iframe>', '<select>', '<option>',
  '<table>', '<tr>', '<td colspan=2>', '</td>', '</table>', '<li>', '<ul>', '</ul>', '<ol reversed start=3>', '<dd>', '<dt>', '<rt>',
  '<section>', '</section>', '<center>', '<strike>', '<b>', '</b>', '<i>', '</i>', '<span>', '</span>', '<col span=2>', '<wbr>',
  '<blockquote cite="/q">', '</blockquote>', '<q cite="javascript:x">', '<abbr title="a&quot;b">', '<pre>', '</pre>', '<h1>', '</h1>',
  '<!--', '-->', '<!-- c -->', '<!>', '<!DOCTYPE html>', '<![CDATA[', ']]>', '<?x?>', '</', '</>', '< ', '<', '>', '"', "'", '=', '/',
  '&amp;', '&lt;', '&gt;', '&nbsp;', '&#0;', '&#x110000;', '&#xD800;', '&copy', '&notin', '&bogus;', '&', 'text', ' ', '\n', '\t',
  '\u00a0', '\u200b', '\u0000', '中文', '🚀', '\uD800', '<p title="a>b">', "<p title='x\"y'>", '<A HREF="/U">', '<a href="/e"> <br> </a>',
  // Tag soup whose nesting a browser's parser repairs.
  '<dl>', '</li>', '<address>', '<caption>', '<tbody>', '<colgroup>', '<th>', '<ruby>', '<rb>', '<rp>', '<button>', '<form>', '<h2>',
  '<foreignObject>', '<mi>', '<font color=red>', '<head>', '<body>', '--!>', '</script/>', '<p/>',
];

const markup = fc.oneof(
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 20 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 60 }),
  fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 16 }).map((parts) => parts.join('')),
);

const VOID = new Set(['img', 'br', 'hr', 'col']);
const ALLOWED = new Set(SANITIZER_POLICY.tags);

/** Checks our own output format: known tags only, nested properly, attribute values quoted, text escaped. */
function assertWellFormed(html: string): void {
  const open: string[] = [];
  const token = /<(\/?)([a-z0-9]+)((?: [a-z]+(?:="[^"<>]*")?)*)( \/)?>|([^<>]+)/gy;
  let position = 0;
  for (let match = token.exec(html); match !== null; match = token.exec(html)) {
    position = token.lastIndex;
    const [, closing, name = '', attributes = '', selfClosing, text] = match;
    if (text !== undefined) {
      // Every `&` starts one of the three escapes the writer uses.
      expect(text.replace(/&(?:amp|lt|gt);/g, '')).not.toContain('&');
      continue;
    }
    expect(ALLOWED.has(name)).toBe(true);
    for (const [, attribute = ''] of attributes.matchAll(/ ([a-z]+)/g)) {
      const allowed = [...(SANITIZER_POLICY.attributes['*'] ?? []), ...(SANITIZER_POLICY.attributes[name] ?? [])];
      expect(allowed).toContain(attribute);
    }
    if (closing) expect(open.pop()).toBe(name);
    else if (selfClosing) expect(VOID.has(name)).toBe(true);
    else open.push(name);
  }
  expect(position).toBe(html.length);
  expect(open).toEqual([]);
}

describe('sanitizer properties', () => {
  it('writes well-formed markup inside the policy', () => {
    fc.assert(
      fc.property(markup, (input) => {
        assertWellFormed(sanitizeMarkup(input, BASE));
        assertWellFormed(sanitizeContent(input, BASE));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes markup that sanitizing again leaves as it is', () => {
    fc.assert(
      fc.property(markup, (input) => {
        const once = sanitizeMarkup(input, BASE);
        expect(sanitizeMarkup(once, BASE)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('reports the text htmlToText reads back from its output, and the first image', () => {
    fc.assert(
      fc.property(markup, (input) => {
        const result = sanitizeContentAndText(input, BASE);
        expect(result.html).toBe(sanitizeContent(input, BASE));
        expect(result.text).toBe(htmlToText(result.html));
        // The first image that could lead the article: not one declared icon-sized (the generator's classes never reach img).
        let first: string | null = null;
        for (const [, src = '', rest = ''] of result.html.matchAll(/<img src="([^"]*)"([^>]*)>/g)) {
          const size = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(rest)?.[1];
          const attribs = Object.fromEntries((['width', 'height'] as const).flatMap((name) => (size(name) === undefined ? [] : [[name, size(name)!]])));
          const url = src.replace(/&amp;/g, '&');
          if (!isDecorativeImage(url, attribs)) {
            first = url;
            break;
          }
        }
        expect(result.image).toBe(first);
      }),
      { numRuns: 3000 },
    );
  });

  it('with a text limit, reports a long enough start of the same text', () => {
    fc.assert(
      fc.property(fc.array(markup, { maxLength: 8 }).map((parts) => parts.join('')), fc.integer({ min: 0, max: 40 }), (input, limit) => {
        const full = sanitizeContentAndText(input, BASE).text;
        const start = sanitizeContentAndText(input, BASE, limit).text;
        expect(full.startsWith(start)).toBe(true);
        expect(start.length > limit || start === full).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('whitespace folding', () => {
  const reference = (text: string): string =>
    text.replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F\u200B\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
  const pieces = fc.array(
    fc.string({ unit: fc.constantFrom('a', 'b', ' ', ' ', '\n', '\t', '\u000b', '\u00a0', '\u200b', '\ufeff', '\u0000', '\u3000', '\u2028', '\u0085', '中', '🚀', '\r'), maxLength: 8 }),
    { maxLength: 6 },
  );

  it('matches the regular-expression definition', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), pieces.map((parts) => parts.join(''))), (text) => {
        expect(foldWhitespace(text)).toBe(reference(text));
      }),
    );
  });

  it('gives the same result piece by piece', () => {
    fc.assert(
      fc.property(pieces, (parts) => {
        const folder = new TextFolder();
        for (const part of parts) folder.add(part);
        expect(folder.text).toBe(reference(parts.join('')));
      }),
    );
  });
});
