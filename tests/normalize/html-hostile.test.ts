/**
 * Hostile markup of a few megabytes (one item can carry that much), checked for
 * correctness only. Each input here once cost the scanner work growing with the
 * square of its length (tens of seconds, past the test timeout); read in
 * linear time, each takes well under a second.
 */
import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeContent, sanitizeMarkup } from '../../src/normalize/index.js';

const BASE = 'https://blog.example.com/posts/1';

describe('hostile markup is read in one pass', () => {
  it('end tags for elements that are not open, under deep nesting', () => {
    const depth = 200_000;
    const html = `${'<b>'.repeat(depth)}x${'</span>'.repeat(depth)}`;
    expect(sanitizeContent(html, BASE)).toBe(`${'<b>'.repeat(depth)}x${'</b>'.repeat(depth)}`);
  });

  it('character references in a long title', () => {
    const text = 'a&amp;'.repeat(200_000);
    expect(htmlToText(`<title>${text}</title>`)).toBe('a&'.repeat(200_000));
    // `<xitle>` is raw text up to `</title>` too (a quirk of the parser byline used before).
    expect(sanitizeContent(`<xitle>${text}</title>`, BASE)).toBe(text);
  });

  it('text runs with no `&` after them', () => {
    const runs = 650_000;
    expect(htmlToText('<p>x</p>'.repeat(runs))).toBe(Array.from({ length: runs }, () => 'x').join(' '));
  });

  it('attribute values with no `&` after them', () => {
    const tags = 500_000;
    expect(sanitizeMarkup('<br dir=x lang=y>'.repeat(tags), BASE)).toBe('<br dir="x" lang="y" />'.repeat(tags));
  });

  it('comments closed by `--!>` with no `-->` anywhere', () => {
    const comments = 300_000;
    expect(htmlToText('a<!--c--!>'.repeat(comments))).toBe('a'.repeat(comments));
  });
});
