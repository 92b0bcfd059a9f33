/** What one render step reports: one writer in one format, at each size. */
import { z } from 'zod';

export const RENDER_FORMATS = ['rss', 'atom', 'json'] as const;
export const RENDER_WRITERS = ['byline', 'template'] as const;

export const RenderReportSchema = z.object({
  format: z.enum(RENDER_FORMATS),
  writer: z.enum(RENDER_WRITERS),
  /** Median milliseconds per render, by item count. */
  ms: z.record(z.string(), z.number()),
  /**
   * Median CPU milliseconds per render (all threads, the collector's helpers
   * included), by item count: steadier than wall time on a busy machine.
   */
  cpuMs: z.record(z.string(), z.number()),
  /** Output size in MB, by item count. */
  outputMb: z.record(z.string(), z.number()),
  /** The process's peak RSS after building the articles, and after rendering. */
  rssBeforeMb: z.number(),
  peakRssMb: z.number(),
});
export type RenderReport = z.infer<typeof RenderReportSchema>;
