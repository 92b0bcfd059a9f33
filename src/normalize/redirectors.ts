/**
 * Click redirectors that search engines' alert and news feeds put in front of
 * every link (Google Alerts: `https://www.google.com/url?…&url=<article>`,
 * Bing News: `https://www.bing.com/news/apiclick.aspx?…&url=<article>`). The
 * article lives at the address they wrap: that is the link a credit has to
 * name, and the one another source's item for the same article carries.
 */
import { resolveUrl } from './urls.js';

/** Google's country sites: google.com, google.de, google.co.uk, google.com.au. */
const GOOGLE_HOST = /^(?:www\.)?google\.(?:com?\.)?[a-z]{2,3}$/;
const BING_HOST = /^(?:www\.)?bing\.com$/;

/** Cheap test before parsing: most links name neither redirector. */
const MAYBE_REDIRECTOR = /^https?:\/\/(?:www\.)?(?:google|bing)\./i;

/**
 * The address a redirector link wraps, when `href` is one and the address is
 * an absolute http(s) URL; `href` itself otherwise. A wrapped `javascript:` or
 * relative address is not followed.
 */
export function unwrapRedirector(href: string): string {
  const trimmed = href.trim();
  if (!MAYBE_REDIRECTOR.test(trimmed)) return href;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return href;
  }
  const target = wrappedAddress(url);
  return target !== null && resolveUrl(target) !== null ? target : href;
}

function wrappedAddress(url: URL): string | null {
  const host = url.hostname.toLowerCase();
  if (GOOGLE_HOST.test(host) && url.pathname === '/url') return url.searchParams.get('url') ?? url.searchParams.get('q');
  if (BING_HOST.test(host) && url.pathname.toLowerCase() === '/news/apiclick.aspx') return url.searchParams.get('url');
  return null;
}

/**
 * Whether an alias key names a click-redirector link that wraps an article's
 * address (`url:https://www.google.com/url?…&url=…`): the key an item keeps
 * when its link was taken out of one (see aliasKeysFor), and so the mark of
 * an item that came through a search engine's alert or news feed rather than
 * from the publisher.
 */
export function isRedirectorKey(key: string): boolean {
  if (!key.startsWith('url:')) return false;
  const link = key.slice('url:'.length);
  return unwrapRedirector(link) !== link;
}
