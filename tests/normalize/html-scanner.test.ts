/**
 * The HTML scanner behind sanitizeContent and htmlToText, on the markup a
 * hand-written scanner is most likely to get wrong: unfinished tags, `<` and
 * quotes inside attribute values, raw-text elements, mixed case, nested dropped
 * content, misnested and unclosed elements, comments and declarations.
 */
import { describe, expect, it } from 'vitest';
import { scanHtml } from '../../src/normalize/html-scanner.js';
import type { ElementSink } from '../../src/normalize/html-tree.js';
import { htmlToText, sanitizeContent } from '../../src/normalize/index.js';

const BASE = 'https://blog.example.com/posts/1';

describe('sanitizeContent on tricky markup', () => {
  it.each([
    // The input ends inside a tag: the unfinished tag is dropped, what came before is kept and closed.
    ['<p>text<img src="/x.png"', '<p>text</p>'],
    ['<p>a <a href="/x', '<p>a </p>'],
    ['a</p', 'a'],
    ['a</p b', 'a<p></p>'],
    ['a<br/', 'a'],
    ['a<p>b</p c', 'a<p>b</p>'],
    // A `<` or `>` that starts no tag is text.
    ['<p>a<</p>', '<p>a&lt;</p>'],
    ['<p>a < b > c</p>', '<p>a &lt; b &gt; c</p>'],
    ['<p>a</>b</p>', '<p>a&lt;/&gt;b</p>'],
    // Quotes protect `<`, `>` and the other quote inside attribute values.
    ['<a title="a<b>c" href="/x">t</a>', '<a href="https://blog.example.com/x" title="a&lt;b&gt;c">t</a>'],
    ['<a title=\'say "hi"\' href=/y>t</a>', '<a href="https://blog.example.com/y" title="say &quot;hi&quot;">t</a>'],
    ['<p title="x>y">z</p>', '<p>z</p>'],
    ['<img/src="/a.png"/alt="b">', '<img src="https://blog.example.com/a.png" alt="b" />'],
    ['<img src = "/a.png" alt = b >', '<img src="https://blog.example.com/a.png" alt="b" />'],
    ['<a href="/x" href="javascript:y">first wins</a>', '<a href="https://blog.example.com/x">first wins</a>'],
    ['<p =x>y</p>', '<p>y</p>'],
    // Raw-text elements end only at their own end tag, followed by whitespace, `/` or `>` (as a tag name ends).
    ['<script>a</script >b', 'b'],
    ['<script>a</script/>b</script>c', 'bc'],
    ['<script><p>x</p></script>y', 'y'],
    ['<textarea><b>x</b></textarea>y', 'y'],
    ['<xmp><script>a</script></xmp>y', 'y'],
    ['<style>p{}</style>x', 'x'],
    ['<title>t</title>body', 'body'],
    ['<plaintext>a<b>b</b>', ''],
    // Case does not matter.
    ['<SCRIPT>a</SCRIPT>b', 'b'],
    ['<ScRiPt>x</sCrIpT>y', 'y'],
    ['<P>x</P><A HREF="/u">u</A>', '<p>x</p><a href="https://blog.example.com/u">u</a>'],
    // Dropped content nests, and ends with the element that started it.
    ['<noscript><div><iframe></iframe></div></noscript>after', 'after'],
    ['<svg><svg></svg><g>x</g></svg>after', 'after'],
    // A paragraph ends SVG content (see the breakout cases below), so it shows.
    ['<svg><svg></svg><p>x</p></svg>after', '<p>x</p>after'],
    ['<select><option>a<option>b</select>c', 'c'],
    ['<div><noscript>hidden</div>shown', '<div></div>shown'],
    ['<svg/><p>x</p>', '<p>x</p>'],
    ['<math><mi><p/>a</mi></math>b', 'b'],
    // Misnested and unclosed elements come out well-formed.
    ['<b><i>x</b>y</i>', '<b><i>x</i></b>y'],
    ['<p>a<div>b</div>', '<p>a</p><div>b</div>'],
    ['<ul><li>a<li>b</ul>', '<ul><li>a</li><li>b</li></ul>'],
    ['<table><tr><td>a<td>b</table>', '<table><tr><td>a</td><td>b</td></tr></table>'],
    ['<p>a</p></p>b', '<p>a</p><p></p>b'],
    ['a</br>b', 'a<br />b'],
    // Columns are void, and only mean something in a table.
    ['<col span="2">x', 'x'],
    ['<table><col span="2"><tr><td>x</table>', '<table><col span="2" /><tr><td>x</td></tr></table>'],
    // Comments, processing instructions, declarations and CDATA leave nothing behind.
    ['a<!-- <script>x</script> -->b', 'ab'],
    ['a<!-->b', 'ab'],
    ['<?php echo 1 ?>x', 'x'],
    ['<!DOCTYPE html>x', 'x'],
    ['a<!-x>b>c', 'ab&gt;c'],
    ['<![CDATA[<![CDATA[x]]>]]>', 'x'],
    // Attributes: empty values, booleans, allowed ones only.
    ['<ol reversed start="3"><li>a</li></ol>', '<ol reversed start="3"><li>a</li></ol>'],
    ['<img alt="" src="/a.png">', '<img src="https://blog.example.com/a.png" alt="" />'],
    ['<p dir="" lang="en">x</p>', '<p lang="en">x</p>'],
    ['<p>a <a href="/e">&nbsp;</a> b</p>', '<p>a  b</p>'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });
});

describe('content a browser shows is kept', () => {
  it.each([
    // A comment also ends at `--!>`, but only after its opening dashes.
    ['<p>Intro</p><!-- ad slot --!><p>Article body</p>', '<p>Intro</p><p>Article body</p>'],
    ['a<!--->b', 'ab'],
    ['a<!----!>b', 'ab'],
    ['a<!--!>b-->c', 'ac'],
    ['a<!---!>b-->c', 'ac'],
    ['a<!-- x --!-->b', 'ab'],
    // A tag name ends at `/`, end tags' included.
    ['<p>Intro</p><script>var x=1;</script/><p>Article body</p>', '<p>Intro</p><p>Article body</p>'],
    ['<p>Intro</p><style>p{}</style/><p>Article body</p>', '<p>Intro</p><p>Article body</p>'],
    ['<p>Intro</p><title>T</title/><p>Article body</p>', '<p>Intro</p><p>Article body</p>'],
    ['<p>Intro</p><textarea>t</textarea/><p>Article body</p>', '<p>Intro</p><p>Article body</p>'],
    ['<p>Intro</p><xmp>x</xmp/><p>Article body</p>', '<p>Intro</p><p>Article body</p>'],
    ['<div>a</div/>b', '<div>a</div>b'],
    // HTML start tags (and `</p>`, `</br>`) end SVG and MathML content left open.
    ['<p>Intro</p><svg><circle r=1></circle><p>Article body</p>', '<p>Intro</p><p>Article body</p>'],
    ['<svg><g><b>Body</b></g></svg>', '<b>Body</b>'],
    ['<math><mrow><div>Body</div></mrow></math>', '<div>Body</div>'],
    ['<svg></p>Body', '<p></p>Body'],
    ['<svg><font color="red">Body</font></svg>', 'Body'],
    ['<svg><font>hidden</font></svg>shown', 'shown'],
    // In SVG, `<style>` is no raw text.
    ['<svg><style><p>Body</p></style></svg>', '<p>Body</p>'],
    // Integration points hold HTML, which stays inside them.
    ['<svg><foreignObject><p>hidden</p></foreignObject></svg>shown', 'shown'],
    ['<math><mi><b>hidden</b></mi></math>shown', 'shown'],
    // A head is ignored inside a body, so what follows it shows.
    ['<head><meta charset="utf-8"><p>Article body</p>', '<p>Article body</p>'],
    ['<html><head><title>T</title><style>p{}</style></head><body><p>x</p></body></html>', '<p>x</p>'],
    ['<head><link rel="stylesheet" href="/s.css">Article body', 'Article body'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });

  it.each([
    ['<p>Intro</p><!-- ad slot --!><p>Article body</p>', 'Intro Article body'],
    ['<script>x</script/>Body', 'Body'],
    ['<p>Intro</p><svg><text>chart</text><p>Article body</p>', 'Intro Article body'],
  ] as const)('by htmlToText too: %j', (input, expected) => {
    expect(htmlToText(input)).toBe(expected);
  });
});

describe('character references', () => {
  it.each([
    ['<p>&#0;|&#x110000;|&#xD800;|&#128;|&#x1F680;|&#65</p>', '<p>\uFFFD|\uFFFD|\uFFFD|€|🚀|A</p>'],
    ['<p>\uD800 lone</p>', '<p>\uD800 lone</p>'],
    ['<p>&notin; &notin x &copy 2026 &hellip x</p>', '<p>∉ ¬in x © 2026 &amp;hellip x</p>'],
    ['<p>&NotEqualTilde; &amp;amp; &bogus; & x</p>', '<p>≂̸ &amp;amp; &amp;bogus; &amp; x</p>'],
    ['<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
    // In attribute values a legacy name without its semicolon stays as written before `=` or a letter (query strings).
    ['<a href="/x?a=1&copy=2&amp;b=3">q</a>', '<a href="https://blog.example.com/x?a=1&amp;copy=2&amp;b=3">q</a>'],
    ['<a href="/x?a=1&copy;b">q</a>', '<a href="https://blog.example.com/x?a=1%C2%A9b">q</a>'],
    ['<abbr title="&copy 2026 &notit; &amp">c</abbr>', '<abbr title="© 2026 &amp;notit; &amp;">c</abbr>'],
  ] as const)('%j', (input, expected) => {
    expect(sanitizeContent(input, BASE)).toBe(expected);
  });
});

describe('htmlToText on tricky markup', () => {
  it.each([
    ['<title>a &amp; b</title>', 'a & b'],
    ['a<script>b', 'a'],
    ['<xmp>&amp;</xmp>z', 'z'],
    ['x &notin y', 'x ¬in y'],
    ['AT&T &amp; co', 'AT&T & co'],
    ['&#x1F680; rocket', '🚀 rocket'],
    ['a<br>b<hr/>c', 'a b c'],
    ['<TD>a</TD><Td>b', 'a b'],
    ['a</p b', 'a'],
    ['<p title="<p>">x</p>', 'x'],
    ['a<!-- b -->c', 'ac'],
  ] as const)('%j', (input, expected) => {
    expect(htmlToText(input)).toBe(expected);
  });
});

describe('one fragment after another', () => {
  // The element stacks behind the tree are reused between fragments: nothing of one may reach the next.
  it('starts each fragment with nothing open, also after one that failed half way or was read inside another', () => {
    const open: string[] = [];
    const failing: ElementSink = {
      skipping: false,
      wantedAttributes: () => null,
      open(name) {
        open.push(name);
        if (open.length === 3) throw new Error('sink failed');
        return name;
      },
      close: () => undefined,
      text: () => undefined,
    };
    // A table left open would keep the next fragment's stray cell (outside a table, a browser drops the cell's tags).
    expect(() => scanHtml('<div><table><td>one', failing)).toThrow('sink failed');
    expect(sanitizeContent('<td>cell</td><p>after', BASE)).toBe('cell<p>after</p>');

    let inner = '';
    const nesting: ElementSink = {
      skipping: false,
      wantedAttributes: () => null,
      open: (name) => name,
      close: () => undefined,
      text(value) {
        if (inner === '') inner = sanitizeContent('<ul><li>a<li>b</ul><td>c', BASE);
        void value;
      },
    };
    scanHtml('<table><tr><td>outer text<li>item</table>', nesting);
    expect(inner).toBe('<ul><li>a</li><li>b</li></ul>c');
    expect(sanitizeContent('<p>after</p>', BASE)).toBe('<p>after</p>');
  });
});
