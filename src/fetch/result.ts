/**
 * The contract between the fetch stage and its callers: what a request may
 * carry and what a successful fetch returns. Failures are FetchErrors instead.
 */
import { z } from 'zod';

/** Per-request inputs: the validators from the last 200 and an optional cancel signal. */
export interface FetchRequest {
  /** Sent as If-None-Match. */
  etag?: string | null;
  /** Sent as If-Modified-Since. */
  lastModified?: string | null;
  /**
   * Hex SHA-256 of the last body read from this URL. A 200 whose body hashes
   * the same comes back without it (`body` null, `bodySha256` this hash): the
   * caller has it, and the body is then never assembled in memory.
   */
  bodySha256?: string | null;
  /**
   * Hex SHA-256 of that body as it came off the wire (`wireSha256` of its
   * fetch). With `bodySha256`, a compressed body whose bytes hash the same is
   * not even decompressed.
   */
  wireSha256?: string | null;
  /** Cancels the fetch, queued or in flight; it then rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A fetch that produced a usable answer: a 2xx body or a 304. */
export const FetchResultSchema = z.object({
  /** The URL asked for. */
  url: z.string(),
  /** Where the body came from after redirects. */
  finalUrl: z.string(),
  /** 200..299, or 304. */
  status: z.number().int(),
  notModified: z.boolean(),
  /**
   * Where the leading run of permanent (301/308) hops led: the URL to use from
   * now on. Null when there was no redirect or the first hop was temporary.
   */
  permanentRedirect: z.string().nullable(),
  /** Response validators; on a 304 that omits them, the ones sent. */
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  /** The Content-Type header as sent, or null. */
  contentType: z.string().nullable(),
  /** Cache-Control s-maxage or max-age, seconds. */
  maxAgeSeconds: z.number().int().nonnegative().nullable(),
  /** Expires as ISO 8601 UTC. */
  expiresAt: z.string().nullable(),
  /** Retry-After in seconds from the time of the response. */
  retryAfterSeconds: z.number().int().nonnegative().nullable(),
  /** Decoded (decompressed) body; null on 304 and when it hashes as the request's `bodySha256`. */
  body: z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'expected bytes' }).nullable(),
  /** Hex SHA-256 of the decoded body; null on 304. */
  bodySha256: z.string().nullable(),
  /** Hex SHA-256 of the body's bytes on the wire, before decompression; null on 304. */
  wireSha256: z.string().nullable(),
  /** Body bytes as they came off the wire (compressed size). */
  bytesReceived: z.number().int().nonnegative(),
  /** Time spent fetching, not counting any wait for a concurrency slot. */
  elapsedMs: z.number().nonnegative(),
});

export type FetchResult = z.infer<typeof FetchResultSchema>;
