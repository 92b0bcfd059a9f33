/**
 * The shape of bench/results.json, as zod schemas (the types come from them).
 * The keys the project's issue names are all here; the others add context
 * (baselines, breakdowns, what went wrong) so a miss can be explained.
 */
import { z } from 'zod';
import { PipelineCorpusSchema } from '../pipeline-messages.js';

export const CycleFiguresSchema = z.object({
  sources: z.number(),
  concurrency: z.number(),
  latencyMs: z.number(),
  /** ceil(sources / concurrency) x latencyMs: no cycle can be faster. */
  floorMs: z.number(),
  coldMs: z.number(),
  warmMs: z.number(),
  unchangedMs: z.number(),
  coldCpuMs: z.number(),
  /** Of the cold cycle's CPU, the main thread's share (event loop busy); the rest ran on parse workers. */
  coldMainBusyMs: z.number(),
  /** The WAL checkpoint after the cold cycle (the store's writer runs it once its writes pause), and that WAL's size. */
  coldCheckpointMs: z.number(),
  coldWalMb: z.number(),
  warmCpuMs: z.number(),
  unchangedCpuMs: z.number(),
  baselineMs: z.number(),
  /**
   * The median over runs of each run's cold cycle over the baseline run beside
   * it. The target is judged on this, not on coldMs / baselineMs: on a shared
   * machine both sides of one run see the same load, while the medians of the
   * two sides can come from runs minutes apart.
   */
  coldToBaseline: z.number(),
  /** Each run's own cold-to-naive ratio, in run order: how far the runs spread around the median. */
  coldToBaselineRuns: z.array(z.number()),
  /** The median over runs of each run's warm and unchanged cycle CPU over its own cold cycle's. */
  warmCpuShare: z.number(),
  unchangedCpuShare: z.number(),
  baselineCpuMs: z.number(),
  /** The naive client's conditional pass over the same feeds (every answer a 304). */
  baselineWarmMs: z.number(),
  baselineWarmCpuMs: z.number(),
  peakRssMb: z.number(),
  baselinePeakRssMb: z.number(),
  bytesCold: z.number(),
  bytesWarm: z.number(),
  bytesUnchanged: z.number(),
  itemsStored: z.number(),
  itemsPerSec: z.number(),
  /** Longest event-loop stall in any of byline's three cycles (median over runs). */
  maxStallMs: z.number(),
  /** 99th percentile of the event-loop delay during the cold cycle. */
  p99StallMs: z.number(),
  baselineMaxStallMs: z.number(),
  poolSize: z.number(),
  poolPeakBusy: z.number(),
  runs: z.number(),
  problems: z.array(z.string()),
});
export type CycleFigures = z.infer<typeof CycleFiguresSchema>;

export const PipelineFiguresSchema = z.object({
  /** Generated corpus, byline: decode + parse + normalize + sanitize on one thread. */
  itemsPerSec: z.number(),
  /** Generated corpus, bare rss-parser parseString on the same bytes. */
  baselineItemsPerSec: z.number(),
  generated: PipelineCorpusSchema,
  realWorld: PipelineCorpusSchema.nullable(),
});
export type PipelineFigures = z.infer<typeof PipelineFiguresSchema>;

const Ms = z.number().nullable();
export const RenderFiguresSchema = z.object({
  /** Milliseconds to render 10,000 items (null when --quick measured 1,000 only). */
  rss10k: Ms,
  atom10k: Ms,
  json10k: Ms,
  /** The template writer, RSS (its Atom and JSON times are under `template`). */
  template10k: Ms,
  rss1k: z.number(),
  atom1k: z.number(),
  json1k: z.number(),
  template: z.object({ rss1k: z.number(), atom1k: z.number(), json1k: z.number(), rss10k: Ms, atom10k: Ms, json10k: Ms }),
  peakRssMb: z.object({ rss: z.number(), atom: z.number(), json: z.number(), template: z.number() }),
  /** Output size of byline's RSS at the largest size, MB. */
  rssOutputMb: z.number(),
});
export type RenderFigures = z.infer<typeof RenderFiguresSchema>;

export const ServeFiguresSchema = z.object({
  rps200: z.number(),
  rps304: z.number(),
  p99ms200: z.number(),
  p99ms304: z.number(),
  mbPerSec200: z.number(),
  bareRps200: z.number(),
  bareRps304: z.number(),
  bareP99ms200: z.number(),
  bareMbPerSec200: z.number(),
  feedBytes: z.number(),
  gzipBytes: z.number(),
  items: z.number(),
  connections: z.number(),
  seconds: z.number(),
  /** Longest event-loop stall while every output is rebuilt after a change of revision (render thread), and rendering on the event loop. */
  rebuildStallMs: z.number(),
  inlineRebuildStallMs: z.number(),
  rebuildPaths: z.number(),
  problems: z.array(z.string()),
});
export type ServeFigures = z.infer<typeof ServeFiguresSchema>;

export const TargetRowSchema = z.object({
  scenario: z.string(),
  figure: z.string(),
  value: z.string(),
  target: z.string(),
  status: z.enum(['PASS', 'MISS', 'info', 'n/a']),
});
export type TargetRow = z.infer<typeof TargetRowSchema>;

export const ResultsSchema = z.object({
  cycle: CycleFiguresSchema.nullable(),
  pipeline: PipelineFiguresSchema.nullable(),
  render: RenderFiguresSchema.nullable(),
  serve: ServeFiguresSchema.nullable(),
  node: z.string(),
  cpus: z.number(),
  date: z.string(),
  quick: z.boolean(),
  /** 1-minute load average before and after: a busy machine explains noisy figures. */
  loadAverage: z.object({ start: z.number(), end: z.number() }),
  /** Scenarios that failed to run, and build notes. */
  errors: z.array(z.string()),
  targets: z.array(TargetRowSchema),
});
export type Results = z.infer<typeof ResultsSchema>;
