/**
 * `npm run corpus`: measures byline's normalization fidelity on the shared
 * real-world corpus (../shared/corpus) and prints it: per real-world feed the
 * items byline and Python feedparser find, links and titles matched; per
 * feedparser test-suite group the applicable cases, passes and the
 * not-applicable ones by category; the charset cases decoded right. Exits 1
 * when a target is missed, 2 when the corpus or feedparser is not available.
 */
import { corpusPresent, feedparserAvailable, referenceMissing } from '../tests/corpus/lib/corpus.js';
import { runEncodingCases } from '../tests/corpus/lib/encodings.js';
import { compareRealWorld } from '../tests/corpus/lib/realworld.js';
import { NOT_APPLICABLE_CATEGORIES, notApplicableCategory, runSuite, type NotApplicableCategory } from '../tests/corpus/lib/suite.js';
import {
  explainedDifferences,
  judgeRealWorld,
  judgeSuite,
  knownFailures,
  SUITE_GROUP_TARGET,
  TITLE_MATCH_TARGET,
} from '../tests/corpus/lib/targets.js';

type Cell = string | number;

/** A plain-text table: left-aligned text, right-aligned numbers. */
function table(header: Cell[], rows: Cell[][]): string {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_cell, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: Cell[]): string =>
    row
      .map((cell, column) => (typeof cell === 'number' ? String(cell).padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function percent(value: number): string {
  return `${value.toFixed(1)}%`;
}

/** The feed's path, shortened to what tells feeds apart: the source folder and the file (or the sample's hash). */
function shortName(file: string): string {
  const sample = /^rowanmanning-sample-feeds\/content\/real-world\/(\w{8})\w*\/feed\.xml$/.exec(file);
  if (sample) return `rowanmanning/${sample[1]}`;
  const parts = file.split('/');
  return `${parts[0]}/${parts.at(-1)}`;
}

async function realWorld(missed: string[]): Promise<void> {
  const report = await compareRealWorld();
  const verdict = judgeRealWorld(report, explainedDifferences());
  console.log('\nReal-world feeds (realworld.tsv): byline vs Python feedparser\n');
  console.log(
    table(
      ['feed', 'site', 'ours', 'feedparser', 'links', 'titles', 'dates'],
      report.feeds.map((feed) => [shortName(feed.file), feed.site.slice(0, 40), feed.ours, feed.theirs, feed.linksMatched, feed.titlesMatched, feed.datesMatched]),
    ),
  );
  const { totals } = report;
  console.log(
    `\ntotal: ${totals.ours} items (feedparser ${totals.theirs}); of ${totals.paired} paired items, ` +
      `links ${totals.linksMatched}, titles ${totals.titlesMatched} (${percent(verdict.titleRate)}), dates ${totals.datesMatched}`,
  );
  console.log(`differences: ${report.differences.length}, all explained in tests/corpus/realworld-differences.json: ${verdict.unexplained.length === 0 ? 'yes' : 'NO'}`);
  if (verdict.titleRate < TITLE_MATCH_TARGET) missed.push(`title match ${percent(verdict.titleRate)} < ${TITLE_MATCH_TARGET}%`);
  for (const difference of verdict.unexplained) missed.push(`unexplained difference: ${JSON.stringify(difference)}`);
  for (const difference of verdict.stale) missed.push(`explained difference no longer occurs: ${difference.feed} ${difference.item} ${difference.field}`);
  for (const problem of [...verdict.violations, ...verdict.errors]) missed.push(problem);
}

async function suite(missed: string[]): Promise<void> {
  const outcomes = await runSuite();
  const verdict = judgeSuite(outcomes, knownFailures());
  console.log("\nfeedparser's test suite through byline\n");
  console.log(
    table(
      ['group', 'cases', 'applicable', 'passed', 'rate', 'not applicable'],
      verdict.groups.map((group) => [group.group, group.total, group.applicable, group.passed, percent(group.rate), group.notApplicable]),
    ),
  );
  const byCategory = new Map<NotApplicableCategory, number>();
  for (const outcome of outcomes.filter((entry) => entry.status === 'na')) {
    const { category } = notApplicableCategory(outcome);
    byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
  }
  console.log('\nnot applicable, by reason:\n');
  console.log(
    table(
      ['cases', 'reason'],
      [...byCategory].sort((a, b) => b[1] - a[1]).map(([category, count]) => [count, NOT_APPLICABLE_CATEGORIES[category]]),
    ),
  );
  const known = knownFailures();
  const wrong = known.filter((failure) => failure.verdict === 'feedparser is wrong').length;
  console.log(`\nfailing cases: ${outcomes.filter((outcome) => outcome.status === 'fail').length}, listed with reasons in tests/corpus/feedparser-known-failures.json (feedparser is wrong in ${wrong})`);
  for (const group of verdict.belowTarget) missed.push(`feedparser suite group ${group.group}: ${percent(group.rate)} < ${SUITE_GROUP_TARGET}%`);
  for (const outcome of verdict.unexpected) missed.push(`unlisted failing case ${outcome.file}`);
  for (const failure of verdict.stale) missed.push(`known failure no longer fails: ${failure.file}`);
}

async function encodings(missed: string[]): Promise<void> {
  const outcomes = await runEncodingCases();
  const passed = outcomes.filter((outcome) => outcome.problems.length === 0);
  console.log(`\nCharset cases (feedparser encoding + chardet, miniflux): ${passed.length}/${outcomes.length} decoded to the right text`);
  for (const outcome of outcomes.filter((entry) => entry.problems.length > 0)) {
    missed.push(`charset case ${outcome.file}: ${outcome.problems.join('; ')}`);
  }
}

async function main(): Promise<number> {
  if (!corpusPresent()) {
    console.error(`corpus: ${referenceMissing() ?? 'not found'}`);
    return 2;
  }
  const missed: string[] = [];
  const reference = feedparserAvailable();
  if (reference === null) {
    console.error(`corpus: ${referenceMissing()}; only the charset cases can be measured`);
  } else {
    console.log(`reference: Python feedparser ${reference}`);
    await realWorld(missed);
    await suite(missed);
  }
  await encodings(missed);
  console.log(missed.length === 0 ? '\nAll fidelity targets met.' : `\nTargets missed:\n${missed.map((line) => `  - ${line}`).join('\n')}`);
  if (reference === null) return 2;
  return missed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
