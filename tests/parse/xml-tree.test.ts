/**
 * The one-pass XML reader against xml2js as rss-parser configures it: wherever
 * the reader answers, its tree must be xml2js's tree (serialized, so key order
 * counts too); where it declines, rss-parser reads the document as before.
 * The table pins which constructs it reads and which it leaves to sax; the
 * corpus part runs every XML document of ../shared/corpus through both after
 * the same repairs parseXmlFeed applies, and checks that the reader answers
 * for nearly all of them (it exists to be the common path).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '../../src/parse/index.js';
import type { NameMapper } from '../../src/parse/names.js';
import { NodeParser } from '../../src/parse/node-parser.js';
import { nodesOfTree } from '../../src/parse/xml-nodes.js';
import { repairXmlText, stripTrailingJunk } from '../../src/parse/repair.js';
import { xmlProlog } from '../../src/parse/xml-outline.js';
import { readXmlTree } from '../../src/parse/xml-tree.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
const present = existsSync(CORPUS);

interface Xml2jsParser {
  parseString(xml: string, callback: (error: unknown, result: unknown) => void): void;
}

/** xml2js's tree, built by the parser rss-parser itself configures (with the document's name processors). */
function xml2jsTree(xml: string, names: NameMapper | null): Promise<{ tree: unknown } | { error: unknown }> {
  const xml2js = names?.renames ? { tagNameProcessors: [names.element], attrNameProcessors: [names.attribute] } : {};
  // NOTE: rss-parser keeps its xml2js parser in an undeclared field; reading it is how the test gets the same configuration.
  const parser = (new Parser({ xml2js }) as unknown as { xmlParser: Xml2jsParser }).xmlParser;
  return new Promise((resolve) => {
    try {
      parser.parseString(xml, (error, tree) => resolve(error ? { error } : { tree }));
    } catch (error) {
      resolve({ error });
    }
  });
}

/** Both readers on one text: the reader's tree (or null) and xml2js's serialized tree (or null on error). */
async function both(xml: string, names: NameMapper | null = null): Promise<{ fast: string | null; reference: string | null }> {
  const tree = readXmlTree(xml, names);
  const reference = await xml2jsTree(xml, names);
  return {
    fast: tree === null ? null : JSON.stringify(tree),
    reference: 'tree' in reference && reference.tree ? JSON.stringify(reference.tree) : null,
  };
}

const rss = (inner: string): string => `<?xml version="1.0"?>\n<rss version="2.0"><channel>${inner}</channel></rss>`;

/** [what, document, whether the reader reads it (else it declines and sax decides)]. */
const CASES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['plain text elements', rss('<title>Hello</title><link>http://a.example/</link>'), true],
  ['indentation between elements', rss('\n  <title>T</title>\n  <item>\n    <title>x</title>\n  </item>\n'), true],
  ['whitespace-only text kept as the element value', rss('<title>   </title><description></description>'), true],
  ['self-closing elements with and without attributes', rss('<a/><b x="1"/><c x="1" />'), true],
  ['attributes in both quotes, spaced around =', rss(`<link href = "h" rel='alternate'>t</link>`), true],
  ['attribute values keep <, > and raw line breaks, as sax does', rss('<link title="a<b>c" rel="x\n\ty"/>'), true],
  ['text and attributes together', rss('<guid isPermaLink="false">id-1</guid>'), true],
  ['repeated children stay in one array', rss('<item><title>1</title></item><item><title>2</title></item>'), true],
  ['mixed text and children', rss('<description>a<b>bold</b>c</description>'), true],
  ['XML references and numeric ones', rss('<title>&lt;b&gt; &amp; &quot;q&quot; &apos; &#65;&#x42;&#x1F600;</title>'), true],
  ['references in attribute values', rss('<link href="http://a.example/?a=1&amp;b=2&#38;c"/>'), true],
  ['CDATA, split text and a comment', rss('<description>a<![CDATA[<p>x</p>]]>b<!-- note -->c</description>'), true],
  ['CDATA holding only whitespace is kept', rss('<description><![CDATA[  ]]></description>'), true],
  ['an empty CDATA section marks nothing', rss('<description><![CDATA[]]></description>'), true],
  ['CDATA ending in brackets', rss('<description><![CDATA[a]]]]></description>'), true],
  ['processing instruction inside the root', rss('<?php echo 1; ?><title>t</title>'), true],
  ['DOCTYPE without internal subset', `<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://x/rss-0.91.dtd">\n<rss version="0.91"><channel><title>t</title></channel></rss>`, true],
  ['comments before the root', '<!-- a --><?xml-stylesheet href="s.xsl"?><rss version="2.0"><channel/></rss>', true],
  ['CR LF line ends and tabs kept', rss('<title>a\r\n\tb</title>'), true],
  ['non-ASCII names and text', rss('<标题>中文</标题><dc:créateur>é</dc:créateur>'), true],
  ['names with dots, dashes and digits', rss('<a.b-c1 x.y-2="v">t</a.b-c1>'), true],
  ['text after the root is ignored, as xml2js does', `${rss('<title>t</title>')}<junk>`, true],
  ['Atom feed', '<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">&lt;b&gt;</title><entry><id>1</id></entry></feed>', true],
  ['element named like xml2js text key', rss('<_>t</_>'), false],
  ['element named cdata', rss('<cdata>t</cdata>'), false],
  ['HTML named reference (sax knows it, the reader does not)', rss('<title>a&nbsp;b</title>'), false],
  ['upper-case XML reference', rss('<title>a&AMP;b</title>'), false],
  ['reference to a character XML forbids', rss('<title>&#1;</title>'), false],
  ['bare ampersand', rss('<title>a & b</title>'), false],
  ['unknown reference', rss('<title>&foo;</title>'), false],
  ['reference named like an Object property', rss('<title>&constructor;&toString;</title>'), false],
  ['DOCTYPE with an internal subset', '<!DOCTYPE rss [<!ENTITY x "y">]><rss version="2.0"><channel><title>&x;</title></channel></rss>', false],
  ['duplicate attribute', rss('<link href="a" href="b"/>'), false],
  ['attributes without whitespace between', rss('<link a="1"b="2"/>'), false],
  ['attribute without value', rss('<link async/>'), false],
  ['unquoted attribute value', rss('<link href=a/>'), false],
  ['mismatched end tag', rss('<title>t</titl>'), false],
  ['unclosed root', '<rss version="2.0"><channel><title>t</title>', false],
  ['stray < in text', rss('<title>a < b</title>'), false],
  ['double hyphen in a comment', rss('<!-- a -- b --><title>t</title>'), false],
  ['comment ending in --->', rss('<!-- a ---><title>t</title>'), false],
  ['text before the root', 'junk<rss version="2.0"><channel/></rss>', false],
  ['name starting with a digit', rss('<1a>t</1a>'), false],
  ['lower-case cdata marker', rss('<title><![cdata[x]]></title>'), false],
];

