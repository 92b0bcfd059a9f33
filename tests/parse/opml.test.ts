/**
 * Reading OPML subscription lists: feeds at any depth of folders, title or
 * text, the web page, attribute names in any case, the document's charset;
 * null for anything that is not OPML; byline's own /opml.xml read back; and
 * the W3C feed validator's OPML test cases in the shared corpus (skipped, with
 * the reason in the suite name, when the corpus is not there).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseOpml } from '../../src/parse/index.js';
import { renderOpml } from '../../src/render/opml.js';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text));

describe('parseOpml', () => {
  it('lists every feed outline in document order, inside folders or not', () => {
    const opml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a reader -->
<opml version="1.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="Labs" title="Labs">
      <outline type="rss" text="Lab One" title="Lab One &amp; Co" xmlUrl="https://one.example/feed.xml" htmlUrl="https://one.example/"/>
      <outline text="Nested">
        <outline type="rss" text="  Lab Two  " xmlUrl=" https://two.example/rss " />
      </outline>
    </outline>
    <outline type="link" text="Not a feed" url="https://link.example/"/>
    <outline TEXT="Upper" XMLURL="https://three.example/atom" HTMLURL="https://three.example/"></outline>
    <outline xmlUrl="https://four.example/feed"/>
  </body>
</opml>`;
    expect(parseOpml(bytes(opml))).toEqual([
      { title: 'Lab One & Co', xmlUrl: 'https://one.example/feed.xml', htmlUrl: 'https://one.example/' },
      { title: 'Lab Two', xmlUrl: 'https://two.example/rss', htmlUrl: null },
      { title: 'Upper', xmlUrl: 'https://three.example/atom', htmlUrl: 'https://three.example/' },
      { title: '', xmlUrl: 'https://four.example/feed', htmlUrl: null },
    ]);
  });

  it("reads HTML's named references in titles, as exporters copy them from web pages", () => {
    const opml = `<opml version="2.0"><body>
      <outline text="Caf&eacute; &amp; Cr&egrave;me&nbsp;" xmlUrl="https://cafe.example/rss?a=1&amp;b=2"/>
      <outline title="Lab&rsquo;s notes &hellip;" text="ignored" xmlUrl="https://lab.example/feed"/>
    </body></opml>`;
    expect(parseOpml(bytes(opml))).toEqual([
      { title: 'Café & Crème', xmlUrl: 'https://cafe.example/rss?a=1&b=2', htmlUrl: null },
      { title: 'Lab’s notes …', xmlUrl: 'https://lab.example/feed', htmlUrl: null },
    ]);
  });

  it('decodes the charset the document declares', () => {
    const opml = '<?xml version="1.0" encoding="GBK"?><opml version="2.0"><body><outline text="机器之心" xmlUrl="https://www.jiqizhixin.com/rss"/></body></opml>';
    expect(parseOpml(new Uint8Array(iconv.encode(opml, 'gbk')))).toEqual([{ title: '机器之心', xmlUrl: 'https://www.jiqizhixin.com/rss', htmlUrl: null }]);
  });

  it('is null for what is not OPML', () => {
    expect(parseOpml(bytes(''))).toBeNull();
    expect(parseOpml(bytes('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'))).toBeNull();
    expect(parseOpml(bytes('<!DOCTYPE html><html><body><outline xmlUrl="https://a.example/"/></body></html>'))).toBeNull();
    expect(parseOpml(bytes('sources:\n  - id: a\n'))).toBeNull();
  });

  it('is null for a list cut short, reads nothing past its end, and reads an empty one', () => {
    const outline = '<outline text="A" xmlUrl="https://a.example/feed"/>';
    expect(parseOpml(bytes(`<opml version="2.0"><body>${outline}<outline text="B" xmlUrl="https://b.exa`))).toBeNull();
    expect(parseOpml(bytes(`<opml version="2.0"><body>${outline}</body>`))).toBeNull();
    expect(parseOpml(bytes(`<opml version="2.0"><body>${outline}</body></opml><outline text="C" xmlUrl="https://c.example/feed"/>`))).toEqual([
      { title: 'A', xmlUrl: 'https://a.example/feed', htmlUrl: null },
    ]);
    expect(parseOpml(bytes('<opml version="2.0"/>'))).toEqual([]);
  });

  it('reads back the subscription list byline publishes', () => {
    const sources = [
      { id: 'one', name: 'Lab <One> & "Co"', url: 'https://one.example/feed.xml?a=1&b=2', site: 'https://one.example/' },
      { id: 'two', name: '机器之心', url: 'https://www.jiqizhixin.com/rss' },
      { id: 'local', name: 'Local', url: 'file:///srv/feeds/local.xml' },
    ];
    expect(parseOpml(bytes(renderOpml('Byline sources', sources)))).toEqual([
      { title: 'Lab <One> & "Co"', xmlUrl: 'https://one.example/feed.xml?a=1&b=2', htmlUrl: 'https://one.example/' },
      { title: '机器之心', xmlUrl: 'https://www.jiqizhixin.com/rss', htmlUrl: null },
    ]);
  });
});

const VALIDATOR_CASES = path.resolve(import.meta.dirname, '../../../shared/corpus/w3c-feedvalidator/testcases/opml');
const present = existsSync(VALIDATOR_CASES);

describe.skipIf(!present)(`the W3C feed validator's OPML test cases${present ? '' : ` (skipped: ${VALIDATOR_CASES} not found)`}`, () => {
  const read = (file: string): ReturnType<typeof parseOpml> => parseOpml(readFileSync(path.join(VALIDATOR_CASES, file)));

  it('reads every case, valid or not, without throwing, and finds only feeds with a URL', () => {
    const files = ['clean', 'errors'].flatMap((dir) => readdirSync(path.join(VALIDATOR_CASES, dir)).map((name) => path.join(dir, name)));
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) for (const feed of read(file) ?? []) expect(feed.xmlUrl, file).toMatch(/^https?:\/\/\S+$/);
  });

  it('lists the feeds of the subscription list, and accepts the pre-1.0 root', () => {
    const feeds = read('clean/subscriptionList.opml');
    expect(feeds).toHaveLength(13);
    expect(feeds?.[0]).toEqual({ title: 'CNET News.com', xmlUrl: 'http://news.com.com/2547-1_3-0-5.xml', htmlUrl: 'http://news.com.com/' });
    expect(read('clean/outlineDocument.opml')).toEqual([]);
    expect(read('errors/missingOpml.opml')).toBeNull();
  });
});
