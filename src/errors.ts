/**
 * The one error hierarchy of byline. Every error carries a stable `code` that
 * operators, the health view and tests can rely on, and keeps its `cause`.
 */

/** Base class: a machine-readable code, a human message, the underlying cause. */
export class BylineError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem found in a config file: which file, which field, what is wrong. */
export interface ConfigIssue {
  file: string;
  path: string;
  message: string;
}

/** Invalid configuration; the message lists every issue as `file: path: message`. */
export class ConfigError extends BylineError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super('config_invalid', issues.map(formatConfigIssue).join('\n'), options);
    this.issues = issues;
  }
}

/**
 * A command line byline cannot use, found by a command rather than by the
 * argument parser (a file argument that is not what the command takes, a
 * malformed option value): nothing was done.
 */
export class UsageError extends BylineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
  }
}

/** `feeds/sources.yaml: sources[3].url: invalid URL` (path left out when the whole file is at fault). */
export function formatConfigIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.file}: ${issue.path}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/**
 * Stable codes for every way fetching a source can fail. Classification into
 * these happens in one place only: src/fetch/classify.ts.
 */
export const FETCH_ERROR_CODES = [
  'timeout',
  'dns',
  'connect',
  'tls',
  'http_status',
  'too_large',
  'decompression_limit',
  'redirect_loop',
  'blocked_address',
  'unsupported_scheme',
  'gone',
  'rate_limited',
  'encoding_error',
  'truncated',
] as const;
export type FetchErrorCode = (typeof FETCH_ERROR_CODES)[number];

/** A fetch that did not produce a usable response. */
export class FetchError extends BylineError {
  declare readonly code: FetchErrorCode;
  /** The URL that failed, without the user name and password it may have been fetched with. */
  readonly url: string;
  /** HTTP status when the server answered. */
  readonly status: number | null;
  /** Seconds the server asked us to wait (Retry-After), when given. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: FetchErrorCode,
    message: string,
    details: { url: string; status?: number | null; retryAfterSeconds?: number | null; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.url = details.url;
    this.status = details.status ?? null;
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
  }
}

export const PARSE_ERROR_CODES = ['not_a_feed', 'parse_error'] as const;
export type ParseErrorCode = (typeof PARSE_ERROR_CODES)[number];

/** The bytes were fetched but are not a feed we can read. */
export class ParseError extends BylineError {
  declare readonly code: ParseErrorCode;

  constructor(code: ParseErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The store could not read or write; the message names the backend. */
export class StoreError extends BylineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_error', message, options);
  }
}

/**
 * A stored record that is not what its key must hold (not JSON, or not its
 * schema): the store answered, and the record itself is bad. Unlike a store
 * that is down or slow, retrying will not help; a caller that can rebuild the
 * record may replace it.
 */
export class UnreadableRecordError extends StoreError {}

/** Who holds a store's cycle lock, as {@link CycleLockedError} reports it. */
export interface CycleLockHolderInfo {
  pid: number;
  hostname: string;
  startedAt: string;
  expiresAt: string;
}

/**
 * Another process is running a cycle over the same store: one cycle per store
 * at a time, since a commit rewrites its source's index from what it read.
 */
export class CycleLockedError extends BylineError {
  readonly holder: CycleLockHolderInfo;

  constructor(holder: CycleLockHolderInfo, options?: { cause?: unknown }) {
    super(
      'cycle_locked',
      `another cycle is running on this store: pid ${holder.pid} on ${holder.hostname} since ${holder.startedAt} ` +
        `(its lock lapses at ${holder.expiresAt} unless renewed)`,
      options,
    );
    this.holder = holder;
  }
}

/** This process's cycle lock was taken over or could not be renewed in time; its cycle stopped early. */
export class CycleLockLostError extends BylineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('cycle_lock_lost', message, options);
  }
}

/** The server could not take its address; the message says why in an operator's terms. */
export class ListenError extends BylineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('listen_failed', message, options);
  }
}

/** Every code a source's health can show as its last error. */
export type SourceErrorCode = FetchErrorCode | ParseErrorCode | 'store_error' | 'internal';

/** Reduces anything thrown while refreshing a source to `{ code, message }` for the health view. */
export function describeError(error: unknown): { code: SourceErrorCode; message: string } {
  if (error instanceof FetchError || error instanceof ParseError) return { code: error.code, message: error.message };
  if (error instanceof StoreError) return { code: 'store_error', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}
