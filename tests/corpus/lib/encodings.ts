/**
 * The charset cases of the corpus: feedparser's encoding tests (and its
 * chardet cases: no declaration, bytes not UTF-8), miniflux's encoding test
 * data and miniflux's legacy-charset parser captures. Each case states or
 * implies its charset; byline must decode the bytes to exactly the text that
 * charset gives (the XML declaration's encoding aside: byline drops it from
 * text it decoded itself), and to the exact strings the case names. The
 * reference decoding uses iconv-lite directly, with the WHATWG label mapping
 * (ISO-8859-1 and US-ASCII mean windows-1252, GB2312 means GBK).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { normalizeFeed, htmlToText } from '../../../src/normalize/index.js';
import { decodeFeedBytes, parseFeedText } from '../../../src/parse/index.js';
import { corpusPath } from './corpus.js';
import { CORPUS_NOW, corpusSource } from './pipeline.js';

/** A string the case says the document holds: where byline must find it. */
export interface ExpectedText {
  where: 'feed title' | 'first item title' | 'first item text';
  value: string;
}

/** One charset case: the file, the charset it states or implies, and strings it names. */
export interface EncodingCase {
  /** Corpus-relative path. */
  file: string;
  /** The charset the case states or implies; null when it states none (a "bozo" case: byline must only cope). */
  charset: string | null;
  contentType: string | null;
  texts: ExpectedText[];
}

/** What byline made of one case: its charset, and every way it fell short. */
export interface EncodingOutcome {
  file: string;
  expected: string | null;
  ours: string | null;
  problems: string[];
}

/** Strings the cases state (their Expect lines, or the miniflux tests' assertions on these files). */
const STATED_TEXTS: Readonly<Record<string, ExpectedText[]>> = {
  'feedparser/tests/encoding/euc-kr.xml': [{ where: 'feed title', value: '\ub144' }],
  'feedparser/tests/encoding/euc-kr-item.xml': [{ where: 'first item text', value: '\ub144' }],
  'feedparser/tests/encoding/demoronize-1.xml': [{ where: 'first item text', value: 'don\u2019t' }],
  'feedparser/tests/encoding/demoronize-2.xml': [{ where: 'first item text', value: 'don\u2019t' }],
  'feedparser/tests/encoding/demoronize-3.xml': [{ where: 'first item text', value: 'don\u2019t' }],
  'feedparser/tests/encoding/double-encoded-html.xml': [{ where: 'first item text', value: '\u2026' }],
  'feedparser/tests/encoding/bozo_double-encoded-html.xml': [{ where: 'first item text', value: '\u2026' }],
  'feedparser/tests/encoding/http_text_xml_charset_2.xml': [{ where: 'first item text', value: 'This is a \u00a3\u201ctest.\u201d' }],
  'feedparser/tests/encoding/http_text_xml_charset_overrides_encoding_2.xml': [
    { where: 'first item text', value: 'This is a \u00a3\u201ctest.\u201d' },
  ],
  'miniflux/internal/reader/encoding/testdata/invalid-prolog.xml': [
    { where: 'feed title', value: '테스트 피드' },
    { where: 'first item title', value: 'Café' },
  ],
  'miniflux/internal/reader/encoding/testdata/utf8.xml': [
    { where: 'feed title', value: '테스트 피드' },
    { where: 'first item title', value: 'Café' },
  ],
  'miniflux/internal/reader/encoding/testdata/utf8-incorrect-prolog.xml': [
    { where: 'feed title', value: '테스트 피드' },
    { where: 'first item title', value: 'Café' },
  ],
  'miniflux/internal/reader/encoding/testdata/iso-8859-1.xml': [{ where: 'feed title', value: 'Café' }],
  'miniflux/internal/reader/encoding/testdata/koi8r.xml': [
    { where: 'feed title', value: 'Пример RSS ленты' },
    { where: 'first item title', value: 'Первая новость' },
  ],
  'miniflux/internal/reader/encoding/testdata/windows-1252.xml': [{ where: 'feed title', value: 'Euro €' }],
  'miniflux/internal/reader/encoding/testdata/windows-1252-incorrect-prolog.xml': [{ where: 'feed title', value: 'Euro €' }],
};

/** Charsets the miniflux files' names promise (the byte content decides, whatever the prolog says). */
const MINIFLUX_CHARSETS: Readonly<Record<string, string>> = {
  'invalid-prolog.xml': 'utf-8',
  'iso-8859-1.xml': 'iso-8859-1',
  'koi8r.xml': 'koi8-r',
  'utf8.xml': 'utf-8',
  'utf8-incorrect-prolog.xml': 'utf-8',
  'windows-1252.xml': 'windows-1252',
  'windows-1252-incorrect-prolog.xml': 'utf-8',
  'encoding_ISO-8859-1.xml': 'iso-8859-1',
  'encoding_WINDOWS-1251.xml': 'windows-1251',
  'no_encoding_ISO-8859-1.xml': 'iso-8859-1',
};

/** Labels as iconv-lite knows them, after the WHATWG mapping of the legacy ones. */
function referenceCodec(label: string): string {
  const name = label.trim().toLowerCase();
  if (['iso-8859-1', 'us-ascii', 'latin1', 'ascii'].includes(name)) return 'windows-1252';
  if (name === 'gb2312') return 'gbk';
  return name;
}

