/**
 * The schema of the `feeds/` folder: `byline.yaml` holds settings, any file
 * may hold a `sources:` list. Defaults live here and nowhere else.
 */
import cron from 'node-cron';
import { z } from 'zod';
import { DEFAULT_FOOTER_TEMPLATE, isKnownLanguageTag, singleLineText, SourceSchema, WebUrlSchema } from '../model/index.js';

const MIB = 1024 * 1024;

export const CronSchema = z.string().refine((value) => cron.validate(value), {
  message: 'invalid cron expression (expected e.g. "*/15 * * * *")',
});


const FetchSettingsSchema = z
  .object({
    timeoutMs: z.number().int().min(100).max(300_000).default(20_000),
    /** Connect plus response headers; a server that accepts and never answers costs this long. */
    headersTimeoutMs: z.number().int().min(100).max(300_000).optional(),
    maxBytes: z.number().int().min(1024).default(15 * MIB),
    concurrency: z.number().int().min(1).max(256).default(16),
    perHostConcurrency: z.number().int().min(1).max(32).default(2),
    // Sent as a header: control characters (a line break above all) would break every request.
    userAgent: z
      .string()
      .trim()
      .min(1)
      .regex(/^[^\x00-\x1f\x7f]*$/, { message: 'must not contain control characters or line breaks' })
      .optional(),
    allowPrivateAddresses: z.boolean().default(false),
    /** Floor and ceiling of the interval between two checks of one source. */
    minIntervalMinutes: z.number().min(0).default(5),
    maxIntervalMinutes: z.number().min(1).default(24 * 60),
  })
  .strict()
  .refine((fetch) => fetch.minIntervalMinutes <= fetch.maxIntervalMinutes, {
    message: 'must not be more than maxIntervalMinutes',
    path: ['minIntervalMinutes'],
  });

const OutputSettingsSchema = z
  .object({
    maxItems: z.number().int().min(1).max(100_000).default(100),
    footer: z.string().default(DEFAULT_FOOTER_TEMPLATE),
    /** A WebSub hub: advertised in every feed and pinged when new items are published. */
    hubUrl: WebUrlSchema.optional(),
    /** Items per RFC 5005 archive page and per JSON Feed page. */
    archivePageSize: z.number().int().min(10).max(1000).default(100),
    language: z
      .string()
      .refine(isKnownLanguageTag, { message: 'not a known language tag (expected e.g. "en" or "zh-CN")' })
      .optional(),
  })
  .strict();

const RetentionSettingsSchema = z
  .object({
    maxItemsPerSource: z.number().int().min(1).default(200),
    maxAgeDays: z.number().min(1).default(90),
  })
  .strict();

export const SettingsSchema = z
  .object({
    title: singleLineText().min(1).default('Byline: AI industry news'),
    /** Public base URL where byline's outputs are served; self links derive from it. */
    link: WebUrlSchema.default('http://127.0.0.1:8080/'),
    description: z.string().default('AI-industry news from many sources, each item credited to its publisher.'),
    schedule: CronSchema.default('*/15 * * * *'),
    fetch: FetchSettingsSchema.default(FetchSettingsSchema.parse({})),
    output: OutputSettingsSchema.default(OutputSettingsSchema.parse({})),
    retention: RetentionSettingsSchema.default(RetentionSettingsSchema.parse({})),
  })
  .strict();

/** byline.yaml: settings plus, optionally, sources. */
export const SettingsFileSchema = SettingsSchema.extend({
  sources: z.array(z.unknown()).optional(),
}).strict();

/** Any other *.yaml file: only a sources list. */
export const SourcesFileSchema = z.object({ sources: z.array(z.unknown()).default([]) }).strict();

export const ConfigSourceSchema = SourceSchema.extend({ schedule: CronSchema.optional() }).strict();

export type Settings = z.infer<typeof SettingsSchema>;
export type FetchSettings = Settings['fetch'];

/** The whole loaded configuration: what every command starts from. */
export interface Config {
  /** The folder it was read from, as given. */
  dir: string;
  settings: Settings;
  sources: z.infer<typeof ConfigSourceSchema>[];
}
