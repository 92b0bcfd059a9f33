/**
 * A source is one feed an operator listed in `feeds/`. The schema is the
 * contract of the config files; the config loader adds file/field context.
 */
import { z } from 'zod';

const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

/** http(s) or file URL; anything else is refused when the config is loaded. */
export const FeedUrlSchema = z.string().refine(
  (value) => {
    try {
      return ['http:', 'https:', 'file:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: 'invalid URL (expected http, https or file)' },
);

/** An http(s) page address such as a source's home page. */
export const WebUrlSchema = z.string().refine(
  (value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: 'invalid URL (expected http or https)' },
);

/**
 * The URL as anyone may see it: without the user name and password a private
 * feed's URL can carry. Outputs, the health view and alerts publish feed URLs;
 * only the fetcher needs the credentials.
 */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return url;
  }
}

export const SourceSchema = z
  .object({
    id: z.string().regex(SLUG, { message: 'must be a slug: lower-case letters, digits, - or _' }),
    name: z.string().trim().min(1, { message: 'must not be empty' }),
    url: FeedUrlSchema,
    site: WebUrlSchema.optional(),
    credit: z.string().trim().min(1).optional(),
    license: z.string().trim().min(1).optional(),
    enabled: z.boolean().default(true),
    /** A cron expression overriding the global schedule for this source. */
    schedule: z.string().optional(),
  })
  .strict();

export type Source = z.infer<typeof SourceSchema>;
