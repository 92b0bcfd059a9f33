/**
 * The parse stage skips work a cheap check shows to be unneeded (reference
 * repair, character repair, name processors, the document outline, rss-parser's
 * own per-item mapping). These tests pin that each shortcut is taken only
 * where the full work would have changed nothing.
 */
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { createNameMapper } from '../../src/parse/names.js';
import { NodeParser } from '../../src/parse/node-parser.js';
import { needsReferenceRepair, repairReferences, stripForbiddenChars } from '../../src/parse/repair.js';
import { atom, parseText, rss } from './helpers.js';

/** A small seeded generator, so the property checks see the same strings on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** Strings assembled from pieces chosen to hit every branch of the reference and character repairs. */
function randomDocuments(count: number, pieces: readonly string[], seed: number): string[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    let text = '';
    const length = 1 + Math.floor(random() * 10);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
    return text;
  });
}

describe('reference repair shortcut', () => {
  it.each([
    ['predefined entities and plain decimal references', 'a &amp; b &lt;p&gt; &quot;&apos; &#8217; &#38;', false],
    ['no ampersand at all', '<rss><channel><title>T</title></channel></rss>', false],
    ['HTML names inside CDATA, comments and PIs', '<![CDATA[&nbsp;]]><!-- &mdash; --><?pi &x; ?>', false],
    ['an unterminated CDATA section (left alone to the end)', 'x <![CDATA[ &nbsp; & more', false],
    ['a bare ampersand', 'AT&T', true],
    ['an HTML named reference', 'a&nbsp;b', true],
    ['a decimal reference with a leading zero (rewritten without it)', 'it&#039;s', true],
    ['a hexadecimal reference (rewritten in decimal)', '&#x2019;', true],
    ['a windows-1252 range reference', '&#150;', true],
    ['an undefined windows-1252 byte (may be UTF-8 spelled out)', '&#194;&#129;', true],
    ['a reference to a forbidden character', '&#11;', true],
    ['a reference beyond Unicode', '&#1114112;', true],
    ['an HTML name after a CDATA section', '<![CDATA[x]]>&hellip;', true],
  ])('%s: needs repair = %s', (_name, text, expected) => {
    expect(needsReferenceRepair(text)).toBe(expected);
  });

  it('is only skipped where the repair would return the text unchanged', () => {
    const pieces = [
      '&', '&amp;', '&lt;', '&quot;', '&#38;', '&#65;', '&#065;', '&#8217;', '&#150;', '&#129;', '&#194;', '&#x41;',
      '&#1114111;', '&#1114112;', '&#11;', '&nbsp;', '&acirc;', '&brvbar;', '&foo;', '&#;', 'text', ' ', '<![CDATA[',
      ']]>', '<!--', '-->', '<?', '?>', '<p>',
    ];
    const documents = randomDocuments(20_000, pieces, 20261126);
    for (const text of documents) {
      if (!needsReferenceRepair(text)) expect(repairReferences(text)).toBe(text);
    }
    // The generator reaches both sides of the check.
    expect(documents.filter((text) => needsReferenceRepair(text)).length).toBeGreaterThan(1000);
    expect(documents.filter((text) => !needsReferenceRepair(text)).length).toBeGreaterThan(1000);
  });

  it('still rewrites what a feed needs rewritten in inline markup', async () => {
    const feed = await parseText(rss('<item><title>a</title><description><p>it&#039;s &#8217;</p></description></item>'));
    expect(feed.items[0]?.summary).toBe('<p>it&#39;s &#8217;</p>');
  });
});

describe('character repair shortcut', () => {
  const forbidden = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
  const surrogates = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g;

  it('strips exactly the characters XML forbids, whichever steps the scan skips', () => {
    const pieces = ['a', 'é', '\u0001', '\u000b', '\t', '\n', '\uFFFE', '\uFFFF', '\uD83D\uDE00', '\uD800', '\uDC00', '\u0085', '€'];
    for (const text of randomDocuments(20_000, pieces, 7)) {
      const expected = text.replace(forbidden, '').replace(surrogates, (match) => (match.length === 2 ? match : ''));
      expect(stripForbiddenChars(text)).toBe(expected);
    }
  });

  it.each([
    ['a C1 control alone (read as windows-1252)', '\u0096', '\u2013'],
    ['a C1 control beside an emoji', '\u0093😀\u0094', '\u201c😀\u201d'],
    ['a forbidden control beside an emoji', '😀\u0001', '😀'],
  ])('repairs %s', async (_name, dirty, clean) => {
    const feed = await parseText(rss(`<item><title>${dirty}</title></item>`));
    expect(feed.items[0]?.title).toBe(clean);
  });
});

