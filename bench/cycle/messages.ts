/** What the cycle steps report back to the cycle scenario (one message each). */
import { z } from 'zod';

/** One timed cycle of byline. */
export const PhaseSchema = z.object({
  wallMs: z.number(),
  cpuMs: z.number(),
  /** Longest event-loop delay seen during the cycle, and its 99th percentile. */
  maxStallMs: z.number(),
  p99StallMs: z.number(),
  /** Time the main thread's event loop was busy (the rest of the CPU time is the parse workers'). */
  mainBusyMs: z.number(),
  /** Body bytes byline counted as received (compressed size). */
  bytes: z.number(),
  itemsAdded: z.number(),
  statuses: z.record(z.string(), z.number()),
});
export type Phase = z.infer<typeof PhaseSchema>;

export const BylineRunSchema = z.object({
  cold: PhaseSchema,
  warm: PhaseSchema,
  unchanged: PhaseSchema,
  /**
   * The WAL checkpoint the cold cycle leaves for the writer's next pause,
   * run by the bench right after it (ms) and the WAL it copied (MB).
   */
  coldCheckpoint: z.object({ ms: z.number(), walMb: z.number() }),
  peakRssMb: z.number(),
  /** Documents being parsed at once at the busiest moment (worker threads in use). */
  poolPeakBusy: z.number(),
  poolSize: z.number(),
});
export type BylineRun = z.infer<typeof BylineRunSchema>;

export const NaiveRunSchema = z.object({
  wallMs: z.number(),
  cpuMs: z.number(),
  maxStallMs: z.number(),
  bytes: z.number(),
  items: z.number(),
  failures: z.number(),
  peakRssMb: z.number(),
  /** The conditional second pass (all 304). */
  warmMs: z.number(),
  warmCpuMs: z.number(),
});
export type NaiveRun = z.infer<typeof NaiveRunSchema>;

export const FixtureReadySchema = z.object({ port: z.number(), feeds: z.number(), bytes: z.number() });
