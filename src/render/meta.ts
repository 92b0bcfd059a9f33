/**
 * The render stage's inputs besides articles: what the combined feed says
 * about itself (FeedMeta) and one row of source health for the index page
 * (SourceRow). Both are zod schemas; the caller builds them from config and
 * the store and parses them here, at the stage boundary.
 */
import { z } from 'zod';
import { SOURCE_STATUSES, WebUrlSchema, isKnownLanguageTag } from '../model/index.js';
import { DEFAULT_FOOTER_TEMPLATE } from './footer.js';

const IsoDate = z.iso.datetime({ offset: true });

/** A BCP 47 tag in its common shape (`en`, `zh-CN`, `zh-Hant-TW`) whose primary subtag is an ISO 639 code. */
const LanguageTagSchema = z
  .string()
  .refine(isKnownLanguageTag, { message: 'must be a language tag with an ISO 639 code, such as en or zh-CN' });

/** One URL per feed format: where the same document lives as RSS, Atom and JSON Feed. */
export const FormatUrlsSchema = z.object({ rss: WebUrlSchema, atom: WebUrlSchema, json: WebUrlSchema });
export type FormatUrls = z.infer<typeof FormatUrlsSchema>;

/**
 * RFC 5005 feed history around one document. On the subscription feed only
 * `prevArchive` is set (the newest complete archive page); on an archive page
 * `archive` is true, `current` names the subscription feed, and the
 * neighbouring pages are linked when they exist. JSON Feed has no archives:
 * its `next_url` takes the `prevArchive` JSON page (older items).
 */
export const PagingSchema = z.object({
  archive: z.boolean(),
  current: FormatUrlsSchema.nullable(),
  prevArchive: FormatUrlsSchema.nullable(),
  nextArchive: FormatUrlsSchema.nullable(),
});
export type Paging = z.infer<typeof PagingSchema>;

/** What the combined feed says about itself, in every format. */
export const FeedMetaSchema = z.object({
  title: z.string().trim().min(1),
  description: z.string(),
  /** The site's home page (config `link`). */
  homeUrl: WebUrlSchema,
  /** Absolute URLs where each output is served; used for self links, ids and the page's alternates. */
  selfUrls: z.object({
    rss: WebUrlSchema,
    atom: WebUrlSchema,
    json: WebUrlSchema,
    html: WebUrlSchema,
    /** The newsletter profile (`/newsletter.xml`), linked from the page when set. */
    newsletter: WebUrlSchema.nullable().default(null),
    /** The sources as OPML, linked from the page when set. */
    opml: WebUrlSchema.nullable().default(null),
  }),
  language: LanguageTagSchema.nullable(),
  /** When the combined feed was built (RSS lastBuildDate; Atom's fallback when there are no entries). */
  updated: IsoDate,
  generator: z.string().trim().min(1).default('byline'),
  /** A WebSub hub, announced with rel="hub" in every format when set. */
  hubUrl: WebUrlSchema.nullable().default(null),
  /** The credit footer template; see renderFooter. */
  footerTemplate: z.string().default(DEFAULT_FOOTER_TEMPLATE),
  /** An XSL stylesheet for browsers viewing the RSS (may be relative, e.g. `/rss.xsl`). */
  stylesheetUrl: z.string().trim().min(1).nullable().default(null),
  /** Archive links (RFC 5005) and JSON Feed paging; null when there are no archive pages. */
  paging: PagingSchema.nullable().default(null),
});

/** Parsed feed metadata (defaults applied). Build it with `FeedMetaSchema.parse(...)`. */
export type FeedMeta = z.infer<typeof FeedMetaSchema>;

/** One source's health as the index page lists it (a subset of the model's SourceHealth). */
export const SourceRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The source's home page, linked from its name when it is a web URL. */
  site: z.string().nullable(),
  status: z.enum(SOURCE_STATUSES),
  /** The last failure; `at` is shown when known. */
  lastError: z.object({ code: z.string(), message: z.string(), at: IsoDate.optional() }).nullable(),
  /** Articles of this source currently stored. */
  items: z.number().int().nonnegative(),
  lastSuccessAt: IsoDate.nullable(),
});

/** One source's health as the index page lists it. */
export type SourceRow = z.infer<typeof SourceRowSchema>;
