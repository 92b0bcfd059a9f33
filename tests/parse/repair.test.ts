/** Broken-but-readable XML: what a lenient reader tolerates, we repair before strict parsing. */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { parseFeedText } from '../../src/parse/index.js';
import { fixtureBytes, parseText, rss } from './helpers.js';

describe('characters XML forbids', () => {
  it.each([
    ['C0 controls', 'A\u0001B\u0008C\u000bD\u000cE\u001fF', 'ABCDEF'],
    ['U+FFFE and U+FFFF', 'A\uFFFEB\uFFFFC', 'ABC'],
    ['lone surrogates', 'A\uD800B\uDC00C', 'ABC'],
    ['NUL', 'A\u0000B', 'AB'],
  ])('strips %s', async (_name, dirty, clean) => {
    const feed = await parseText(rss(`<item><title>${dirty}</title></item>`));
    expect(feed.items[0]?.title).toBe(clean);
  });

  it('keeps tab, newline, carriage return and real surrogate pairs', async () => {
    const feed = await parseText(rss('<item><title>a\tb😀c</title><description>x\r\ny</description></item>'));
    expect(feed.items[0]?.title).toBe('a\tb😀c');
    expect(feed.items[0]?.summary).toMatch(/^x\r?\ny$/);
  });
});

