/**
 * rss-parser (the fallback for documents the one-pass reader rejects) and
 * iconv-lite (legacy charsets) load only when a document needs them: every
 * parse worker starts afresh each cycle, and loading both cost each one
 * ~40 ms of CPU for documents that nearly never come. Run on the built code
 * in a fresh process, as a worker loads it, since this test runner's own
 * module cache is shared between test files.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BUILT_PARSE = path.resolve(import.meta.dirname, '../../dist/parse/index.js');

const SCRIPT = `
import { createRequire } from 'node:module';
const { parseFeed } = await import(process.argv[1]);
const cache = createRequire(import.meta.url).cache;
const loaded = () => [...new Set(Object.keys(cache).flatMap((file) => /node_modules\\/(rss-parser|iconv-lite)\\//.exec(file)?.[1] ?? []))].sort();
const steps = { imported: loaded() };
const read = async (text, contentType = null) => {
  try {
    const { feed } = await parseFeed(Buffer.from(text, 'latin1'), { contentType });
    return feed.title;
  } catch (error) {
    return error.code;
  }
};
steps.wellFormed = [await read('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item><title>a</title></item></channel></rss>'), loaded()];
steps.windows1252 = [await read('<rss version="2.0"><channel><title>caf\\u00e9</title><item><title>a</title></item></channel></rss>', 'application/rss+xml; charset=windows-1252'), loaded()];
steps.malformed = [await read('<rss version="2.0"><channel><title>t</title><item><title>a</title>'), loaded()];
// "\\u0082\\u00a0" is Shift_JIS for the hiragana あ.
steps.shiftJis = [await read('<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>\\u0082\\u00a0</title><item><title>a</title></item></channel></rss>'), loaded()];
console.log(JSON.stringify(steps));
`;

describe('optional parsing dependencies', () => {
  it('loads rss-parser and iconv-lite only for the documents that need them', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT, BUILT_PARSE], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    const steps = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(steps['imported']).toEqual([]);
    // UTF-8 and windows-1252 decode natively, and a well-formed document never reaches rss-parser.
    expect(steps['wellFormed']).toEqual(['t', []]);
    expect(steps['windows1252']).toEqual(['café', []]);
    // A document the one-pass reader rejects goes to rss-parser (and fails there: the document ends inside its only item).
    expect(steps['malformed']).toEqual(['parse_error', ['rss-parser']]);
    expect(steps['shiftJis']).toEqual(['あ', ['iconv-lite', 'rss-parser']]);
  });
});
