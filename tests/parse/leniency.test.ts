/**
 * What a lenient reader makes of feeds that bend the formats, as feedparser's
 * suite and real feeds exercise them: DTD-declared entities, mojibake, RSS
 * without a channel, HTML doctypes on feeds, alternative RSS elements for
 * authors, dates and full text, and Atom's base64 and TypePad constructs.
 */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { decodeFeedBytes, parseFeedText } from '../../src/parse/index.js';
import { atom, parseText, rss } from './helpers.js';

describe('entities declared in the internal DTD subset', () => {
  it('replaces references to them with their text', async () => {
    const feed = await parseText(
      '<!DOCTYPE rss [\n  <!ENTITY id "tag:example.com,">\n  <!ENTITY who \'Ann &amp; Bob\'>\n]>' +
        '<rss version="2.0"><channel><item><guid isPermaLink="false">&id;2006:/blog/</guid><title>&who;</title></item></channel></rss>',
    );
    expect(feed.items[0]).toMatchObject({ guid: 'tag:example.com,2006:/blog/', title: 'Ann &amp; Bob' });
  });

  it('does not expand references inside a value again (no exponential growth)', async () => {
    const feed = await parseText(
      '<!DOCTYPE rss [<!ENTITY a "xxxxxxxxxx"><!ENTITY b "&a;&a;&a;&a;&a;">]>' +
        '<rss version="2.0"><channel><item><title>&b;</title></item></channel></rss>',
    );
    // The value's own references stay text: `&a;` five times, never fifty x.
    expect(feed.items[0]?.title).toBe('&a;&a;&a;&a;&a;');
  });

  it('refuses a document whose entity references would grow it hundreds of times over', async () => {
    // 1 KiB behind a four-byte reference: 300 KB of `&a;` would read as 100 MB of text.
    const text =
      `<!DOCTYPE rss [<!ENTITY a "${'x'.repeat(1000)}">]>` +
      `<rss version="2.0"><channel><item><title>t</title><description>${'&a;'.repeat(100_000)}</description></item></channel></rss>`;
    const error = await parseFeedText(text).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ code: 'parse_error' });
    expect((error as Error).message).toMatch(/entity "a" declared in the DOCTYPE/);
  });

  it('still expands an entity used often in a document of ordinary size', async () => {
    const feed = await parseText(
      `<!DOCTYPE rss [<!ENTITY a "${'x'.repeat(1000)}">]>` +
        `<rss version="2.0"><channel><item><title>t</title><description>${'&a;'.repeat(1000)}</description></item></channel></rss>`,
    );
    expect(feed.items[0]?.summary).toHaveLength(1_000_000);
  });

  it('ignores external and parameter entities', async () => {
    const feed = await parseText(
      '<!DOCTYPE rss [<!ENTITY ext SYSTEM "file:///etc/passwd"><!ENTITY % p "x">]>' +
        '<rss version="2.0"><channel><item><title>[&ext;]</title></item></channel></rss>',
    );
    expect(feed.items[0]?.title).toBe('[&ext;]');
  });
});

describe('mojibake that can be undone', () => {
  it.each([
    ['C1 characters read as windows-1252', 'don\u0092t \u0093quoted\u0094', 'don\u2019t \u201cquoted\u201d'],
    ['numeric references spelling UTF-8 bytes', '&#226;&#128;&#166;', '\u2026'],
    ['named and numeric references spelling UTF-8 bytes', '&acirc;&#128;&brvbar;', '\u2026'],
    ['hex references spelling UTF-8 bytes', 'it&#xe2;&#x80;&#x99;s', 'it\u2019s'],
  ])('%s', async (_name, title, expected) => {
    const feed = await parseText(rss(`<item><title>${title}</title></item>`));
    expect(feed.items[0]?.title).toBe(expected);
  });

  it('leaves Latin-1 references that are not UTF-8 bytes alone', async () => {
    const feed = await parseText(rss('<item><title>caf&#233; &#169; &#195;&#169;</title></item>'));
    expect(feed.items[0]?.title).toBe('café © Ã©');
  });
});

