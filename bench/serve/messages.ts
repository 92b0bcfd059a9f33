/** What the serve scenario's rebuild step reports to its parent (see rebuild-stall.ts). */
import { z } from 'zod';

export const RebuildStallSchema = z.object({
  /** Longest event-loop stall while every output is rebuilt, rendering on the site's render thread (as `byline run` does). */
  threadMaxMs: z.number(),
  /** The same, rendering on the event loop (the baseline of the same run). */
  inlineMaxMs: z.number(),
  /** Outputs rebuilt. */
  paths: z.number(),
});
export type RebuildStall = z.infer<typeof RebuildStallSchema>;
