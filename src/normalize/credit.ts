/**
 * Builds the credit every article carries: who the source is, where it lives,
 * how it asks to be credited, and the upstream publisher when the source itself
 * republished the item (RSS `<source>`, `atom:source`).
 */
import { withoutCredentials, type Credit, type RawUpstream, type Source, type Via } from '../model/index.js';
import { htmlToText } from './text.js';
import { resolveUrl } from './urls.js';

/** What `buildCredit` needs to know beyond the source's configuration. */
export interface CreditInput {
  source: Source;
  /** The address the feed was fetched from. */
  feedUrl: string;
  /** The feed's own home-page link, already absolute (or null). */
  feedLink: string | null;
  /** The article's canonical URL. */
  originalUrl: string;
  /** The upstream publisher the item names, if any. */
  upstream: RawUpstream | null;
}

/**
 * The credit of one article. `sourceSite` prefers the configured site over the
 * feed's link; `via` lists the item's upstream publisher unless it is the source
 * itself (same name, same site or same feed).
 */
export function buildCredit(input: CreditInput): Credit {
  const { source, feedUrl, feedLink, originalUrl } = input;
  const sourceSite = source.site ?? feedLink ?? null;
  const via = viaFor(input.upstream, { source, feedUrl, sourceSite });
  return {
    sourceId: source.id,
    sourceName: source.name,
    sourceSite,
    feedUrl: withoutCredentials(feedUrl),
    originalUrl,
    creditLine: source.credit ?? null,
    license: source.license ?? null,
    via: via ? [via] : [],
  };
}

function viaFor(
  upstream: RawUpstream | null,
  self: { source: Source; feedUrl: string; sourceSite: string | null },
): Via | null {
  if (!upstream) return null;
  const url = upstream.url ? resolveUrl(upstream.url, self.sourceSite ?? self.feedUrl) : null;
  const feedUrl = upstream.feedUrl ? resolveUrl(upstream.feedUrl, self.sourceSite ?? self.feedUrl) : null;
  const title = upstream.title ? htmlToText(upstream.title) : '';
  const name = title || hostOf(url) || hostOf(feedUrl);
  if (!name) return null;
  const selfUrls = [self.source.url, self.feedUrl, self.sourceSite].filter((value): value is string => !!value);
  const isSelf =
    name.toLowerCase() === self.source.name.trim().toLowerCase() ||
    [url, feedUrl].some((candidate) => candidate !== null && selfUrls.some((own) => sameAddress(candidate, own)));
  return isSelf ? null : { name, url, feedUrl };
}

/** Same page, ignoring scheme, a leading `www.` and a trailing slash. */
function sameAddress(a: string, b: string): boolean {
  const left = comparable(a);
  return left !== null && left === comparable(b);
}

function comparable(value: string): string | null {
  try {
    const url = new URL(value);
    return `${url.hostname.replace(/^www\./, '')}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  } catch {
    return null;
  }
}

function hostOf(url: string | null): string {
  if (!url) return '';
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}
