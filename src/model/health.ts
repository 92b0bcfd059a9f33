/**
 * The per-source health view an operator reads (`byline sources --json`,
 * `/sources.json`): config identity joined with the stored fetch state.
 */
import { z } from 'zod';
import { SOURCE_STATUSES } from './source-state.js';

export const SourceHealthSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  site: z.string().nullable(),
  status: z.enum(SOURCE_STATUSES),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  lastSuccessAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastHttpStatus: z.number().nullable(),
  consecutiveErrors: z.number(),
  /** When the source is next checked: the first tick of its schedule once it may be checked again. */
  nextAttemptAt: z.string().nullable(),
  items: z.number(),
  bytesFetched: z.number(),
  /** Where the feed permanently moved; the operator should update the config. */
  redirectedTo: z.string().nullable(),
});

export type SourceHealth = z.infer<typeof SourceHealthSchema>;
