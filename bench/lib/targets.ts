/**
 * The project's performance targets, checked against one run's figures. Every
 * comparison is a ratio to something measured in the same run (a baseline or
 * the latency floor), except the two absolute ones the targets name (304
 * requests/s and peak RSS); the cycle's are medians of each run's own ratio. The stall bound is ours: the targets ask that the
 * event loop never block long enough to delay a request, and 50 ms is where a
 * delay starts to show in a served response.
 */
import type { CycleFigures, PipelineFigures, RenderFigures, Results, ServeFigures, TargetRow } from './results.js';

export const STALL_BOUND_MS = 50;
/** "Limited by bytes, not by byline's code": byline serves at least this share of what a bare server does. */
export const BYTES_BOUND_SHARE = 0.8;
export const RSS_SOURCES = 1000;

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number, b: number): string => `${fmt(a / b, 2)}x`;
const status = (pass: boolean): TargetRow['status'] => (pass ? 'PASS' : 'MISS');
/** The range of the runs' own ratios, when there was more than one run. */
const spread = (ratios: number[]): string =>
  ratios.length > 1 ? `; runs ${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)}x` : '';

function cycleRows(c: CycleFigures): TargetRow[] {
  const row = (figure: string, value: string, target: string, s: TargetRow['status']): TargetRow => ({ scenario: 'cycle', figure, value, target, status: s });
  const rows = [
    row(
      'cold cycle',
      `${fmt(c.coldMs)} ms = ${fmt(c.coldToBaseline, 2)}x naive ${fmt(c.baselineMs)} ms (median of each run's ratio${spread(c.coldToBaselineRuns)})`,
      '<= 1.0x naive',
      status(c.coldToBaseline <= 1),
    ),
    row(
      'warm cycle (304)',
      `${fmt(c.warmMs)} ms = ${ratio(c.warmMs, c.floorMs)} floor ${fmt(c.floorMs)} ms (naive 304 pass ${fmt(c.baselineWarmMs)} ms)`,
      '<= 1.2x floor',
      status(c.warmMs <= 1.2 * c.floorMs),
    ),
    row('warm cycle CPU', `${fmt(c.warmCpuMs)} ms = ${fmt(100 * c.warmCpuShare, 1)}% of cold (naive 304 pass ${fmt(c.baselineWarmCpuMs)} ms)`, '<= 5% of cold', status(c.warmCpuShare <= 0.05)),
    row('unchanged cycle CPU', `${fmt(c.unchangedCpuMs)} ms = ${fmt(100 * c.unchangedCpuShare, 1)}% of cold`, '<= 10% of cold', status(c.unchangedCpuShare <= 0.1)),
    row('unchanged cycle', `${fmt(c.unchangedMs)} ms = ${ratio(c.unchangedMs, c.floorMs)} floor`, '', 'info'),
    row(
      'cold cycle CPU',
      `${fmt(c.coldCpuMs)} ms = ${ratio(c.coldCpuMs, c.baselineCpuMs)} naive ${fmt(c.baselineCpuMs)} ms; main thread busy ${fmt(c.coldMainBusyMs)} ms`,
      '',
      'info',
    ),
    row(
      'checkpoint after cold',
      `${fmt(c.coldCheckpointMs)} ms for ${fmt(c.coldWalMb)} MB of WAL, once the writer's commits pause; cold + checkpoint = ${ratio(c.coldMs + c.coldCheckpointMs, c.baselineMs)} naive`,
      '',
      'info',
    ),
    row('longest event-loop stall', `${fmt(c.maxStallMs)} ms, p99 ${fmt(c.p99StallMs)} ms (naive max ${fmt(c.baselineMaxStallMs)} ms)`, `<= ${STALL_BOUND_MS} ms`, status(c.maxStallMs <= STALL_BOUND_MS)),
    row('items stored', `${fmt(c.itemsStored)} = ${fmt(c.itemsPerSec)} items/s`, '', 'info'),
    row('bytes received', `cold ${fmt(c.bytesCold / 1e6, 1)} MB, warm ${fmt(c.bytesWarm / 1e6, 1)} MB, unchanged ${fmt(c.bytesUnchanged / 1e6, 1)} MB`, '', 'info'),
    row('parse workers busy at once', `${c.poolPeakBusy} of ${c.poolSize}`, '', 'info'),
  ];
  const rssTarget = `<= 300 MB at ${fmt(RSS_SOURCES)} sources`;
  const rssValue = `${fmt(c.peakRssMb)} MB at ${fmt(c.sources)} sources (naive ${fmt(c.baselinePeakRssMb)} MB)`;
  rows.push(row('peak RSS', rssValue, rssTarget, c.sources >= RSS_SOURCES ? status(c.peakRssMb <= 300) : 'n/a'));
  for (const problem of c.problems) rows.push(row('problem', problem, '', 'MISS'));
  return rows;
}

