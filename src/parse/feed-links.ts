/**
 * The feeds an HTML page names in its head (`<link rel="alternate"
 * type="application/rss+xml" href="…">`, the autodiscovery convention, and
 * the same for Atom and JSON Feed). A source whose URL is a site's page
 * rather than its feed fails as not_a_feed; with these its error says which
 * URL to configure instead. byline does not follow them on its own: a page
 * often lists several (posts, comments, a category), and which one is the
 * source is the operator's choice.
 */
import { withoutCredentials } from '../model/index.js';
import { parseAttributes } from './xml-tokens.js';

const FEED_TYPES: ReadonlyMap<string, string> = new Map([
  ['application/rss+xml', 'RSS'],
  ['application/atom+xml', 'Atom'],
  ['application/feed+json', 'JSON Feed'],
]);

/** Links come in the head; a page that never closes it is read this far. */
const HEAD_LIMIT = 100_000;
const MAX_FEEDS = 3;
/** Longer links are not named: the message goes to logs, terminals and the health view. */
const MAX_URL_LENGTH = 2048;

/** One feed link, as the error names it: the address, then the format in parentheses. */
export interface FeedLink {
  url: string;
  format: string;
}

/**
 * The address the error names for a link, or null for one it should not.
 * Only http(s) URLs that parse are named, serialized (so no control
 * character or space survives) and without user info: a relative link takes
 * the page address's, which holds the password of a private feed. Without a
 * page address, a relative link is named as written unless it holds a
 * control character. The page is the source's, not ours, and the message
 * reaches logs, terminals, the health view and alerts.
 */
function feedUrl(href: string, base: string | null): string | null {
  if (href.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = base === null ? new URL(href) : new URL(href, base);
  } catch {
    // Without a page address a relative link cannot be resolved, and is named as written.
    return base === null && !/[\u0000-\u001f\u007f-\u009f]/.test(href) ? href : null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const named = withoutCredentials(url.href);
  return named.length <= MAX_URL_LENGTH ? named : null;
}

/**
 * The first few feeds the page links to, in document order, each once,
 * resolved against `base` (the address the page was fetched from) when
 * there is one (see {@link feedUrl}).
 */
export function advertisedFeeds(html: string, base: string | null): FeedLink[] {
  const head = html.slice(0, HEAD_LIMIT);
  const end = head.search(/<\/head\s*>|<body[\s>]/i);
  const feeds: FeedLink[] = [];
  for (const tag of (end === -1 ? head : head.slice(0, end)).matchAll(/<link\b([^>]*)>/gi)) {
    const attributes = parseAttributes(tag[1]!, { html: true });
    const rel = (attributes['rel'] ?? '').toLowerCase().split(/\s+/);
    const format = FEED_TYPES.get((attributes['type'] ?? '').trim().toLowerCase().split(';')[0]!.trim());
    const href = (attributes['href'] ?? '').trim();
    if (!rel.includes('alternate') || format === undefined || href === '') continue;
    const url = feedUrl(href, base);
    if (url === null || feeds.some((feed) => feed.url === url)) continue;
    feeds.push({ url, format });
    if (feeds.length === MAX_FEEDS) break;
  }
  return feeds;
}
