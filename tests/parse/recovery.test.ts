/**
 * Tags that do not nest in the middle of a feed: the items after the break
 * are read as lenient readers read them (each expectation here is also what
 * Python feedparser 6 makes of the document, unless a comment says
 * otherwise), the item with the break keeps what it says, and an item cut
 * off where the document ends is still left out.
 */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { atom, parseText, rss } from './helpers.js';

const item = (name: string, inside = ''): string =>
  `<item><title>${name}</title><link>https://x.example/${name}</link>${inside}</item>`;

describe('a break in the middle of an RSS feed', () => {
  it('reads the items after an end tag that closes an inline tag left open', async () => {
    const feed = await parseText(rss(`${item('a')}<item><title>b</title><description>x <b>y</description></item>${item('c')}${item('d')}`));
    expect(feed.items.map((entry) => entry.title)).toEqual(['a', 'b', 'c', 'd']);
    expect(feed.items[1]?.summary).toBe('x <b>y');
  });

  it('reads the item whose </link> is missing, and the items after it', async () => {
    const broken = '<item><title>b</title><link>https://x.example/b<description>bee</description><guid>g-b</guid></item>';
    const feed = await parseText(rss(`${item('a')}${broken}${item('c')}${item('d')}`));
    expect(feed.items.map((entry) => entry.title)).toEqual(['a', 'b', 'c', 'd']);
    // feedparser drops this link; it is the text the source wrote inside <link>, so it is kept.
    expect(feed.items[1]).toMatchObject({ link: 'https://x.example/b', summary: 'bee', guid: 'g-b' });
    expect(feed.items[3]?.link).toBe('https://x.example/d');
  });

  it('reads items that are never closed, each ending where the next begins', async () => {
    const feed = await parseText(rss('<item><title>a</title><link>https://x.example/a</link><item><title>b</title></item>' + item('c')));
    expect(feed.items.map((entry) => [entry.title, entry.link])).toEqual([
      ['a', 'https://x.example/a'],
      ['b', null],
      ['c', 'https://x.example/c'],
    ]);
  });

  it('reads an end tag written in another case as the end of its element', async () => {
    const broken = '<item><title>b</Title><link>https://x.example/b</link><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubdate></item>';
    const feed = await parseText(rss(`${broken}${item('c')}`));
    expect(feed.items.map((entry) => [entry.title, entry.link, entry.published])).toEqual([
      ['b', 'https://x.example/b', 'Mon, 01 Jan 2024 00:00:00 GMT'],
      ['c', 'https://x.example/c', null],
    ]);
  });

  it('ends a title left open where the next field begins, instead of reading the item into it', async () => {
    const broken = '<item><title>b<link>https://x.example/b</link><description>bee</description></item>';
    const feed = await parseText(rss(`${broken}${item('c')}`));
    expect(feed.items[0]).toMatchObject({ title: 'b', link: 'https://x.example/b', summary: 'bee' });
    expect(feed.items[1]?.title).toBe('c');
  });

  it('ends a description left open at the item fields after it, keeping its own HTML', async () => {
    const broken = '<item><title>b</title><description>d <p>x<guid>g-b</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>';
    const feed = await parseText(rss(`${broken}${item('c')}`));
    // feedparser reads the rest of the document into this description and loses item c.
    expect(feed.items.map((entry) => entry.title)).toEqual(['b', 'c']);
    expect(feed.items[0]).toMatchObject({ guid: 'g-b', published: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    expect(feed.items[0]?.summary).toMatch(/^d <p>x(?:<\/p>)?$/);
  });

  it('reads the items after an element left open in the channel', async () => {
    const feed = await parseText(rss(`<image><url>https://x.example/logo.png</url><title>T</title>${item('a')}${item('b')}`));
    expect(feed.items.map((entry) => [entry.title, entry.link])).toEqual([
      ['a', 'https://x.example/a'],
      ['b', 'https://x.example/b'],
    ]);
  });

  it('drops an end tag that closes nothing', async () => {
    const feed = await parseText(rss(`<item><title>a</title></span><link>https://x.example/a</link></item>${item('b')}`));
    expect(feed.items.map((entry) => [entry.title, entry.link])).toEqual([
      ['a', 'https://x.example/a'],
      ['b', 'https://x.example/b'],
    ]);
  });

  it('publishes no text that is not in the document', async () => {
    const text = rss(`${item('a')}<item><title>b</title><description>one <i>two</description>${item('c')}`);
    const feed = await parseText(text);
    for (const entry of feed.items) {
      for (const value of [entry.title, entry.link, entry.summary]) {
        if (value !== null) expect(text).toContain(value.replace(/<\/\w+>$/, ''));
      }
    }
  });
});

describe('a break in the middle of an Atom feed', () => {
  it('reads the entries after an inline tag left open in a summary', async () => {
    const entries =
      '<entry><id>a</id><title>a</title></entry><entry><id>b</id><title>b</title><summary>x <b>y</summary></entry><entry><id>c</id><title>c</title></entry>';
    const feed = await parseText(atom(entries));
    expect(feed.items.map((entry) => entry.guid)).toEqual(['a', 'b', 'c']);
    // Read as the markup it is; the end tag of the bold text is the one thing added.
    expect(feed.items[1]?.summary).toMatch(/^x <b>y(?:<\/b>)?$/);
  });

  it('reads an entry whose <link> is written the HTML way, without a slash', async () => {
    const entries =
      '<entry><title>a</title><link href="https://x.example/a"><id>a</id><updated>2024-01-01T00:00:00Z</updated></entry><entry><title>b</title><link href="https://x.example/b"/><id>b</id></entry>';
    const feed = await parseText(atom(entries));
    expect(feed.items.map((entry) => [entry.guid, entry.link, entry.updated])).toEqual([
      ['a', 'https://x.example/a', '2024-01-01T00:00:00Z'],
      ['b', 'https://x.example/b', null],
    ]);
  });

  it('closes HTML void tags in XHTML content where they are', async () => {
    const entries =
      '<entry><id>a</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">a<br>b<img src="https://x.example/i.png"></div></content></entry><entry><id>b</id></entry>';
    const feed = await parseText(atom(entries));
    expect(feed.items.map((entry) => entry.guid)).toEqual(['a', 'b']);
    expect(feed.items[0]?.content).toBe('a<br/>b<img src="https://x.example/i.png"/>');
  });
});

describe('a document cut off in transit', () => {
  it('still leaves out the item it ends in', async () => {
    const text = rss(`${item('a')}<item><title>b</title><description>cut he`).replace(/<\/channel><\/rss>$/, '');
    const feed = await parseText(text);
    expect(feed.items.map((entry) => entry.title)).toEqual(['a']);
  });

  it('still fails when no item was complete', async () => {
    const text = '<rss version="2.0"><channel><title>T</title><item><title>a<b>x</b></title><description>cut';
    await expect(parseText(text)).rejects.toBeInstanceOf(ParseError);
  });
});
