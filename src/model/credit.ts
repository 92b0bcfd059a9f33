/**
 * Credit is byline's core promise: every article keeps who published it first,
 * where, and how they ask to be credited. Renderers show it in every format.
 */
import { z } from 'zod';

/** An upstream publisher when a source is itself an aggregator (RSS `<source>`, `atom:source`). */
export const ViaSchema = z.object({
  name: z.string(),
  url: z.string().nullable(),
  feedUrl: z.string().nullable(),
});

export const CreditSchema = z.object({
  sourceId: z.string(),
  sourceName: z.string(),
  /** The source's home page (config `site`, else the feed's own link). */
  sourceSite: z.string().nullable(),
  feedUrl: z.string(),
  originalUrl: z.string(),
  /** The source's republishing line, e.g. "Please credit GogoAI when republishing." */
  creditLine: z.string().nullable(),
  license: z.string().nullable(),
  /** Upstream publishers, nearest first. */
  via: z.array(ViaSchema).default([]),
});

export type Via = z.infer<typeof ViaSchema>;
export type Credit = z.infer<typeof CreditSchema>;

/** The footer every item's content ends with by default; see README "Output formats and credit". */
export const DEFAULT_FOOTER_TEMPLATE = '📌 Source: {name}[ ({site})]\n🔗 Original: {link}\n⚠️ {credit}';
