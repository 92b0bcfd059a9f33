/**
 * Scenario 3, rendering: byline's RSS, Atom and JSON Feed writers and the
 * template writers on the same combined set of items, each in its own
 * process. Times are medians of several renders after a warm-up render.
 */
import { runStep } from '../lib/child.js';
import type { RenderFigures } from '../lib/results.js';
import { RENDER_FORMATS, RenderReportSchema, type RenderReport } from './messages.js';

export interface RenderOptions {
  sizes: number[];
  runs: number;
  /** Generated feeds read to build the distinct items (50 each); the rest are copies. */
  feeds: number;
}

/** Runs every format with both writers. */
export async function renderScenario(options: RenderOptions): Promise<RenderFigures> {
  const args = ['--sizes', options.sizes.join(','), '--runs', String(options.runs), '--feeds', String(options.feeds)];
  const reports: RenderReport[] = [];
  for (const format of RENDER_FORMATS) {
    for (const writer of ['byline', 'template'] as const) {
      const report = await runStep('render/render-child.ts', [...args, '--format', format, '--writer', writer], RenderReportSchema);
      const figures = Object.entries(report.ms).map(([n, ms]) => `${n} items ${ms} ms (CPU ${report.cpuMs[n] ?? '?'} ms)`);
      console.error(`bench: render ${format} ${writer}: ${figures.join(', ')}, peak RSS ${report.peakRssMb} MB`);
      reports.push(report);
    }
  }
  const find = (format: RenderReport['format'], writer: RenderReport['writer']): RenderReport =>
    reports.find((report) => report.format === format && report.writer === writer)!;
  const at = (report: RenderReport, size: number): number | null => report.ms[String(size)] ?? null;
  const ours = { rss: find('rss', 'byline'), atom: find('atom', 'byline'), json: find('json', 'byline') };
  const theirs = { rss: find('rss', 'template'), atom: find('atom', 'template'), json: find('json', 'template') };
  const largest = Math.max(...options.sizes);
  return {
    rss10k: at(ours.rss, 10_000),
    atom10k: at(ours.atom, 10_000),
    json10k: at(ours.json, 10_000),
    template10k: at(theirs.rss, 10_000),
    rss1k: at(ours.rss, 1000) ?? Number.NaN,
    atom1k: at(ours.atom, 1000) ?? Number.NaN,
    json1k: at(ours.json, 1000) ?? Number.NaN,
    template: {
      rss1k: at(theirs.rss, 1000) ?? Number.NaN,
      atom1k: at(theirs.atom, 1000) ?? Number.NaN,
      json1k: at(theirs.json, 1000) ?? Number.NaN,
      rss10k: at(theirs.rss, 10_000),
      atom10k: at(theirs.atom, 10_000),
      json10k: at(theirs.json, 10_000),
    },
    peakRssMb: {
      rss: ours.rss.peakRssMb,
      atom: ours.atom.peakRssMb,
      json: ours.json.peakRssMb,
      template: Math.max(theirs.rss.peakRssMb, theirs.atom.peakRssMb, theirs.json.peakRssMb),
    },
    rssOutputMb: ours.rss.outputMb[String(largest)] ?? Number.NaN,
  };
}