/** The comment of a feedparser case, read whatever its encoding (the test files are ASCII or UTF-16/32). */
function caseComment(bytes: Buffer): string {
  const [b0, b1, b2, b3] = bytes;
  let codec = 'latin1';
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0)) codec = 'utf-32le';
  else if ((b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff) || (b0 === 0 && b1 === 0 && b2 === 0 && b3 !== 0)) codec = 'utf-32be';
  else if ((b0 === 0xff && b1 === 0xfe) || (b0 !== 0 && b1 === 0)) codec = 'utf-16le';
  else if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0 && b1 !== 0)) codec = 'utf-16be';
  const text = iconv.decode(bytes, codec);
  return /<!--([\s\S]*?)-->/.exec(text)?.[1] ?? '';
}

function feedparserCase(file: string): EncodingCase {
  const comment = caseComment(readFileSync(corpusPath(file)));
  const stated = /\bencoding\s*==\s*'([^']+)'/.exec(comment)?.[1] ?? null;
  const contentType = /Header:\s*Content-type:\s*(.*)/i.exec(comment)?.[1]?.trim() ?? null;
  const expect = /Expect:\s*([\s\S]*)$/.exec(comment)?.[1]?.trim() ?? '';
  const texts = STATED_TEXTS[file] ?? [];
  // A case whose expectation is only "bozo" (or "1") states no charset: byline must cope, nothing more.
  const statesNothing = texts.length === 0 && /^(?:bozo|1)$/.test(expect);
  const charset = stated ?? (statesNothing ? null : declaredCharset(file, contentType));
  return { file, charset, contentType, texts };
}

/** The charset a document declares (HTTP header, then XML declaration), else UTF-8. */
function declaredCharset(file: string, contentType: string | null): string {
  const header = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  const prolog = readFileSync(corpusPath(file)).subarray(0, 200).toString('latin1');
  return header ?? /encoding\s*=\s*["']([\w.:-]+)/.exec(prolog)?.[1] ?? 'utf-8';
}

function listXml(folder: string): string[] {
  return readdirSync(corpusPath(folder))
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => path.join(folder, name));
}

/** Every charset case the corpus holds. */
export function encodingCases(): EncodingCase[] {
  const feedparser = [...listXml('feedparser/tests/encoding'), ...listXml('feedparser/tests/illformed/chardet')];
  const miniflux = [
    ...listXml('miniflux/internal/reader/encoding/testdata'),
    ...['encoding_ISO-8859-1.xml', 'encoding_WINDOWS-1251.xml', 'no_encoding_ISO-8859-1.xml'].map((name) =>
      path.join('miniflux/internal/reader/parser/testdata', name),
    ),
  ];
  return [
    ...feedparser.map(feedparserCase),
    ...miniflux.map((file) => ({
      file,
      charset: MINIFLUX_CHARSETS[path.basename(file)] ?? 'utf-8',
      contentType: null,
      texts: STATED_TEXTS[file] ?? [],
    })),
  ];
}

/** Text with a leading BOM and the XML declaration's encoding pseudo-attribute removed. */
function withoutPrologEncoding(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*(?:"[^"]*"|'[^']*')/, '$1');
}

function withoutBom(bytes: Buffer): Buffer {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe)) {
    return bytes.subarray(4);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return bytes.subarray(2);
  return bytes;
}

async function foundTexts(text: string, contentType: string | null): Promise<Record<ExpectedText['where'], string>> {
  const raw = await parseFeedText(text, { contentType });
  const feedUrl = 'https://corpus.invalid/feed.xml';
  const [first] = normalizeFeed({ ...raw, items: raw.items.slice(0, 1) }, { source: corpusSource(feedUrl), feedUrl, now: CORPUS_NOW });
  return {
    'feed title': raw.title === null ? '' : htmlToText(raw.title),
    'first item title': first?.article.title ?? '',
    'first item text': first ? htmlToText(first.article.contentHtml) : '',
  };
}

/** Runs one case: the problems found (none when byline decodes it right). */
export async function runEncodingCase(testCase: EncodingCase): Promise<EncodingOutcome> {
  const bytes = readFileSync(corpusPath(testCase.file));
  const problems: string[] = [];
  let ours: string | null = null;
  try {
    const decoded = decodeFeedBytes(bytes, testCase.contentType);
    ours = decoded.encoding;
    if (testCase.charset !== null) {
      const reference = iconv.decode(withoutBom(bytes), referenceCodec(testCase.charset));
      if (withoutPrologEncoding(decoded.text) !== withoutPrologEncoding(reference)) {
        problems.push(`decoded as ${decoded.encoding}, which does not give the ${testCase.charset} text`);
      }
    }
    if (testCase.texts.length > 0) {
      const found = await foundTexts(decoded.text, testCase.contentType);
      for (const expected of testCase.texts) {
        if (found[expected.where] !== expected.value) problems.push(`${expected.where}: ${JSON.stringify(found[expected.where])}, expected ${JSON.stringify(expected.value)}`);
      }
    }
  } catch (error) {
    problems.push(`threw ${String(error)}`);
  }
  return { file: testCase.file, expected: testCase.charset, ours, problems };
}

/** Runs every case. */
export async function runEncodingCases(): Promise<EncodingOutcome[]> {
  const outcomes: EncodingOutcome[] = [];
  for (const testCase of encodingCases()) outcomes.push(await runEncodingCase(testCase));
  return outcomes;
}