function pipelineRows(p: PipelineFigures): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const [label, corpus] of [
    ['generated', p.generated],
    ['real-world', p.realWorld],
  ] as const) {
    if (!corpus) {
      rows.push({ scenario: 'pipeline', figure: label, value: 'no real-world corpus found (../shared/corpus, or --corpus DIR): skipped', target: '', status: 'info' });
      continue;
    }
    rows.push({
      scenario: 'pipeline',
      figure: `${label} (${corpus.feeds} feeds, ${fmt(corpus.megabytes, 1)} MB)`,
      value: `${fmt(corpus.itemsPerSec)} items/s, ${fmt(corpus.mbPerSec, 1)} MB/s = ${ratio(corpus.itemsPerSec, corpus.baselineItemsPerSec)} bare (${fmt(corpus.baselineItemsPerSec)} items/s)`,
      target: '>= 0.5x bare rss-parser',
      status: status(corpus.itemsPerSec >= 0.5 * corpus.baselineItemsPerSec),
    });
    rows.push({
      scenario: 'pipeline',
      figure: `${label}: where the time goes`,
      value: `parse ${fmt(corpus.parseMs)} ms (bare ${fmt(corpus.baselineMs)} ms), normalize+sanitize ${fmt(corpus.normalizeMs)} ms`,
      target: '',
      status: 'info',
    });
  }
  return rows;
}

function renderRows(r: RenderFigures): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const format of ['rss', 'atom', 'json'] as const) {
    const ours10k = r[`${format}10k`];
    const theirs10k = r.template[`${format}10k`];
    const [ours, theirs, size] = ours10k !== null && theirs10k !== null ? [ours10k, theirs10k, '10,000'] : [r[`${format}1k`], r.template[`${format}1k`], '1,000'];
    rows.push({
      scenario: 'render',
      figure: `${format} ${size} items`,
      value: `${fmt(ours)} ms = ${ratio(ours, theirs)} template ${fmt(theirs)} ms; peak RSS ${fmt(r.peakRssMb[format])} MB`,
      target: '<= 3x template',
      status: status(ours <= 3 * theirs),
    });
  }
  rows.push({ scenario: 'render', figure: 'rss 1,000 items', value: `${fmt(r.rss1k)} ms (template ${fmt(r.template.rss1k)} ms)`, target: '', status: 'info' });
  return rows;
}

function serveRows(s: ServeFigures): TargetRow[] {
  const row = (figure: string, value: string, target: string, st: TargetRow['status']): TargetRow => ({ scenario: 'serve', figure, value, target, status: st });
  const rows = [
    row('304', `${fmt(s.rps304)} req/s, p99 ${fmt(s.p99ms304, 1)} ms (bare ${fmt(s.bareRps304)} req/s)`, '>= 10,000 req/s', status(s.rps304 >= 10_000)),
    row(
      `200 gzip (${fmt(s.gzipBytes / 1e3)} KB of ${fmt(s.feedBytes / 1e6, 1)} MB)`,
      `${fmt(s.rps200)} req/s, ${fmt(s.mbPerSec200)} MB/s, p99 ${fmt(s.p99ms200, 1)} ms = ${ratio(s.rps200, s.bareRps200)} bare (${fmt(s.bareRps200)} req/s, ${fmt(s.bareMbPerSec200)} MB/s)`,
      `bytes-bound: >= ${BYTES_BOUND_SHARE}x bare`,
      status(s.rps200 >= BYTES_BOUND_SHARE * s.bareRps200),
    ),
    row(
      `longest event-loop stall, rebuild of ${s.rebuildPaths} outputs (${fmt(s.items)} items)`,
      `${fmt(s.rebuildStallMs, 1)} ms (rendering on the event loop: ${fmt(s.inlineRebuildStallMs, 1)} ms)`,
      `<= ${STALL_BOUND_MS} ms`,
      status(s.rebuildStallMs <= STALL_BOUND_MS),
    ),
  ];
  for (const problem of s.problems) rows.push(row('problem', problem, '', 'MISS'));
  return rows;
}

/** Every target row for the scenarios that ran. */
export function evaluate(results: Omit<Results, 'targets'>): TargetRow[] {
  return [
    ...(results.cycle ? cycleRows(results.cycle) : []),
    ...(results.pipeline ? pipelineRows(results.pipeline) : []),
    ...(results.render ? renderRows(results.render) : []),
    ...(results.serve ? serveRows(results.serve) : []),
  ];
}

/** The rows as a plain-text table. */
export function formatTable(rows: readonly TargetRow[]): string {
  const header = { scenario: 'scenario', figure: 'figure', value: 'value', target: 'target', status: 'status' };
  const all = [header, ...rows];
  const width = (key: keyof typeof header): number => Math.max(...all.map((row) => row[key].length));
  const keys = ['scenario', 'figure', 'value', 'target', 'status'] as const;
  const line = (row: typeof header): string => keys.map((key) => row[key].padEnd(width(key))).join('  ').trimEnd();
  return [line(header), keys.map((key) => '-'.repeat(width(key))).join('  '), ...rows.map(line)].join('\n');
}

/** The rows as a Markdown table (for the README's performance section). */
export function formatMarkdown(rows: readonly TargetRow[]): string {
  const escape = (text: string): string => text.replaceAll('|', '\\|');
  return [
    '| scenario | figure | value | target | status |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${[row.scenario, row.figure, row.value, row.target, row.status].map(escape).join(' | ')} |`),
  ].join('\n');
}
