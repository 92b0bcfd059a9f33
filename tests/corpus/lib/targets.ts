/**
 * The fidelity targets and how a run is judged against them, shared by the
 * corpus tests and `npm run corpus`. Every difference from feedparser must be
 * listed with its reason in a committed fixture (realworld-differences.json,
 * feedparser-known-failures.json); a difference that is not listed, or a
 * listed one that no longer occurs, misses the target just like a low rate.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { differenceKey, type Difference, type RealWorldReport } from './realworld.js';
import { groupFigures, type CaseOutcome, type GroupFigures } from './suite.js';

/** Titles equal after whitespace folding, in percent of the items both sides have. */
export const TITLE_MATCH_TARGET = 98;
/** feedparser suite cases passed, in percent of the applicable ones, in every group. */
export const SUITE_GROUP_TARGET = 90;

const HERE = path.dirname(fileURLToPath(import.meta.url));

const ExplainedDifferenceSchema = z.object({
  feed: z.string(),
  item: z.string(),
  field: z.enum(['count', 'link', 'title', 'date']),
  ours: z.string().nullable(),
  theirs: z.string().nullable(),
  reason: z.string().min(20),
});

const KnownFailureSchema = z.object({
  file: z.string(),
  verdict: z.enum(['byline differs', 'feedparser is wrong']),
  reason: z.string().min(20),
});

/** A difference from feedparser on a real-world feed, with why (realworld-differences.json). */
export type ExplainedDifference = z.infer<typeof ExplainedDifferenceSchema>;
/** A feedparser suite case byline fails, with why (feedparser-known-failures.json). */
export type KnownFailure = z.infer<typeof KnownFailureSchema>;

/** tests/corpus/realworld-differences.json */
export function explainedDifferences(): ExplainedDifference[] {
  return z.array(ExplainedDifferenceSchema).parse(JSON.parse(readFileSync(path.join(HERE, '..', 'realworld-differences.json'), 'utf8')));
}

/** tests/corpus/feedparser-known-failures.json */
export function knownFailures(): KnownFailure[] {
  return z.array(KnownFailureSchema).parse(JSON.parse(readFileSync(path.join(HERE, '..', 'feedparser-known-failures.json'), 'utf8')));
}

/** How the real-world comparison measures up against its target. */
export interface RealWorldVerdict {
  /** Differences found but not explained in the fixture. */
  unexplained: Difference[];
  /** Explained differences that no longer occur (the fixture must be updated). */
  stale: ExplainedDifference[];
  titleRate: number;
  /** byline's own promises broken (empty title, non-http link, unsafe content), per feed. */
  violations: string[];
  /** Feeds byline could not read. */
  errors: string[];
  met: boolean;
}

/** Judges a real-world comparison against the title target and the committed explanations. */
export function judgeRealWorld(report: RealWorldReport, explained: readonly ExplainedDifference[]): RealWorldVerdict {
  const listed = new Set(explained.map(differenceKey));
  const found = new Set(report.differences.map(differenceKey));
  const unexplained = report.differences.filter((difference) => !listed.has(differenceKey(difference)));
  const stale = explained.filter((difference) => !found.has(differenceKey(difference)));
  const titleRate = report.totals.paired === 0 ? 0 : (100 * report.totals.titlesMatched) / report.totals.paired;
  const violations = report.feeds.flatMap((feed) => feed.violations.map((violation) => `${feed.file}: ${violation}`));
  const errors = report.feeds.flatMap((feed) => (feed.error ? [`${feed.file}: ${feed.error}`] : []));
  const met = unexplained.length === 0 && stale.length === 0 && titleRate >= TITLE_MATCH_TARGET && violations.length === 0 && errors.length === 0;
  return { unexplained, stale, titleRate, violations, errors, met };
}

/** How the feedparser suite run measures up against its targets. */
export interface SuiteVerdict {
  groups: GroupFigures[];
  belowTarget: GroupFigures[];
  /** Failing cases not listed as known failures. */
  unexpected: CaseOutcome[];
  /** Listed known failures that now pass or no longer apply. */
  stale: KnownFailure[];
  met: boolean;
}

/** Judges suite outcomes against the per-group target and the committed known failures. */
export function judgeSuite(outcomes: readonly CaseOutcome[], known: readonly KnownFailure[]): SuiteVerdict {
  const groups = groupFigures(outcomes);
  const listed = new Set(known.map((failure) => failure.file));
  const failing = outcomes.filter((outcome) => outcome.status === 'fail');
  const failingFiles = new Set(failing.map((outcome) => outcome.file));
  const ran = new Set(outcomes.map((outcome) => outcome.file));
  const unexpected = failing.filter((outcome) => !listed.has(outcome.file));
  // Only failures of groups that ran can be stale (a run may cover some groups only).
  const stale = known.filter((failure) => ran.has(failure.file) && !failingFiles.has(failure.file));
  const belowTarget = groups.filter((group) => group.rate < SUITE_GROUP_TARGET);
  return { groups, belowTarget, unexpected, stale, met: belowTarget.length === 0 && unexpected.length === 0 && stale.length === 0 };
}
