/**
 * byline against Python feedparser on every captured real-world feed of
 * ../shared/corpus/realworld.tsv: the same items, the same links (feedparser's
 * put through byline's canonicalizeUrl, since byline publishes canonical URLs
 * without tracking parameters), titles equal after whitespace folding for at
 * least 98% of items, and every item with a title, an absolute http(s) link, a
 * date and sanitized content. Each remaining difference is listed with its
 * reason in realworld-differences.json; the comparison is never loosened to
 * absorb one. Skipped, with the reason in the suite name, when the corpus or
 * /usr/bin/python3 with feedparser is missing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceMissing } from './lib/corpus.js';
import { compareRealWorld, differenceKey, type RealWorldReport } from './lib/realworld.js';
import { explainedDifferences, judgeRealWorld, TITLE_MATCH_TARGET, type RealWorldVerdict } from './lib/targets.js';

const missing = referenceMissing();

describe.skipIf(missing !== null)(`real-world feeds against feedparser${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let report: RealWorldReport;
  let verdict: RealWorldVerdict;

  beforeAll(async () => {
    report = await compareRealWorld();
    verdict = judgeRealWorld(report, explainedDifferences());
  }, 180_000);

  it('compares every listed feed, and feedparser saw them too', () => {
    expect(report.feeds.length).toBeGreaterThanOrEqual(40);
    expect(report.totals.theirs).toBeGreaterThan(2000);
  });

  it('reads every feed', () => {
    expect(verdict.errors).toEqual([]);
  });

  it('gives every article a title, an absolute http(s) link, a date and sanitized content', () => {
    expect(verdict.violations).toEqual([]);
  });

  it(`matches feedparser's titles for at least ${TITLE_MATCH_TARGET}% of the items`, () => {
    expect(verdict.titleRate).toBeGreaterThanOrEqual(TITLE_MATCH_TARGET);
  });

  it('explains every difference from feedparser in realworld-differences.json', () => {
    expect(verdict.unexplained.map((difference) => JSON.stringify(difference))).toEqual([]);
  });

  it('lists no difference that no longer occurs', () => {
    expect(verdict.stale.map(differenceKey)).toEqual([]);
  });

  it('yields the same number of items as feedparser wherever no difference says otherwise', () => {
    const countExplained = new Set(explainedDifferences().filter((row) => row.field === 'count').map((row) => row.feed));
    for (const feed of report.feeds.filter((entry) => !countExplained.has(entry.file))) {
      expect(feed.ours, feed.file).toBe(feed.theirs);
    }
  });
});