describe('name processors', () => {
  it.each([
    ['no prefixes', new Map<string, string>(), false],
    ['the usual prefixes', new Map([['dc', 'http://purl.org/dc/elements/1.1/'], ['media', 'http://search.yahoo.com/mrss/']]), false],
    ['an unknown namespace', new Map([['foo', 'https://example.com/ns']]), false],
    ['the usual prefix on another namespace', new Map([['media', 'https://example.com/not-media']]), false],
    ['a different prefix for Media RSS', new Map([['mrss', 'http://search.yahoo.com/mrss/']]), true],
    ['a prefix for the RSS 1.0 namespace outside RSS 1.0', new Map([['rss', 'http://purl.org/rss/1.0/']]), false],
  ])('an RSS document with %s renames: %s', (_name, namespaces, renames) => {
    const mapper = createNameMapper('rss', namespaces);
    expect(mapper.renames).toBe(renames);
    for (const [prefix] of namespaces) {
      if (!renames) expect(mapper.element(`${prefix}:content`)).toBe(`${prefix}:content`);
    }
  });

  it('renames in a prefixed Atom feed, and not in one using the default namespace', () => {
    expect(createNameMapper('atom', new Map([['atom', 'http://www.w3.org/2005/Atom']])).renames).toBe(true);
    expect(createNameMapper('atom', new Map([['', 'http://www.w3.org/2005/Atom']])).renames).toBe(false);
    const mapper = createNameMapper('atom', new Map([['atom', 'http://www.w3.org/2005/Atom'], ['', 'http://www.w3.org/2005/Atom']]));
    expect([mapper.element('atom:entry'), mapper.attribute('xml:base'), mapper.element('entry')]).toEqual(['entry', 'xml:base', 'entry']);
  });
});

describe('rss-parser asked for nodes only (NodeParser)', () => {
  it('hands back the RSS channel and its items as xml2js nodes', async () => {
    const parsed = await new NodeParser({ defaultRSS: 2 }).parseNodes(rss('<item><title>a</title></item><item><title>b</title></item>'));
    expect(parsed.items).toEqual([{ title: ['a'] }, { title: ['b'] }]);
    expect(parsed.channel).toMatchObject({ title: ['T'] });
  });

  it('hands back RSS 1.0 items (outside the channel) and Atom entries', async () => {
    const rdf =
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>T</title></channel><item><title>a</title></item></rdf:RDF>';
    expect((await new NodeParser().parseNodes(rdf)).items).toEqual([{ title: ['a'] }]);
    const feed = await new NodeParser().parseNodes(atom('<entry><title>a</title></entry>'));
    expect(feed.items).toEqual([{ title: ['a'] }]);
  });

  it('still rejects a root rss-parser does not recognise, or an RSS root without a channel', async () => {
    await expect(new NodeParser().parseNodes('<html><body/></html>')).rejects.toThrow();
    await expect(new NodeParser({ defaultRSS: 2 }).parseNodes('<rss version="2.0"></rss>')).rejects.toThrow();
  });

  it('reads an Atom feed with an empty (whitespace-only) entry instead of failing the whole feed', async () => {
    const feed = await parseText(atom('<entry>\n</entry><entry><title>kept</title><id>urn:b</id></entry>'));
    expect(feed.items.map((item) => [item.title, item.guid])).toEqual([
      [null, null],
      ['kept', 'urn:b'],
    ]);
  });
});

describe('outline read on demand', () => {
  it('finds the raw markup of the one item that has inline HTML, by its index', async () => {
    const items = ['<item><title>one</title><description>plain</description></item>'];
    items.push('<item><title>two</title><description>a <b>bold</b> move</description></item>');
    items.push('<item><title>three</title><description>&lt;i&gt;escaped&lt;/i&gt;</description></item>');
    const feed = await parseText(rss(items.join('')));
    expect(feed.items.map((item) => item.summary)).toEqual(['plain', 'a <b>bold</b> move', '<i>escaped</i>']);
  });

  it('reads xml:base set on a later item only, and leaves the others without a base', async () => {
    const feed = await parseText(
      rss('<item><title>a</title></item><item xml:base="https://b.example/dir/"><title>b</title></item>'),
    );
    expect(feed.items.map((item) => item.base)).toEqual([null, 'https://b.example/dir/']);
    expect(feed.base).toBeNull();
  });

  it('still wraps items of an <rss> without a channel and reports a feed broken beyond repair', async () => {
    const feed = await parseText('<rss version="0.91"><item><title>a</title></item></rss>');
    expect(feed.items.map((item) => item.title)).toEqual(['a']);
    await expect(parseText('<rss version="2.0"><channel><title>T</title><item><title>a</title>')).rejects.toBeInstanceOf(ParseError);
  });
});
