/**
 * A feed URL as two sources are compared by: parsed and serialized, so
 * `HTTPS://A.example` and `https://a.example/#top` are the same feed. Used by the
 * config check (two enabled sources may not fetch one feed) and by the OPML
 * import (a feed already configured is not added again).
 */
export function feedKey(url: string): string {
  try {
    const parsed = new URL(url);
    // The fragment never reaches the server: `…/feed#a` and `…/feed` are one request.
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url;
  }
}
