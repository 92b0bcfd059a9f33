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
 * The user info a URL parser would read in text that does not parse as a URL:
 * after the scheme and its slashes, up to the authority's last `@`.
 */
const UNPARSED_USER_INFO = /^(\s*[a-z][a-z\d+.-]*:[/\\]*)[^/\\?#]*@/i;

/**
 * The URL as anyone may see it: without the user name and password a private
 * feed's URL can carry. Outputs, the health view, alerts and error messages
 * print feed URLs; only the fetcher needs the credentials. Text meant as a URL
 * that does not parse (a broken Location) loses what a parser would take for
 * user info.
 */
export function withoutCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(UNPARSED_USER_INFO, '$1');
  }
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

/** A line break or tab, with the spaces and other breaks around it. */
const LINE_BREAK_RUN = / *[\t\n\r][\t\n\r ]*/g;

/**
 * Configured text shown as one line: a title or a name. A line break in it
 * (a YAML block scalar, a `\r` escape) would reach the feeds literally, where
 * an XML reader turns `\r` into `\n` and a reader shows a broken title; runs
 * of line breaks and tabs fold into one space, as they do in titles read from
 * feeds, and the ends are trimmed.
 */
export function singleLineText(): z.ZodString {
  return z
    .string()
    .overwrite((value) => value.replace(LINE_BREAK_RUN, ' '))
    .trim();
}

export const SourceSchema = z
  .object({
    id: z.string().regex(SLUG, { message: 'must be a slug: lower-case letters, digits, - or _' }),
    name: singleLineText().min(1, { message: 'must not be empty' }),
    url: FeedUrlSchema,
    // Published as the credit's link: a login pasted with a private site's address is not.
    site: WebUrlSchema.overwrite(withoutCredentials).optional(),
    credit: z.string().trim().min(1).optional(),
    license: z.string().trim().min(1).optional(),
    enabled: z.boolean().default(true),
    /** A cron expression overriding the global schedule for this source. */
    schedule: z.string().optional(),
  })
  .strict();

export type Source = z.infer<typeof SourceSchema>;
