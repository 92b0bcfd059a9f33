/**
 * What byline remembers about fetching one source: validators for conditional
 * GET, health for the operator, and when to try next. Written in the same
 * store transaction as the source's articles.
 */
import { z } from 'zod';
import { SkipDaysSchema, SkipHoursSchema } from './raw-feed.js';

const IsoDate = z.iso.datetime({ offset: true });

export const SOURCE_STATUSES = ['new', 'ok', 'failing', 'backing_off', 'gone', 'disabled'] as const;

export const SourceStateSchema = z.object({
  sourceId: z.string(),
  status: z.enum(SOURCE_STATUSES),
  /** Conditional GET validators from the last 200. */
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  /** sha256 of the last body parsed, so an identical body costs no parse. */
  bodyHash: z.string().nullable(),
  /**
   * sha256 of that body as it came off the wire, so identical compressed bytes
   * are not even decompressed. Null in states stored before it was kept.
   */
  wireHash: z.string().nullable().default(null),
  /** Where a permanent redirect (301/308) sent us; used from then on while the config URL stays `redirectedFrom`. */
  redirectedTo: z.string().nullable(),
  redirectedFrom: z.string().nullable(),
  /** The URL of the last attempt, so a gone source is retried once the operator changes its URL. */
  lastUrl: z.string().nullable(),
  /** The feed's own refresh hint (ttl, sy:updatePeriod), kept for fetches that do not parse. */
  ttlMinutes: z.number().nullable(),
  /** The feed's `<skipHours>` and `<skipDays>`, kept like ttlMinutes. Empty in states stored before they were kept. */
  skipHours: SkipHoursSchema.default([]),
  skipDays: SkipDaysSchema.default([]),
  lastAttemptAt: IsoDate.nullable(),
  lastSuccessAt: IsoDate.nullable(),
  lastHttpStatus: z.number().int().nullable(),
  consecutiveErrors: z.number().int().nonnegative(),
  lastError: z
    .object({ code: z.string(), message: z.string(), at: IsoDate })
    .nullable(),
  nextAttemptAt: IsoDate.nullable(),
  /** Articles of this source currently in the store. */
  itemsStored: z.number().int().nonnegative(),
  /**
   * The sort key of the oldest of them, so a fetch that parses nothing (a 304,
   * the same body) knows without reading the index whether one has outlived
   * `retention.maxAgeDays`. Null when there are none, and in states stored
   * before it was kept.
   */
  oldestKept: IsoDate.nullable().default(null),
  bytesFetched: z.number().int().nonnegative(),
  /** Bumped whenever this source's stored articles change; renderers' caches key on it. */
  revision: z.number().int().nonnegative(),
});

export type SourceStatus = (typeof SOURCE_STATUSES)[number];
export type SourceState = z.infer<typeof SourceStateSchema>;

/** The state of a source never fetched before. */
export function initialSourceState(sourceId: string): SourceState {
  return {
    sourceId,
    status: 'new',
    etag: null,
    lastModified: null,
    bodyHash: null,
    wireHash: null,
    redirectedTo: null,
    redirectedFrom: null,
    lastUrl: null,
    ttlMinutes: null,
    skipHours: [],
    skipDays: [],
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastHttpStatus: null,
    consecutiveErrors: 0,
    lastError: null,
    nextAttemptAt: null,
    itemsStored: 0,
    oldestKept: null,
    bytesFetched: 0,
    revision: 0,
  };
}
