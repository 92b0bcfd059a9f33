/**
 * The fetch stage's public face: create a fetcher from options, fetch a URL,
 * get bytes plus caching facts, or a FetchError with a stable code.
 */
export { createFetcher, ACCEPT_HEADER, ACCEPT_ENCODING_HEADER, type Fetcher } from './fetcher.js';
export {
  FetcherOptionsSchema,
  defaultUserAgent,
  DEFAULT_MAX_BYTES,
  type FetcherOptions,
  type ResolvedFetcherOptions,
} from './options.js';
export { FetchResultSchema, type FetchResult, type FetchRequest } from './result.js';
export { classifyAddress, isPublicAddress, ADDRESS_KINDS, type AddressKind } from './address.js';
export { parseRetryAfter, parseCacheControlMaxAge, parseExpires, parseHttpDate } from './http-headers.js';
export { Semaphore, type Release } from './semaphore.js';
