/**
 * A feed URL as two sources are compared by: parsed and serialized, so
 * `HTTPS://A.example` and `https://a.example/` are the same feed. Used by the
 * config check (two enabled sources may not fetch one feed) and by the OPML
 * import (a feed already configured is not added again).
 */
export function feedKey(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}
