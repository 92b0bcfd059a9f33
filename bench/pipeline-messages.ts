/** What the pipeline step reports: throughput on each corpus, byline beside bare rss-parser. */
import { z } from 'zod';

export const PipelineCorpusSchema = z.object({
  feeds: z.number(),
  /** Documents left out because one side could not read them (bare rss-parser reads no JSON Feed). */
  skipped: z.array(z.string()),
  megabytes: z.number(),
  items: z.number(),
  baselineItems: z.number(),
  ms: z.number(),
  baselineMs: z.number(),
  itemsPerSec: z.number(),
  baselineItemsPerSec: z.number(),
  mbPerSec: z.number(),
  baselineMbPerSec: z.number(),
  /** byline's time split: decode + parse, then normalize + sanitize. */
  parseMs: z.number(),
  normalizeMs: z.number(),
});
export type PipelineCorpus = z.infer<typeof PipelineCorpusSchema>;

export const PipelineReportSchema = z.object({
  generated: PipelineCorpusSchema,
  realWorld: PipelineCorpusSchema.nullable(),
});
export type PipelineReport = z.infer<typeof PipelineReportSchema>;
