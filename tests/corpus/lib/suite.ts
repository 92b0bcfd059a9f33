/**
 * Runs feedparser's own test suite (../shared/corpus/feedparser/tests) through
 * byline. Each case file states its expected result as a Python expression;
 * byline reads the file (decode + parse + normalize), its result is laid out
 * like feedparser's (suite-shape.ts), and Python evaluates the expression
 * against it (feedparser_tool.py, one process per batch). A case is
 * applicable when at least one part of its expectation reads something byline
 * models; the parts that read feedparser-only state are set aside and counted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { corpusPath, runFeedparserTool } from './corpus.js';
import { runPipeline, type PipelineResult } from './pipeline.js';
import { equivalentCharsets, projectLiterals, type Projections } from './suite-projections.js';
import { modelledPaths, pathsOf, shapeResult, type ShapedResult } from './suite-shape.js';

/** The groups the fidelity target covers, and the folder each reads (recursively). */
export const SUITE_GROUPS = {
  rss: 'wellformed/rss',
  atom: 'wellformed/atom',
  atom10: 'wellformed/atom10',
  rdf: 'wellformed/rdf',
  encoding: 'encoding',
  illformed: 'illformed',
  sanitize: 'wellformed/sanitize',
  base: 'wellformed/base',
} as const;

/** One of the suite groups the target covers. */
export type SuiteGroup = keyof typeof SUITE_GROUPS;

const SUITE_ROOT = 'feedparser/tests';

/** The outcome of one case. */
export interface CaseOutcome {
  group: SuiteGroup;
  /** Path under feedparser/tests. */
  file: string;
  expect: string;
  status: 'pass' | 'fail' | 'na';
  /** Why the parts set aside do not apply (feedparser-only names, unmodelled keys, policy). */
  notApplicable: string[];
  error: string | null;
}

/** Pass figures of one group. */
export interface GroupFigures {
  group: SuiteGroup;
  total: number;
  applicable: number;
  passed: number;
  notApplicable: number;
  /** passed / applicable, in percent. */
  rate: number;
}

interface CaseInfo {
  key: string;
  expect: string | null;
  description: string;
  headers: Record<string, string>;
  literals: string[];
  error: string | null;
}

interface Evaluation {
  key: string;
  status: 'pass' | 'fail' | 'na';
  dropped: string[];
  error: string | null;
}

function listCases(folder: string): string[] {
  const root = corpusPath(path.join(SUITE_ROOT, folder));
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((name) => {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) return walk(full);
        return name.endsWith('.xml') ? [full] : [];
      });
  return walk(root);
}

/** The address feedparser's own harness serves a case from (some expectations name it). */
export function caseUrl(file: string): string {
  return `http://127.0.0.1:8097/tests/${file}`;
}

interface PreparedCase {
  group: SuiteGroup;
  file: string;
  info: CaseInfo;
  result: PipelineResult;
  shaped: ShapedResult;
  projections: Projections;
  charsets: string[];
}

async function prepare(group: SuiteGroup, file: string, info: CaseInfo): Promise<PreparedCase> {
  const bytes = readFileSync(corpusPath(path.join(SUITE_ROOT, file)));
  const url = caseUrl(file);
  const result = await runPipeline(bytes, { feedUrl: url, contentType: info.headers['content-type'] ?? null });
  const encoding = result.kind === 'crash' ? null : result.encoding;
  return {
    group,
    file,
    info,
    result,
    shaped: shapeResult(result, url),
    projections: projectLiterals(info.literals, url),
    charsets: equivalentCharsets(bytes, encoding, info.literals),
  };
}

/** Marker for cases about the HTTP Content-Location header (see notApplicableCategory). */
const CONTENT_LOCATION = 'http:content-location';

function outcomeOf(prepared: PreparedCase, evaluation: Evaluation | undefined): CaseOutcome {
  const base = { group: prepared.group, file: prepared.file, expect: prepared.info.expect ?? '' };
  if (prepared.result.kind === 'crash') {
    // A crash is a bug whatever the expectation reads.
    return { ...base, status: 'fail', notApplicable: [], error: `crash: ${String(prepared.result.error)}` };
  }
  if (prepared.info.headers['content-location'] !== undefined) {
    return { ...base, status: 'na', notApplicable: [CONTENT_LOCATION], error: null };
  }
  if (!evaluation) return { ...base, status: 'fail', notApplicable: [], error: prepared.info.error ?? 'not evaluated' };
  return { ...base, status: evaluation.status, notApplicable: evaluation.dropped, error: evaluation.error };
}

/** The shapes must not hold keys the modelled list omits (they would be classified as not applicable). */
function assertShapesModelled(prepared: readonly PreparedCase[], modelled: ReadonlySet<string>): void {
  for (const entry of prepared) {
    const paths = [
      ...pathsOf(entry.shaped.feed, 'feed'),
      ...entry.shaped.entries.flatMap((shaped) => pathsOf(shaped, 'entries[]')),
    ];
    const stray = paths.find((found) => found !== 'feed' && !modelled.has(found));
    if (stray) throw new Error(`${entry.file}: shaped result has ${stray}, missing from modelledPaths()`);
  }
}

