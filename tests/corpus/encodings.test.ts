/**
 * Every charset case of the corpus decodes to the right text: feedparser's
 * encoding tests (BOMs, UTF-16/32 with and without them, HTTP charsets, XML
 * declarations, CJK and Cyrillic charsets, windows-1252 "smart quotes"), its
 * chardet cases (no declaration, bytes not UTF-8: Big5, EUC-JP, EUC-KR,
 * GB2312, KOI8-R, Shift_JIS, TIS-620, windows-1255) and miniflux's encoding
 * test data. Where a case names a string, byline must produce exactly it.
 * Needs only the corpus; skipped when it is absent.
 */
import { describe, expect, it } from 'vitest';
import { corpusPresent } from './lib/corpus.js';
import { encodingCases, runEncodingCase } from './lib/encodings.js';

const present = corpusPresent();

describe.skipIf(!present)(`charset cases of the corpus${present ? '' : ' (skipped: corpus not found)'}`, () => {
  const cases = present ? encodingCases() : [];

  it('finds the cases, most of them stating a charset or a string', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((entry) => entry.charset !== null).length).toBeGreaterThanOrEqual(90);
    expect(cases.filter((entry) => entry.texts.length > 0).length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((entry) => [entry.file, entry] as const))('%s', async (_file, entry) => {
    const outcome = await runEncodingCase(entry);
    expect(outcome.problems).toEqual([]);
  });

  it('notices a wrong charset (control: KOI8-R bytes are not windows-1251 text)', async () => {
    const koi8 = cases.find((entry) => entry.file.endsWith('encoding/testdata/koi8r.xml'));
    expect(koi8).toBeDefined();
    if (!koi8) return;
    const outcome = await runEncodingCase({ ...koi8, charset: 'windows-1251', texts: [{ where: 'feed title', value: 'Example' }] });
    expect(outcome.problems).toHaveLength(2);
  });
});
