/**
 * The shared real-world corpus (../shared/corpus, beside the project): every
 * feed listed in realworld.tsv parses and yields at least as many items as
 * Python feedparser did, and the encoding test cases decode cleanly. Skipped,
 * with the reason in the suite name, when the corpus is not there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes, parseFeed, parseFeedText } from '../../src/parse/index.js';
import { expectValidRawFeed } from './helpers.js';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
const LISTING = path.join(CORPUS, 'realworld.tsv');
const present = existsSync(LISTING);
const skipped = present ? '' : ` (skipped: ${CORPUS} not found)`;

interface ListedFeed {
  file: string;
  format: string;
  /** Entries Python feedparser found: the `feedparser(version:entries[:bozo])` column. */
  expected: number;
}

/** Rows of realworld.tsv, columns found by the header comment (`# cols: path format …`). */
function listedFeeds(): ListedFeed[] {
  const lines = readFileSync(LISTING, 'utf8').split('\n');
  const header = lines.find((line) => line.startsWith('# cols:'));
  const columns = header?.replace('# cols:', '').trim().split(/\s+/) ?? [];
  const referenceColumn = columns.findIndex((name) => name.startsWith('feedparser('));
  expect(referenceColumn, 'realworld.tsv names a feedparser(version:entries) column').toBeGreaterThan(0);
  return lines
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const cells = line.split('\t');
      const reference = cells[referenceColumn] ?? '';
      return { file: cells[0] ?? '', format: cells[1] ?? '', expected: Number(reference.split(':')[1] ?? 'NaN') };
    });
}

describe.skipIf(!present)(`real-world feeds in realworld.tsv${skipped}`, () => {
  const feeds = present ? listedFeeds() : [];

  it('lists the feeds it claims to', () => {
    expect(feeds.length).toBeGreaterThanOrEqual(40);
    for (const feed of feeds) expect(Number.isInteger(feed.expected), feed.file).toBe(true);
  });

  it.each(feeds.map((feed) => [feed.file, feed] as const))('%s', async (_file, listed) => {
    const { feed, encoding } = await parseFeed(readFileSync(path.join(CORPUS, listed.file)));
    expectValidRawFeed(feed);
    expect(feed.items.length).toBeGreaterThanOrEqual(listed.expected);
    expect(encoding).toMatch(/\S/);
    // Fields are read, not just counted (some real items are empty, so not every one).
    if (feed.items.length > 0) expect(feed.items.some((item) => (item.title ?? item.link) !== null)).toBe(true);
  });
});

/** The HTTP header a feedparser test case says it was served with (`Header: Content-type: …`). */
function declaredHeader(bytes: Uint8Array): string | null {
  return /Header:\s*Content-type:\s*(.*)/i.exec(decodeFeedBytes(bytes).text)?.[1]?.trim() ?? null;
}

const ENCODING_CASES = ['feedparser/tests/encoding', 'miniflux/internal/reader/encoding/testdata']
  .map((dir) => path.join(CORPUS, dir))
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir).filter((file) => file.endsWith('.xml')).map((file) => path.join(dir, file)));

describe.skipIf(ENCODING_CASES.length === 0)(`encoding cases (smoke)${ENCODING_CASES.length === 0 ? ' (skipped: not found)' : ''}`, () => {
  it.each(ENCODING_CASES.map((file) => [path.relative(CORPUS, file), file] as const))('%s', async (_name, file) => {
    const bytes = readFileSync(file);
    const { text } = decodeFeedBytes(bytes, declaredHeader(bytes));
    // feedparser marks deliberately ill-formed cases "Expect: bozo"; only those may hold undecodable bytes.
    const illFormed = /Expect:\s*bozo/.test(text);
    if (!illFormed) {
      expect(text).not.toContain('\uFFFD');
      expectValidRawFeed(await parseFeedText(text));
    }
  });

  it.each([
    ['feedparser/tests/encoding/euc-kr.xml', '\ub144'],
    ['miniflux/internal/reader/encoding/testdata/koi8r.xml', 'Пример RSS ленты'],
    ['miniflux/internal/reader/encoding/testdata/utf8-incorrect-prolog.xml', '테스트 피드'],
    ['miniflux/internal/reader/encoding/testdata/windows-1252-incorrect-prolog.xml', 'Euro €'],
    ['miniflux/internal/reader/encoding/testdata/windows-1252.xml', 'Euro €'],
    ['miniflux/internal/reader/encoding/testdata/iso-8859-1.xml', 'Café'],
  ])('%s has the title %s', async (file, title) => {
    const full = path.join(CORPUS, file);
    if (!existsSync(full)) return;
    const { feed } = await parseFeed(readFileSync(full));
    expect(feed.title).toBe(title);
  });
});
