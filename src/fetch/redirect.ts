/**
 * Pure bookkeeping for a chain of redirects: which statuses redirect, where a
 * Location points (resolved against the current URL), the hop limit, loops,
 * http(s)-only targets, which hops keep the feed URL's credentials, and where
 * the leading permanent hops lead.
 */
import { FetchFailure } from './failure.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PERMANENT_STATUSES = new Set([301, 308]);

/** True for the statuses byline follows (when a Location is present). */
export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A Location as its bytes were meant. A response head is read as Latin-1 (one
 * character per byte), but a server that puts a non-ASCII path in Location
 * sends it as UTF-8, as browsers read it: `/café` arrives as `/cafÃ©`, which
 * the URL parser would encode a second time. Text that is not valid UTF-8 is
 * taken as it came.
 */
function utf8Location(location: string): string {
  if (!/[\u0080-\u00ff]/.test(location)) return location;
  try {
    return STRICT_UTF8.decode(Buffer.from(location, 'latin1'));
  } catch {
    return location;
  }
}

/**
 * Gives `next` the user info of `from` when both are one origin and `next`
 * names none. A relative Location keeps it by URL resolution; an absolute one
 * to the same server (nginx and Apache write them so, adding a trailing slash
 * or moving a path) must too, or a private feed's first redirect is refused
 * with a 401. Another host, port or scheme (https to http included) gets none.
 */
function keepCredentialsOnOrigin(from: URL, next: URL): void {
  if (next.username !== '' || next.password !== '') return;
  if (from.username === '' && from.password === '') return;
  if (next.origin !== from.origin) return;
  next.username = from.username;
  next.password = from.password;
}

/** Tracks one fetch's redirects; `follow` throws a FetchFailure when a hop must not be taken. */
export class RedirectChain {
  private readonly maxRedirects: number;
  private readonly visited = new Set<string>();
  private hops = 0;
  private stillPermanent = true;
  private permanent: string | null = null;

  constructor(start: URL, maxRedirects: number) {
    this.maxRedirects = maxRedirects;
    this.visited.add(start.href);
  }

  /** Hops followed so far. */
  get length(): number {
    return this.hops;
  }

  /**
   * Where the chain's leading 301/308 hops lead: the URL to use from now on.
   * Null when nothing redirected or the first hop was temporary.
   */
  get permanentTarget(): string | null {
    return this.permanent;
  }

  /** Resolves the next URL for a redirect `status` from `from` to `location` (as the head's Latin-1 text). */
  follow(from: URL, status: number, location: string): URL {
    let next: URL;
    try {
      next = new URL(utf8Location(location), from);
    } catch {
      throw new FetchFailure({ kind: 'invalid_url', input: location });
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new FetchFailure({ kind: 'redirect_scheme', target: next.href });
    }
    // The fragment never reaches the server, so it cannot break a loop.
    next.hash = '';
    keepCredentialsOnOrigin(from, next);
    if (this.visited.has(next.href)) throw new FetchFailure({ kind: 'redirect_loop', target: next.href });
    if (this.hops >= this.maxRedirects) throw new FetchFailure({ kind: 'too_many_redirects', max: this.maxRedirects });
    this.hops += 1;
    this.visited.add(next.href);
    if (this.stillPermanent && PERMANENT_STATUSES.has(status)) this.permanent = next.href;
    else this.stillPermanent = false;
    return next;
  }
}