/** Runs the selected groups (all by default) and returns every case's outcome. */
export async function runSuite(groups: readonly SuiteGroup[] = Object.keys(SUITE_GROUPS) as SuiteGroup[]): Promise<CaseOutcome[]> {
  const files = groups.flatMap((group) =>
    listCases(SUITE_GROUPS[group]).map((full) => ({ group, file: path.relative(corpusPath(SUITE_ROOT), full), full })),
  );
  const { results: infos } = await runFeedparserTool<{ results: CaseInfo[] }>('cases', {
    files: files.map(({ file, full }) => ({ key: file, path: full })),
  });
  const infoByKey = new Map(infos.map((info) => [info.key, info]));
  const prepared: PreparedCase[] = [];
  for (const { group, file } of files) {
    const info = infoByKey.get(file);
    if (!info) throw new Error(`no case information for ${file}`);
    prepared.push(await prepare(group, file, info));
  }
  const evaluable = prepared.filter((entry) => entry.info.expect !== null && entry.info.error === null);
  const modelled = modelledPaths();
  assertShapesModelled(prepared, new Set(modelled));
  const { results } = await runFeedparserTool<{ results: Evaluation[] }>('evaluate', {
    modelled,
    cases: evaluable.map((entry) => ({
      key: entry.file,
      expect: entry.info.expect,
      result: entry.shaped,
      projections: entry.projections,
      charsetEquivalents: entry.charsets,
    })),
  });
  const byKey = new Map(results.map((evaluation) => [evaluation.key, evaluation]));
  return prepared.map((entry) => outcomeOf(entry, byKey.get(entry.file)));
}

/** Pass rate per group over the applicable cases. */
export function groupFigures(outcomes: readonly CaseOutcome[]): GroupFigures[] {
  return (Object.keys(SUITE_GROUPS) as SuiteGroup[]).flatMap((group) => {
    const cases = outcomes.filter((outcome) => outcome.group === group);
    if (cases.length === 0) return [];
    const applicable = cases.filter((outcome) => outcome.status !== 'na').length;
    const passed = cases.filter((outcome) => outcome.status === 'pass').length;
    return [{
      group,
      total: cases.length,
      applicable,
      passed,
      notApplicable: cases.length - applicable,
      rate: applicable === 0 ? 100 : (100 * passed) / applicable,
    }];
  });
}

/** The categories a not-applicable case falls in, with the reason each does not apply to byline. */
export const NOT_APPLICABLE_CATEGORIES = {
  bozo: "feedparser's ill-formedness flag (`bozo`) and exception classes: byline repairs what it can and otherwise rejects the document with a typed ParseError",
  feedparser: 'feedparser-only result fields (`version` strings, `namespaces`, HTTP `headers`, `href`, `status`)',
  contentLocation: 'the HTTP Content-Location header as base URI (RFC 2616; RFC 7231 appendix B dropped it): byline resolves against the URL it fetched',
  sanitizer: "byline's narrower sanitizer allowlist (elements and attributes it removes or renames, embedded elements dropped with their content, links and images without an http(s) URL)",
  derivedTitle: 'titles with no text of their own: byline derives one from the body or the URL instead of keeping an empty or markup-only title',
  metadata: 'per-field metadata (`*_detail` type, base and language): byline keeps the values, not how they were written',
  feedField: "feed-level fields byline does not keep (it keeps a feed's title, link, description and language)",
  entryField: 'entry fields byline does not model (link lists, enclosures, contributors, author e-mail/URL, rights, comments, source details, other dates, GeoRSS…)',
} as const;

/** A reason category for not-applicable cases. */
export type NotApplicableCategory = keyof typeof NOT_APPLICABLE_CATEGORIES;

/**
 * Why a not-applicable case does not apply: a category and the detail (the
 * key read, or the policy). The conjuncts about feedparser's own state
 * (`not bozo`) are set aside in almost every case, so they decide the category
 * only when nothing else was set aside.
 */
export function notApplicableCategory(outcome: CaseOutcome): { category: NotApplicableCategory; detail: string } {
  const specific = outcome.notApplicable.filter((reason) => !['bozo', 'bozo_exception', 'feedparser'].includes(reason));
  const first = specific[0];
  if (first === undefined) return { category: 'bozo', detail: 'bozo' };
  if (first === CONTENT_LOCATION) return { category: 'contentLocation', detail: 'Content-Location' };
  if (first.startsWith('policy:')) {
    const detail = first.slice('policy:'.length).replace(/^sanitizer policy: /, '');
    return { category: detail.startsWith('derives a title') ? 'derivedTitle' : 'sanitizer', detail };
  }
  if (['version', 'namespaces', 'headers', 'href', 'status'].includes(first)) return { category: 'feedparser', detail: first };
  if (/(?:_detail|\[\])\.(?:type|base|language)$/.test(first)) return { category: 'metadata', detail: first };
  return { category: first.startsWith('feed.') ? 'feedField' : 'entryField', detail: first };
}