describe('structure', () => {
  it('reads items of an <rss> without a <channel>', async () => {
    const feed = await parseText('<rss><item><title>Lone</title><link>https://x.example/1</link></item></rss>');
    expect(feed.items.map((item) => item.title)).toEqual(['Lone']);
  });

  it.each([
    ['as read in one pass', ''],
    ['as read by rss-parser (a DTD subset)', '<!DOCTYPE rss [<!ENTITY co "Co">]>'],
  ])('reads items written after an <rss> channel closed too early, %s', async (_how, doctype) => {
    const feed = await parseText(
      `${doctype}<rss version="2.0"><channel><title>T</title><item><title>Inside</title></item></channel>` +
        '<item><title>Outside</title><link>p/1</link><description><![CDATA[<p>One</p>]]></description></item>' +
        '<item xml:base="https://x.example/b/"><title>Base</title><description>Two <b>bold</b></description></item></rss>',
    );
    expect(feed.items.map((item) => [item.title, item.link, item.base, item.summary])).toEqual([
      ['Inside', null, null, null],
      ['Outside', 'p/1', null, '<p>One</p>'],
      ['Base', null, 'https://x.example/b/', 'Two <b>bold</b>'],
    ]);
  });

  it('reads a feed that carries an HTML DOCTYPE', async () => {
    const feed = await parseText(
      '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x"><rss><channel><title>found</title></channel></rss>',
    );
    expect(feed.title).toBe('found');
  });

  it('still rejects an HTML page', async () => {
    await expect(parseFeedText('<!DOCTYPE html><html><body><p>hi</p></body></html>')).rejects.toBeInstanceOf(ParseError);
  });
});

describe('RSS elements beyond the core', () => {
  it('reads dc:author, and dc:date as both dates when nothing more precise is given', async () => {
    const feed = await parseText(
      rss('<item><dc:author>Ann</dc:author><dc:date>2003-12-31T10:14:55Z</dc:date></item>', '', ' xmlns:dc="http://purl.org/dc/elements/1.1/"'),
    );
    expect(feed.items[0]).toMatchObject({ authors: ['Ann'], published: '2003-12-31T10:14:55Z', updated: '2003-12-31T10:14:55Z' });
  });

  it.each([
    ['an XHTML body', '<body xmlns="http://www.w3.org/1999/xhtml"><p>Full <b>text</b></p></body>', '<p>Full <b>text</b></p>'],
    ['a prefixed xhtml:body', '<xhtml:body xmlns:xhtml="http://www.w3.org/1999/xhtml"><p>Full</p></xhtml:body>', '<p>Full</p>'],
    ['a <fullitem>', '<fullitem>&lt;p&gt;Full&lt;/p&gt;</fullitem>', '<p>Full</p>'],
  ])('takes %s as the full content', async (_name, element, content) => {
    const feed = await parseText(rss(`<item><description>Short</description>${element}</item>`));
    expect(feed.items[0]).toMatchObject({ summary: 'Short', content });
  });

  it('takes a non-RSS <summary> as the summary, or as content beside a description', async () => {
    const alone = await parseText(rss('<item><summary>Only</summary></item>'));
    expect(alone.items[0]).toMatchObject({ summary: 'Only', content: null });
    const beside = await parseText(rss('<item><description>Desc</description><summary>More</summary></item>'));
    expect(beside.items[0]).toMatchObject({ summary: 'Desc', content: 'More' });
  });
});

describe('Atom text constructs', () => {
  it.each([
    ['a non-text media type (RFC 4287 4.1.3.3)', '<content type="application/octet-stream">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</content>', 'Example <b>Atom</b>'],
    ['Atom 0.3 mode="base64" without a type', '<content mode="base64">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</content>', 'Example <b>Atom</b>'],
    [
      'type="html" wrapping escaped HTML in an XHTML div (TypePad)',
      '<content type="html"><div xmlns="http://www.w3.org/1999/xhtml">Example &lt;b&gt;Atom&lt;/b&gt;</div></content>',
      'Example <b>Atom</b>',
    ],
  ])('decodes %s', async (_name, element, content) => {
    const feed = await parseText(atom(`<entry><title>E</title>${element}</entry>`));
    expect(feed.items[0]?.content).toBe(content);
  });

  it("reads an atom:source title written as inline XHTML", async () => {
    const feed = await parseText(
      atom('<entry><title>E</title><source><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Example <b>Atom</b></div></title></source></entry>'),
    );
    expect(feed.items[0]?.upstream?.title).toBe('Example Atom');
  });
});

describe('wide encodings without a BOM', () => {
  it('recognises a UTF-16 JSON Feed by the layout of its opening brace', () => {
    const json = '{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[]}';
    expect(decodeFeedBytes(Buffer.from(json, 'utf16le'))).toEqual({ text: json, encoding: 'utf-16le' });
  });
});