describe('entities and ampersands', () => {
  it('escapes bare ampersands in text and attribute values', async () => {
    const feed = await parseText(
      rss('<item><title>AT&T & friends</title><link>https://x.example/?a=1&b=2</link><enclosure url="https://x.example/f.mp3?a=1&b=2" type="audio/mpeg"/></item>'),
    );
    // A title without markup comes out as the HTML of its text, as every RawItem text field reads.
    expect(feed.items[0]).toMatchObject({ title: 'AT&amp;T &amp; friends', link: 'https://x.example/?a=1&b=2' });
    expect(feed.items[0]?.enclosures[0]?.url).toBe('https://x.example/f.mp3?a=1&b=2');
  });

  it.each([
    ['&nbsp;', '\u00a0'],
    ['&mdash;', '\u2014'],
    ['&copy;', '\u00a9'],
    ['&eacute;', '\u00e9'],
    ['&hellip;', '\u2026'],
    ['&Omega;', '\u03a9'],
    ['&euro;', '\u20ac'],
    ['&#150;', '\u2013'],
    ['&#x2019;', '\u2019'],
    ['&#0;', ''],
    ['&#xD800;', ''],
    ['&amp;', '&'],
    ['&unknownentity;', '&unknownentity;'],
  ])('%s in a title reads as %j', async (reference, text) => {
    const feed = await parseText(rss(`<item><title>[${reference}]</title></item>`));
    // RawItem text reads as HTML: a title without markup comes escaped where HTML needs it.
    const unescaped = (feed.items[0]?.title ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(unescaped).toBe(`[${text}]`);
  });

  it.each([
    ['x < y', 'x &lt; y'],
    ['I <3 models', 'I &lt;3 models'],
    ['a <= b', 'a &lt;= b'],
    ['arrows <- and <<', 'arrows &lt;- and &lt;&lt;'],
  ])('escapes a < that cannot begin a tag (%s) instead of failing the feed', async (title, expected) => {
    const feed = await parseText(rss(`<item><title>${title}</title><description><![CDATA[kept < as is]]></description></item><item><title>next</title></item>`));
    expect(feed.items.map((item) => item.title)).toEqual([expected, 'next']);
    expect(feed.items[0]?.summary).toBe('kept < as is');
  });

  it('leaves CDATA sections alone', async () => {
    const feed = await parseText(rss('<item><description><![CDATA[<p>a&nbsp;b & c</p>]]></description></item>'));
    expect(feed.items[0]?.summary).toBe('<p>a&nbsp;b & c</p>');
  });
});

describe('junk around the document', () => {
  it('drops whitespace and a server warning before <?xml, and junk after the root', async () => {
    const body = `\n\n  <br />\n<b>Warning</b>: something in <b>/feed.php</b><br />\n${rss('<item><title>x</title></item>')}\n<!-- 0.2s -->garbage`;
    const feed = await parseText(body);
    expect(feed.items.map((item) => item.title)).toEqual(['x']);
  });

  it('reads a feed with a leading newline and no declaration', async () => {
    const feed = await parseText('\n\n<rss version="2.0"><channel><title>t</title></channel></rss>');
    expect(feed.title).toBe('t');
  });
});

describe('HTML written raw into RSS fields', () => {
  it('reads fields whose tags are not well-formed XML as the HTML they hold, and keeps every item', async () => {
    const feed = await parseText(
      rss(
        '<item><title>One</title><description>a <br> b <img src="https://i.example/x.png"> c &amp; d</description></item>' +
          '<item><title>Two <b>bold</title><content:encoded><p>para <![CDATA[x]]></content:encoded></item>' +
          '<item><title>Three</title><description>fine</description></item>',
        '<description>Site <b>news</description>',
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      ),
    );
    expect(feed.description).toBe('Site <b>news');
    expect(feed.items.map((item) => [item.title, item.summary, item.content])).toEqual([
      ['One', 'a <br> b <img src="https://i.example/x.png"> c &amp; d', null],
      ['Two <b>bold', null, '<p>para x'],
      ['Three', 'fine', null],
    ]);
  });

  it('reads the items around a break elsewhere, past raw HTML in an earlier item', async () => {
    const feed = await parseText(rss('<item><title>One</title><description>a <br> b</description></item><item><title>Two</title></wrong></item>'));
    expect(feed.items.map((item) => item.title)).toEqual(['One', 'Two']);
    expect(feed.items[0]?.summary).toBe('a <br> b');
  });
});

describe('truncated XML', () => {
  const full = fixtureBytes('rss2-full.xml').toString('utf8');

  it('keeps the items that were complete before the cut, and the channel fields', async () => {
    const cut = full.slice(0, full.indexOf('Inline <a href'));
    const feed = await parseText(cut);
    expect(feed.title).toBe('Model Weights Weekly');
    expect(feed.items.map((item) => item.guid)).toEqual(['weights-2024-0042']);
    expect(feed.items[0]?.content).toContain('chart.png');
  });

  it('reads the items on both sides of a mismatched tag in the middle', async () => {
    const feed = await parseText(
      rss('<item><title>a</title></item><item><title>b</wrong></item><item><title>c</title></item>'),
    );
    expect(feed.items.map((item) => item.title)).toEqual(['a', 'b', 'c']);
  });

  it('reads the items on both sides of one whose own closing tag is where the parser stopped', async () => {
    // sax stops at the `>` of the second item's `</item>`, which is also where that item ends.
    const feed = await parseText(rss('<item><title>a</title></item><item><title>b</item><item><title>c</title></item>'));
    expect(feed.items.map((item) => item.title)).toEqual(['a', 'b', 'c']);
  });

  it('recovers truncated Atom the same way', async () => {
    const text = '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>1</id></entry><entry><id>2</id><title>cut he';
    const feed = await parseText(text);
    expect(feed.items.map((item) => item.guid)).toEqual(['1']);
  });

  it('fails with parse_error when no item was complete', async () => {
    const cut = full.slice(0, full.indexOf('<enclosure'));
    const error = await parseFeedText(cut).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ code: 'parse_error' });
    expect((error as ParseError).message).toMatch(/^rss: unable to parse feed: /);
  });

  it('quotes the text before the place the parser stopped, on one line', async () => {
    const text = '\n\n<rss version="2.0"><channel>\n\t<title>t</wrong></channel></rss>';
    const error = (await parseFeedText(text).catch((caught: unknown) => caught)) as ParseError;
    expect(error.code).toBe('parse_error');
    // The last 40 characters before the stop, their newline and tab folded into one space.
    expect(error.message).toBe('rss: unable to parse feed: Unexpected close tag after "ersion="2.0"><channel> <title>t</wrong>"');
  });

  it('quotes no half of a surrogate pair', async () => {
    // The 40 UTF-16 units before the stop are `</wrongs>` and 31 of the 40 halves of the emoji.
    const text = `<rss version="2.0"><channel><title>${'😀'.repeat(20)}</wrongs></channel></rss>`;
    const message = ((await parseFeedText(text).catch((caught: unknown) => caught)) as ParseError).message;
    expect(message).toBe(`rss: unable to parse feed: Unexpected close tag after "${'😀'.repeat(15)}</wrongs>"`);
  });
});