describe('readXmlTree', () => {
  it.each(CASES)('%s', async (_what, xml, reads) => {
    const { fast, reference } = await both(xml);
    if (reads) {
      expect(fast, 'the reader answers').not.toBeNull();
      expect(fast).toBe(reference);
    } else {
      expect(fast, 'the reader leaves it to sax').toBeNull();
    }
  });

  it('builds objects without a prototype, as xml2js does', () => {
    const tree = readXmlTree(rss('<item><constructor>c</constructor><title x="1">t</title></item>'));
    const channel = ((tree?.['rss'] as Record<string, unknown[]>)['channel'] ?? [])[0] as Record<string, unknown[]>;
    const item = channel['item']?.[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(tree)).toBeNull();
    expect(Object.getPrototypeOf(item)).toBeNull();
    expect(item['constructor']).toEqual(['c']);
    expect(Object.getPrototypeOf((item['title'] as Array<Record<string, unknown>>)[0]?.['$'])).toBeNull();
  });

  it('maps names the way the xml2js name processors would', async () => {
    const xml = '<rss version="2.0" xmlns:mrss="http://search.yahoo.com/mrss/"><channel><item><mrss:content mrss:url="u"/></item></channel></rss>';
    const names = xmlProlog(xml).names;
    expect(names.renames).toBe(true);
    const { fast, reference } = await both(xml, names);
    expect(fast).toContain('"media:content"');
    expect(fast).toBe(reference);
  });
});

describe('nodesOfTree', () => {
  it.each([
    ['RSS 2.0', rss('<title>t</title><item><title>a</title></item>'), 1],
    ['RSS without a version', '<rss><channel><item/><item/></channel></rss>', 2],
    ['RSS 0.91', '<rss version="0.91"><channel><item/></channel></rss>', 1],
    ['RDF with items beside the channel', '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel/><item/><item/></rdf:RDF>', 2],
    ['Atom', '<feed xmlns="http://www.w3.org/2005/Atom"><entry/><entry/><entry/></feed>', 3],
  ])('finds what rss-parser finds: %s', async (_what, xml, count) => {
    const tree = readXmlTree(xml);
    expect(tree).not.toBeNull();
    const nodes = nodesOfTree(tree ?? {});
    const reference = await new NodeParser({ defaultRSS: 2 }).parseNodes(xml);
    expect(nodes?.items).toHaveLength(count);
    expect(JSON.stringify(nodes)).toBe(JSON.stringify(reference));
  });

  it.each([
    ['an RSS root without a channel', '<rss version="2.0"><item/></rss>'],
    ['an empty Atom root', '<feed/>'],
    ['a root rss-parser does not recognise', '<html><body/></html>'],
  ])('answers null where rss-parser rejects: %s', async (_what, xml) => {
    const tree = readXmlTree(xml);
    expect(tree).not.toBeNull();
    expect(nodesOfTree(tree ?? {})).toBeNull();
    await expect(new NodeParser({ defaultRSS: 2 }).parseNodes(xml)).rejects.toThrow();
  });
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** The text and names parseXmlFeed hands to the readers, or null for what is not XML. */
function prepared(bytes: Buffer): { xml: string; names: NameMapper } | null {
  const text = decodeFeedBytes(bytes, null).text.replace(/^[\uFEFF\s]+/, '');
  if (!text.startsWith('<')) return null;
  const repaired = repairXmlText(text);
  const prolog = xmlProlog(repaired);
  const xml = prolog.rootName ? stripTrailingJunk(repaired, prolog.rootName) : repaired;
  return { xml, names: xmlProlog(xml).names };
}

describe.skipIf(!present)(`the corpus through both readers${present ? '' : ` (skipped: ${CORPUS} not found)`}`, () => {
  it('gives xml2js’s tree for every document it reads, and reads nearly all that xml2js reads', async () => {
    const files = filesUnder(CORPUS).filter((file) => /\.(?:xml|rss|atom|rdf)$/.test(file));
    expect(files.length).toBeGreaterThan(1000);
    let xml2jsRead = 0;
    let bothRead = 0;
    const mismatches: string[] = [];
    for (const file of files) {
      const input = prepared(readFileSync(file));
      if (input === null) continue;
      const { fast, reference } = await both(input.xml, input.names);
      if (reference !== null) xml2jsRead++;
      if (fast === null) continue;
      if (fast === reference) bothRead++;
      else mismatches.push(path.relative(CORPUS, file));
    }
    expect(mismatches).toEqual([]);
    expect(bothRead / xml2jsRead).toBeGreaterThan(0.95);
  }, 120_000);
});
