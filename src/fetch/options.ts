/**
 * The fetcher's options: the zod schema callers configure it with, and the
 * resolved form (every derived default filled in) the rest of the stage reads.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

const MiB = 1024 * 1024;

/** Default wire cap: far above any real feed, low enough that a runaway download is cut short. */
export const DEFAULT_MAX_BYTES = 15 * MiB;

/**
 * The decompressed cap defaults to this multiple of `maxBytes` (60 MiB with the
 * defaults). Feed XML compresses 4-10x, so a feed that fits the wire cap but not
 * this is already far bigger than anything the parser should hold in memory;
 * what remains is a decompression bomb.
 */
export const DECOMPRESSED_FACTOR = 4;

/** Response headers are given at most this long (or `timeoutMs` if shorter) unless configured. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

const positiveInt = z.number().int().positive();

/** Fetcher configuration; every field optional. Derived defaults are documented per field. */
export const FetcherOptionsSchema = z
  .object({
    /** Total time for one fetch (every redirect hop and the whole body), not counting a wait for a slot. */
    timeoutMs: positiveInt.default(20_000),
    /** Connect + TLS + response headers, per hop. Default: min(timeoutMs, 10 s). */
    headersTimeoutMs: positiveInt.optional(),
    /** Cap on bytes read from the wire (and on a file: body). */
    maxBytes: positiveInt.default(DEFAULT_MAX_BYTES),
    /** Cap on the decoded body of a compressed response. Default: 4 x maxBytes. */
    maxDecompressedBytes: positiveInt.optional(),
    /** Redirect hops followed before giving up with `redirect_loop`. */
    maxRedirects: z.number().int().nonnegative().default(5),
    /** Sent on every request. Default names byline and its version. */
    userAgent: z.string().trim().min(1).optional(),
    /** Allow loopback, private and other non-public addresses (tests, intranet feeds). */
    allowPrivateAddresses: z.boolean().default(false),
    /** Allow file: URLs (read from disk, same size cap). */
    allowFile: z.boolean().default(true),
    /** Requests in flight across all hosts. */
    concurrency: positiveInt.default(16),
    /** Requests in flight to one host (host name and port of the requested URL). */
    perHostConcurrency: positiveInt.default(2),
  })
  .strict();

/** What callers pass to createFetcher. */
export type FetcherOptions = z.input<typeof FetcherOptionsSchema>;

/** The options with every default resolved. */
export type ResolvedFetcherOptions = Required<z.output<typeof FetcherOptionsSchema>>;

let cachedUserAgent: string | null = null;

/** `byline/<version> (+https://github.com/byline; feed aggregator)`, the version read once from package.json. */
export function defaultUserAgent(): string {
  if (cachedUserAgent === null) {
    cachedUserAgent = `byline/${readVersion()} (+https://github.com/byline; feed aggregator)`;
  }
  return cachedUserAgent;
}

function readVersion(): string {
  // Both src/fetch/ and dist/fetch/ sit two levels below the package root.
  try {
    const raw: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const parsed = z.object({ version: z.string().min(1) }).safeParse(raw);
    return parsed.success ? parsed.data.version : 'dev';
  } catch {
    return 'dev';
  }
}

/** Validates options at once and fills derived defaults; invalid options throw a ConfigError naming each field. */
export function resolveFetcherOptions(options: FetcherOptions): ResolvedFetcherOptions {
  const parsed = FetcherOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        file: 'fetcher options',
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
      { cause: parsed.error },
    );
  }
  const o = parsed.data;
  return {
    ...o,
    headersTimeoutMs: o.headersTimeoutMs ?? Math.min(o.timeoutMs, DEFAULT_HEADERS_TIMEOUT_MS),
    maxDecompressedBytes: o.maxDecompressedBytes ?? o.maxBytes * DECOMPRESSED_FACTOR,
    userAgent: o.userAgent ?? defaultUserAgent(),
  };
}
