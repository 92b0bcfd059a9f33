/**
 * URL resolution and canonicalization. Every URL byline stores or publishes is
 * absolute http(s); canonical URLs also lose the click-tracking parameters that
 * would otherwise make one article look like several.
 */

/** Query parameters that only identify a campaign or a click, never the page. */
const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id',
  'mc_cid', 'mc_eid', 'igshid', 'igsh', '_hsenc', '_hsmi', '__hssc', '__hstc', '__hsfp', 'hsctatracking',
  'ref_src', 'ref_url', 'mkt_tok', 'oly_enc_id', 'oly_anon_id', 'vero_id', 'vero_conv', 'rb_clickid', 's_cid',
  'wt.mc_id', 'wt.mc_ev', 'xtor', 'at_medium', 'at_campaign', 'at_campaign_type', 'at_creation', 'at_emailtype',
  'at_link', 'at_link_id', 'at_link_origin', 'at_link_type', 'at_platform', 'at_ptr_name', 'at_recipient_id',
  'at_recipient_list', 'at_send_date', '_ga', '_gl', 'srsltid', 'guce_referrer', 'guce_referrer_sig', 'guccounter',
  'wickedid', 'ns_campaign', 'ns_mchannel', 'ns_source', 'ns_linkname', 'ns_fee', 'sr_share', 'cmpid', 'ncid',
  'spm', 'trk', 'trkcampaign', 'wt_mc', 'wt_zmc',
]);

/**
 * Tracking parameters added to the list after articles were first keyed by
 * their canonical URL. A URL canonicalized with them kept (`firstRules`) is
 * still an alias of its article, so an article stored before keeps its id.
 */
const LATER_TRACKING_PARAMS: ReadonlySet<string> = new Set(['wt_mc', 'wt_zmc']);

/** A quick test for a name of LATER_TRACKING_PARAMS (its `_` also percent-encoded), before canonicalizing twice. */
const LATER_PARAM_NAME = new RegExp([...LATER_TRACKING_PARAMS].map((name) => name.replace(/_/g, '(?:_|%5f)')).join('|'), 'i');

/** Which tracking parameters a canonical form drops: all of them, or those known when ids were first minted. */
interface CanonicalRules {
  firstRules?: boolean;
}

/** Prefixes of whole families of tracking parameters (utm_source, utm_medium, …). */
const TRACKING_PREFIXES: readonly string[] = ['utm_', 'pk_', 'mtm_', 'hsa_', 'stm_'];

