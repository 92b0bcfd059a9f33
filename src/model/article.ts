/**
 * The one article model every source is normalized into, and the shape the
 * store keeps and the renderers read. Dates are ISO 8601 strings in UTC so the
 * model survives JSON round trips through any store backend unchanged.
 */
import { z } from 'zod';
import { CreditSchema } from './credit.js';

const IsoDate = z.iso.datetime({ offset: true });

export const ImageSchema = z.object({
  url: z.string(),
  type: z.string().nullable(),
  /** Bytes, when the source said (enclosure length) or a HEAD request told us. */
  length: z.number().int().nonnegative().nullable(),
});

/** An episode's audio or video file: what podcast apps play and newsletters link to. */
export const MediaEnclosureSchema = z.object({
  /** Absolute http(s). */
  url: z.string(),
  /** An `audio/*` or `video/*` MIME type, as the source gave it or guessed from the file extension. */
  type: z.string(),
  /** Bytes, when the source said. */
  length: z.number().int().nonnegative().nullable(),
});

/** A date's margin: an approximate reading is off by up to this many milliseconds. */
const Margin = z.number().int().positive();

/** The margins of an article's approximate dates; a date read exactly has none. */
export const DateMarginsSchema = z.object({ published: Margin.optional(), updated: Margin.optional() });

export const ArticleSchema = z.object({
  /** Stable id derived once from the canonical link (or source id + upstream guid); never recomputed. */
  id: z.string().min(1),
  /** The GUID published in every output format; derived from `id`, so it never changes. */
  guid: z.string().min(1),
  sourceId: z.string(),
  title: z.string(),
  /** The original article's canonical, absolute URL (tracking parameters removed). */
  url: z.string(),
  upstreamGuid: z.string().nullable(),
  /** Publication time, never later than `firstSeen`; `firstSeen` itself when the source gave none. */
  published: IsoDate,
  /** Whether `published` came from the source (false: it is the first-seen time). */
  dateFromSource: z.boolean(),
  updated: IsoDate.nullable(),
  /** When byline first stored this article; written once. */
  firstSeen: IsoDate,
  authors: z.array(z.string()),
  /** Plain-text summary (no markup). */
  summary: z.string().nullable(),
  /** Sanitized HTML with absolute URLs. The credit footer is added by renderers, not stored. */
  contentHtml: z.string(),
  image: ImageSchema.nullable(),
  categories: z.array(z.string()),
  credit: CreditSchema,
  /**
   * The item's first audio or video enclosure. Absent when it has none, and in
   * articles stored before it was kept. Last, so a stored article parses back
   * with its keys in the order normalize writes them (dedup compares the two
   * as JSON).
   */
  enclosure: MediaEnclosureSchema.optional(),
  /**
   * How far each date may be from the time the source means, in
   * milliseconds, when it was read only roughly: from relative or partial
   * text against the time of the fetch (`3小时前`: an hour; `11月26日 09:05`:
   * a minute), or a `CST` read as US time for want of evidence. A later
   * reading replaces such a date when it is exact, or closer than this
   * (pipeline/plan.ts). Absent when both dates are exact, and in articles
   * stored before it was kept, which count as exact. Stored, never
   * published. Last, for the same reason as `enclosure`.
   */
  dateMargins: DateMarginsSchema.optional(),
});

export type Image = z.infer<typeof ImageSchema>;
export type MediaEnclosure = z.infer<typeof MediaEnclosureSchema>;
export type DateMargins = z.infer<typeof DateMarginsSchema>;

/**
 * The margins of an article's dates, with only the rough ones named; null
 * when both were read exactly, so such an article carries no field at all.
 */
export function dateMarginsOf(published: number | null | undefined, updated: number | null | undefined): DateMargins | null {
  if (published == null && updated == null) return null;
  return { ...(published != null ? { published } : {}), ...(updated != null ? { updated } : {}) };
}
export type Article = z.infer<typeof ArticleSchema>;
