/**
 * The nesting of sanitized output is the one a browser's parser keeps: where
 * HTML's tree construction closes open elements at a start tag (a list item
 * at the next one through intervening divs, a paragraph at a block, a table at
 * a `<table>` outside its cells, a link at the next link), the output closes
 * them there too. Otherwise a browser closes them early, and the output's own
 * later end tags close the page's elements around it (the reader's container,
 * pushing the credit footer out). tests/browser/sanitize-nesting.test.ts
 * checks the same against Chromium.
 */
import { describe, expect, it } from 'vitest';
import { sanitizeContent, sanitizeMarkup } from '../../src/normalize/index.js';

const BASE = 'https://blog.example.com/posts/1';
const LINK_1 = '<a href="https://blog.example.com/1">';
const LINK_2 = '<a href="https://blog.example.com/2">';

describe('start tags close what a browser closes', () => {
  it.each([
    // A list item ends at the next one, through div, address and p, not through other special elements.
    ['<ul><li><div>Point one<li>Point two</ul><p>Rest of article</p>', '<ul><li><div>Point one</div></li><li>Point two</li></ul><p>Rest of article</p>'],
    ['<ul><li>a<address>b<p>c<li>d</ul>', '<ul><li>a<div>b<p>c</p></div></li><li>d</li></ul>'],
    ['<ul><li>a<blockquote>b<li>c</blockquote></ul>', '<ul><li>a<blockquote>b<li>c</li></blockquote></li></ul>'],
    ['<ul><li>a<ul><li>b</ul>c<li>d</ul>', '<ul><li>a<ul><li>b</li></ul>c</li><li>d</li></ul>'],
    // So do definition terms and descriptions, each at either.
    ['<dl><dt><div>Term<dd>Def</dl>', '<dl><dt><div>Term</div></dt><dd>Def</dd></dl>'],
    ['<dl><dd>a<div>b<dt>c<dd>d</dl>', '<dl><dd>a<div>b</div></dd><dt>c</dt><dd>d</dd></dl>'],
    // A block closes a paragraph with whatever is open inside it, unless a button or a table lies between.
    ['<p>a<b>b<div>c</div>', '<p>a<b>b</b></p><div>c</div>'],
    ['<p>a<table><tr><td>b<div>c</div></td></tr></table>', '<p>a</p><table><tr><td>b<div>c</div></td></tr></table>'],
    // A heading straight inside a heading ends it; one inside other markup does not.
    ['<h1>a<h2>b</h2>', '<h1>a</h1><h2>b</h2>'],
    ['<h1><b>a<h2>b</h2></b></h1>', '<h1><b>a<h2>b</h2></b></h1>'],
    // A link ends at the next link, unless a table cell lies between.
    ['<a href="/1">a<div><a href="/2">b</a></div>', `${LINK_1}a<div></div></a>${LINK_2}b</a>`],
    [
      '<a href="/1">a<table><tr><td><a href="/2">b</a></td></tr></table></a>',
      `${LINK_1}a<table><tr><td>${LINK_2}b</a></td></tr></table></a>`,
    ],
    // Ruby annotations end the paragraphs and annotations open in the ruby.
    ['<ruby>a<p>b<rt>c<rp>(</rp></ruby>', '<ruby>a<p>b</p><rt>c</rt><rp>(</rp></ruby>'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });
});

describe('elements written under another name, or not at all', () => {
  // The output is what a browser reads: `<nav>` written as `<div>` must nest as a div does, and
  // the tags of an element left out (its content kept) must not keep open what they would.
  it.each([
    ['<ul><li>a<nav>b<li>c</ul>', '<ul><li>a<div>b</div></li><li>c</li></ul>'],
    ['<dd><footer><q><dt>y', '<dd><div><q></q></div></dd><dt>y</dt>'],
    ['<ul><li>a<fieldset>b<li>c</fieldset></ul>', '<ul><li>ab</li><li>c</li></ul>'],
    ['<p>a<marquee>b<div>c</div></marquee>', '<p>ab</p><div>c</div>'],
    ['<h2><marquee><h2>text', '<h2></h2><h2>text</h2>'],
    ['<ruby>y<dt><dir><rp>(</rp></ruby>', '<ruby>y<dt></dt><rp>(</rp></ruby>'],
    // A link with no usable address is left out, so the heading is the current element.
    ['<h1><a>x<h2>y', '<h1>x</h1><h2>y</h2>'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });
});

describe('tables', () => {
  it.each([
    // A `<table>` outside the cells of an open table closes that table, whatever was moved out of it.
    ['<table><p></p><div><table>x', '<table><p></p><div></div></table><table>x</table>'],
    ['<table><tr><td><table><tr><td>inner</table>outer</table>', '<table><tr><td><table><tr><td>inner</td></tr></table>outer</td></tr></table>'],
    // Cells, rows and captions end where the next table part starts.
    ['<table><tr><td>a<div>b<td>c</table>', '<table><tr><td>a<div>b</div></td><td>c</td></tr></table>'],
    ['<table><div>a<tr><td>b</table>', '<table><div>a</div><tr><td>b</td></tr></table>'],
    ['<table><tr><td>a</td><p>b<td>c</table>', '<table><tr><td>a</td><p>b</p><td>c</td></tr></table>'],
    ['<table><caption>c<tr><td>x</table>', '<table><caption>c</caption><tr><td>x</td></tr></table>'],
    // A column group holds columns (and whitespace) only.
    ['<table><colgroup><col span=2><p>x</p></table>', '<table><colgroup><col span="2" /></colgroup><p>x</p></table>'],
    ['<table><colgroup> x</table>', '<table><colgroup> </colgroup>x</table>'],
    // A form straight inside a table is empty, so it takes no rows with it.
    ['<table><form><tr><td>x</td></tr></form></table>', '<table><tr><td>x</td></tr></table>'],
    // Table parts outside a table are ignored; their content stays.
    ['<td>a</td><tr><th>b</th><caption>c', 'abc'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });
});

/** Tag soup of the kinds above, and worse. */
const TAG_SOUP = [
  '<ul><li><div>a<li>b<dd>c<dt>d</ul>e',
  '<dl><dt><address>a<dd><p>b<li>c</dl>',
  '<p><b><i>a<blockquote>b<p>c<h3>d<h4>e</b>f',
  '<table><p></p><div><table>x',
  '<table><tr><td>a<table><td>b<tr>c<caption>d<colgroup>e<col>f<tbody>g</table>h',
  '<table><b>a<tr><i>b<td>c<table>d</table>e</b>',
  '<a href="/1"><b>a<a href="/2">b<div><a href="/3">c</div>d</a>e',
  '<ruby><rb>a<rt>b<rtc>c<rp>d<p>e<rt>f</ruby>',
  '<select><p>a<select>b<input>c<div>d',
  '<p><button>a<button>b</button><div>c',
  '<svg><p>a<svg><foreignObject><p>b<li>c</svg>d<math><mi><li>e</mi><b>f</math>g',
  '<h1><h2><h3>a</h1>b</h2>c',
  '<div><table><tr><td></div>a</td></tr></table>b</div>c',
  '<pre><listing>a</listing><form>b</form><xmp>c</xmp><p>d',
  '<table><colgroup><col> <col>x<col><td>y</table>',
  '<ul><li><nav>a<li><marquee>b<li><fieldset>c<dd>d</ul>',
];

describe('sanitized output', () => {
  it.each(TAG_SOUP)('is unchanged by sanitizing it again: %j', (input) => {
    const once = sanitizeMarkup(input, BASE);
    expect(once).toMatch(/<\w/);
    expect(sanitizeMarkup(once, BASE)).toBe(once);
  });
});