/** Whether a query parameter name (or fragment parameter) is a tracking one. */
export function isTrackingParam(name: string, rules: CanonicalRules = {}): boolean {
  const key = name.toLowerCase();
  if (rules.firstRules && LATER_TRACKING_PARAMS.has(key)) return false;
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/**
 * Resolves `url` against `base` and returns it only when the result is an
 * absolute http(s) URL. A protocol-relative URL with no usable base is taken as
 * https. Anything else (javascript:, data:, mailto:, garbage) is `null`.
 */
export function resolveUrl(url: string, base?: string | null): string | null {
  const located = locate(url, base);
  return located instanceof URL ? located.href : located;
}

/**
 * The canonical form of an article URL: absolute http(s), host lower-cased,
 * default port dropped (both by the WHATWG parser), tracking query parameters
 * removed, a tracking fragment (`#xtor=RSS-8`, `#utm_source=…`) removed. The
 * other parameters keep their order and their exact spelling.
 */
export function canonicalizeUrl(url: string, base?: string | null, rules: CanonicalRules = {}): string | null {
  const parsed = locate(url, base);
  if (parsed === null) return null;
  if (typeof parsed === 'string') return withoutTracking(parsed, rules);
  // Setting search or hash re-serializes the URL, so only when something changes
  // (a bare `?` or `#` reads as "" but is still dropped).
  const href = parsed.href;
  const search = parsed.search;
  const kept = stripTrackingQuery(search, rules);
  if (kept !== search || (search === '' && href.includes('?'))) parsed.search = kept;
  const hash = parsed.hash;
  if (hash === '' ? href.includes('#') : isTrackingFragment(hash, rules)) parsed.hash = '';
  return parsed.href;
}

/**
 * The canonical form `url` had under the first rules, when it differs from
 * today's (it carries a parameter in LATER_TRACKING_PARAMS); null otherwise.
 */
export function earlierCanonicalUrl(url: string, base?: string | null): string | null {
  if (!LATER_PARAM_NAME.test(url)) return null;
  const earlier = canonicalizeUrl(url, base, { firstRules: true });
  return earlier !== null && earlier !== canonicalizeUrl(url, base) ? earlier : null;
}

/**
 * An absolute http(s) URL that the WHATWG parser serializes exactly as it is
 * written: lower-case scheme and host, a host whose last label starts with a
 * letter (so it is no IPv4 address), no user info or port, a path, and only
 * characters the parser never percent-encodes. Most links in feeds look like
 * this, and taking them as they are saves a URL object per link: parsing
 * them was about a tenth of the time it takes to read a document.
 */
const VERBATIM_URL =
  /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*\/[\w\-.~!$&()*+,;=:@/%]*(?:\?[\w\-.~!$&()*+,;=:@/%?]*)?(?:#[\w\-.~!$&()*+,;=:@/%?]*)?$/;
/** What the parser would still rewrite in such a URL: dot segments (`/.`, `%2e`) and IDNA labels (`xn--`). */
const REWRITTEN_PARTS = /\/\.|%2e|xn--/i;

function isVerbatim(url: string): boolean {
  return VERBATIM_URL.test(url) && !REWRITTEN_PARTS.test(url);
}

/**
 * `url` resolved against `base` without a URL object, when the result is
 * verbatim: `url` itself, or a root-relative path (`/a/b`) on a verbatim
 * base's origin. Null means: ask the parser.
 */
function verbatimHref(url: string, base: string | null | undefined): string | null {
  if (url.charCodeAt(0) !== 0x2f) return isVerbatim(url) ? url : null;
  if (!base || url.charCodeAt(1) === 0x2f || !isVerbatim(base)) return null;
  // The first slash after "http://" or "https://" ends a verbatim base's origin.
  const joined = base.slice(0, base.indexOf('/', 8)) + url;
  return isVerbatim(joined) ? joined : null;
}

/** canonicalizeUrl's tracking removal on a verbatim URL, as the URL object's search and hash setters would do it. */
function withoutTracking(href: string, rules: CanonicalRules): string {
  const hashAt = href.indexOf('#');
  const beforeHash = hashAt < 0 ? href : href.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : href.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const search = queryAt < 0 ? '' : beforeHash.slice(queryAt);
  const dropHash = hash === '#' || (hash !== '' && isTrackingFragment(hash, rules));
  return path + stripTrackingQuery(search, rules) + (dropHash ? '' : hash);
}

/** `url` resolved against `base`: as written when that is what the parser would give (see VERBATIM_URL), else parsed; null when not http(s). */
function locate(url: string, base: string | null | undefined): string | URL | null {
  if (typeof url !== 'string') return null;
  const trimmed = url.trim();
  return verbatimHref(trimmed, base) ?? parseHttpUrl(trimmed, base);
}

/** `trimmed` (already trimmed) parsed against `base`, when the result is http(s). */
function parseHttpUrl(trimmed: string, base: string | null | undefined): URL | null {
  if (trimmed === '') return null;
  const baseUrl = base ? parseAbsolute(base.trim()) : null;
  let parsed: URL | null = null;
  try {
    parsed = baseUrl ? new URL(trimmed, baseUrl) : new URL(trimmed);
  } catch {
    parsed = null;
  }
  if (!parsed && !baseUrl && /^[\\/]{2}[^\\/]/.test(trimmed)) {
    try {
      parsed = new URL(`https:${trimmed}`);
    } catch {
      parsed = null;
    }
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') return null;
  return parsed;
}

/** The last base parsed: an item's links and images all resolve against the same one. */
let lastBase: { text: string; url: URL | null } | null = null;

/** A base is only useful when it is itself absolute and hierarchical (http, https, file). */
function parseAbsolute(base: string): URL | null {
  if (lastBase?.text !== base) lastBase = { text: base, url: parseBase(base) };
  return lastBase.url;
}

function parseBase(base: string): URL | null {
  try {
    const parsed = new URL(base);
    return ['http:', 'https:', 'file:'].includes(parsed.protocol) ? parsed : null;
  } catch {
    return null;
  }
}

/** Removes tracking pairs from a raw `?a=1&b=2` string without re-encoding the rest. */
function stripTrackingQuery(search: string, rules: CanonicalRules): string {
  if (search.length <= 1) return '';
  const kept = search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParam(decodeName(pair.split('=')[0] ?? ''), rules));
  return kept.length > 0 ? `?${kept.join('&')}` : '';
}

function isTrackingFragment(hash: string, rules: CanonicalRules): boolean {
  const fragment = hash.replace(/^#\??/, '');
  if (!fragment.includes('=')) return false;
  return fragment.split('&').every((pair) => isTrackingParam(decodeName(pair.split('=')[0] ?? ''), rules));
}

function decodeName(name: string): string {
  if (!name.includes('%') && !name.includes('+')) return name;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
