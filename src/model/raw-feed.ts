/**
 * The format-neutral result of parsing: what the document said, decoded but not
 * yet interpreted. Parsers produce it (step one), normalize turns it into
 * Articles (step two). Every optional value is `null`, never missing.
 */
import { z } from 'zod';

export const FEED_FORMATS = ['rss2', 'rss1', 'rss09', 'atom', 'jsonfeed'] as const;

export const RawEnclosureSchema = z.object({
  url: z.string(),
  type: z.string().nullable(),
  length: z.number().nullable(),
});

export const RawMediaSchema = z.object({
  url: z.string(),
  type: z.string().nullable(),
  /** media:content `medium` (image, video…) when given. */
  medium: z.string().nullable(),
  width: z.number().nullable(),
  /** Media RSS `fileSize` in bytes: null when absent or not a whole number. */
  fileSize: z.number().int().nonnegative().nullable(),
});

/** An upstream publisher named by the item itself (RSS `<source>`, `atom:source`, JSON Feed extension). */
export const RawUpstreamSchema = z.object({
  title: z.string().nullable(),
  url: z.string().nullable(),
  feedUrl: z.string().nullable(),
});

export const RawItemSchema = z.object({
  guid: z.string().nullable(),
  /** RSS guid isPermaLink: null when the attribute is absent. */
  guidIsPermaLink: z.boolean().nullable(),
  /** Title as found: may hold entities or markup; normalize makes it plain text. */
  title: z.string().nullable(),
  link: z.string().nullable(),
  /**
   * The publisher's own address of an item whose `link` a redirecting proxy
   * wrote (FeedBurner's `feedburner:origLink`, beside a feedproxy.google.com
   * link); null otherwise.
   */
  originalLink: z.string().nullable(),
  /**
   * Base URL in force for this item (xml:base), before the feed's own link:
   * the whole chain, the feed's base included, so a relative one is relative
   * to the document's URL.
   */
  base: z.string().nullable(),
  /**
   * Base URL in force for its content and summary when they set their own
   * (Atom's `<content xml:base>`, RSS's `<description xml:base>`), else null:
   * `base` applies. The whole chain, as `base`; the item's link never
   * resolves against it.
   */
  contentBase: z.string().nullable(),
  /** Date strings exactly as found; normalize parses them. */
  published: z.string().nullable(),
  updated: z.string().nullable(),
  authors: z.array(z.string()),
  /** Summary/description as found (HTML or text). */
  summary: z.string().nullable(),
  /** Full content as found (HTML). */
  content: z.string().nullable(),
  categories: z.array(z.string()),
  enclosures: z.array(RawEnclosureSchema),
  media: z.array(RawMediaSchema),
  /** itunes:image, media:thumbnail or JSON Feed image/banner_image. */
  thumbnail: z.string().nullable(),
  upstream: RawUpstreamSchema.nullable(),
});

/** Hours of the day (0-23, UTC) in which a channel asks not to be read (RSS `<skipHours>`). */
export const SkipHoursSchema = z.array(z.number().int().min(0).max(23));
/** Days of the week (0 = Sunday, UTC) in which a channel asks not to be read (RSS `<skipDays>`). */
export const SkipDaysSchema = z.array(z.number().int().min(0).max(6));

export const RawFeedSchema = z.object({
  format: z.enum(FEED_FORMATS),
  title: z.string().nullable(),
  /** The feed's home page link. */
  link: z.string().nullable(),
  /** The feed's own address as it declares it (rel=self, feed_url). */
  selfUrl: z.string().nullable(),
  /** xml:base on the root element. */
  base: z.string().nullable(),
  description: z.string().nullable(),
  language: z.string().nullable(),
  /** RSS `<ttl>` in minutes, or sy:updatePeriod/updateFrequency turned into minutes. */
  ttlMinutes: z.number().nullable(),
  skipHours: SkipHoursSchema,
  skipDays: SkipDaysSchema,
  items: z.array(RawItemSchema),
});

export type FeedFormat = (typeof FEED_FORMATS)[number];
export type RawEnclosure = z.infer<typeof RawEnclosureSchema>;
export type RawMedia = z.infer<typeof RawMediaSchema>;
export type RawUpstream = z.infer<typeof RawUpstreamSchema>;
export type RawItem = z.infer<typeof RawItemSchema>;
export type RawFeed = z.infer<typeof RawFeedSchema>;
