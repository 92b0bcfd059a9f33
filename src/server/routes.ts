/**
 * Which URL path serves which published output, and how: its media type,
 * whether other origins may read it (feeds: yes, pages: no), and whether it
 * is a feed that WebSub announces. Output paths are the ones the publish job
 * renders (and `byline build` writes), so the server and a static host serve
 * the same tree.
 */

/** How one request path is served. */
export interface Route {
  /** The output path to render (relative to the site root, as `byline build` writes it). */
  path: string;
  type: string;
  /** The type sent to a browser navigation instead, when it differs (RSS, so the XSL view applies). */
  browserType: string | null;
  cors: boolean;
  /** A feed a WebSub hub is told about (gets the hub Link header). */
  feed: boolean;
}

const RSS = 'application/rss+xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';
const JSON_FEED = 'application/feed+json; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
const XML_FOR_BROWSERS = 'application/xml; charset=utf-8';

const page = (path: string): Route => ({ path, type: HTML, browserType: null, cors: false, feed: false });
const rss = (path: string, feed: boolean): Route => ({ path, type: RSS, browserType: XML_FOR_BROWSERS, cors: true, feed });
const other = (path: string, type: string, feed = false): Route => ({ path, type, browserType: null, cors: true, feed });

const FIXED: Readonly<Record<string, Route>> = {
  '/': page('index.html'),
  '/index.html': page('index.html'),
  '/sources': page('sources.html'),
  '/sources.html': page('sources.html'),
  '/archive': page('archive/index.html'),
  '/archive/': page('archive/index.html'),
  '/archive/index.html': page('archive/index.html'),
  '/feed.xml': rss('feed.xml', true),
  '/newsletter.xml': rss('newsletter.xml', true),
  '/atom.xml': other('atom.xml', ATOM, true),
  '/feed.json': other('feed.json', JSON_FEED, true),
  '/alerts.xml': other('alerts.xml', ATOM),
  '/opml.xml': other('opml.xml', 'text/x-opml; charset=utf-8'),
  '/feed.xsl': other('feed.xsl', 'text/xsl; charset=utf-8'),
};

const ARCHIVE_PAGE = /^\/archive\/([1-9][0-9]{0,8})\.(xml|atom|json)$/;

/** The route for a request path, or `null` (404). */
export function routeFor(pathname: string): Route | null {
  const fixed = FIXED[pathname];
  if (fixed) return fixed;
  const match = ARCHIVE_PAGE.exec(pathname);
  if (!match) return null;
  const path = pathname.slice(1);
  if (match[2] === 'xml') return rss(path, false);
  return other(path, match[2] === 'atom' ? ATOM : JSON_FEED);
}
