/**
 * feedparser's own test suite run through byline: for the groups wellformed
 * rss, atom, atom10, rdf, base and sanitize, encoding and illformed, each
 * case's `Expect:` expression is evaluated (by /usr/bin/python3) against
 * byline's result laid out like feedparser's. Cases that only read what byline
 * does not model, or that byline's policy deliberately decides otherwise, are
 * classified not applicable with a category; at least 90% of the applicable
 * cases pass in every group, and each failing case is listed with its reason
 * in feedparser-known-failures.json. Skipped, with the reason in the suite
 * name, when the corpus or feedparser is missing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceMissing } from './lib/corpus.js';
import { notApplicableCategory, NOT_APPLICABLE_CATEGORIES, runSuite, SUITE_GROUPS, type CaseOutcome } from './lib/suite.js';
import { judgeSuite, knownFailures, SUITE_GROUP_TARGET, type SuiteVerdict } from './lib/targets.js';

const missing = referenceMissing();

describe.skipIf(missing !== null)(`feedparser's test suite through byline${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let outcomes: CaseOutcome[];
  let verdict: SuiteVerdict;

  beforeAll(async () => {
    outcomes = await runSuite();
    verdict = judgeSuite(outcomes, knownFailures());
  }, 180_000);

  it('runs every group, each with cases that apply', () => {
    expect(verdict.groups.map((group) => group.group)).toEqual(Object.keys(SUITE_GROUPS));
    for (const group of verdict.groups) expect(group.applicable, group.group).toBeGreaterThan(0);
    expect(outcomes.length).toBeGreaterThan(1500);
  });

  it.each(Object.keys(SUITE_GROUPS))(`passes at least ${SUITE_GROUP_TARGET}% of the applicable %s cases`, (name) => {
    const group = verdict.groups.find((figures) => figures.group === name);
    expect(group?.rate, `${group?.passed}/${group?.applicable}`).toBeGreaterThanOrEqual(SUITE_GROUP_TARGET);
  });

  it('never crashes on a case', () => {
    expect(outcomes.filter((outcome) => outcome.error?.startsWith('crash')).map((outcome) => outcome.file)).toEqual([]);
  });

  it('fails only the cases listed, with their reasons, in feedparser-known-failures.json', () => {
    expect(verdict.unexpected.map((outcome) => `${outcome.file}: ${outcome.expect} (${outcome.error ?? 'false'})`)).toEqual([]);
  });

  it('lists no known failure that now passes or no longer applies', () => {
    expect(verdict.stale.map((failure) => failure.file)).toEqual([]);
  });

  it('gives every not-applicable case a category', () => {
    for (const outcome of outcomes.filter((entry) => entry.status === 'na')) {
      const { category, detail } = notApplicableCategory(outcome);
      expect(NOT_APPLICABLE_CATEGORIES[category], outcome.file).toBeTruthy();
      expect(detail, outcome.file).not.toBe('');
    }
  });

  it('reads every date a wellformed case asks about (RFC 822, ISO 8601 and the rest)', () => {
    const dateCases = outcomes.filter(
      (outcome) => outcome.file.startsWith('wellformed/') && /entries\[\d\]\['(?:published|updated)_parsed'\]/.test(outcome.expect),
    );
    expect(dateCases.filter((outcome) => outcome.status === 'pass').length).toBeGreaterThanOrEqual(8);
    const listed = new Set(knownFailures().map((failure) => failure.file));
    expect(dateCases.filter((outcome) => outcome.status === 'fail' && !listed.has(outcome.file)).map((outcome) => outcome.file)).toEqual([]);
  });
});
