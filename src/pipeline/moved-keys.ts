/**
 * A site that moves to https, or to or from `www.`, changes every link in its
 * feed at once, and with it every alias key made of a link: the URL key, and
 * the guid key when the guid is the link (a common permalink guid). Nothing
 * the store knows matches any more, and each article would come back as a new
 * one, with a new GUID, beside the old. Pure: the refresh job asks the store
 * for these keys only when a source that has stored articles finds none of its
 * candidates known, so a cold start or a routine fetch never pays for them.
 */

/** `url:<url>` or `guid:<source>:<url>`: the prefix, and the URL after it. */
const URL_IN_KEY = /^(url:|guid:[^:]+:)(https?:\/\/.+)$/i;

/**
 * The same key with the link as it would have been written before such a
 * move: the other scheme, the host with `www.` added or taken away, and both.
 * Empty for a key that holds no http(s) link.
 */
export function movedKeyVariants(key: string): string[] {
  const match = URL_IN_KEY.exec(key);
  if (!match) return [];
  const prefix = match[1]!;
  const written = match[2]!;
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    return [];
  }
  // A link that does not read back as written, or names a port (one scheme's default is not the
  // other's), cannot be rewritten without changing something else in it.
  if (url.href !== written || url.port !== '' || url.username !== '' || url.password !== '') return [];
  const schemes = url.protocol === 'https:' ? ['https:', 'http:'] : ['http:', 'https:'];
  const hosts = url.hostname.startsWith('www.') ? [url.hostname, url.hostname.slice(4)] : [url.hostname, `www.${url.hostname}`];
  const variants: string[] = [];
  for (const scheme of schemes) {
    for (const host of hosts) {
      if (scheme === url.protocol && host === url.hostname) continue;
      const moved = new URL(url.href);
      moved.protocol = scheme;
      moved.hostname = host;
      variants.push(`${prefix}${moved.href}`);
    }
  }
  return variants;
}

/**
 * For each of `keys` that the store does not know, the id of the article one
 * of its variants names (see {@link movedKeyVariants}), given what the store
 * answered for the variants. The first variant that is known wins.
 */
export function movedHits(keys: readonly string[], variantHits: ReadonlyMap<string, string>): Map<string, string> {
  const found = new Map<string, string>();
  for (const key of keys) {
    for (const variant of movedKeyVariants(key)) {
      const id = variantHits.get(variant);
      if (id !== undefined) {
        found.set(key, id);
        break;
      }
    }
  }
  return found;
}
