/**
 * How a credit mention names an address: a host written out (`www.ft.com`
 * names ft.com, `microsoft.com` does not), a URL written out (the same URL,
 * not a longer one it begins), and a page under a shared host
 * (`medium.com/@jane`, linked or written out). URLs are compared loosely, by
 * {@link urlKey}. Pure; credit-detect.ts decides what a match means.
 */

/** A URL compared loosely: scheme, `www.`, a trailing slash and the fragment do not matter. */
export function urlKey(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .replace(/#.*$/, '')
    .replace(/\/+$/, '');
}

const HOST_CHAR = /[a-z0-9-]/;

/** Whether `text` spells the host itself or a subdomain of it: `www.ft.com` names ft.com, `microsoft.com` does not. */
export function spellsHost(text: string, host: string): boolean {
  const lower = text.toLowerCase();
  for (let at = lower.indexOf(host); at !== -1; at = lower.indexOf(host, at + 1)) {
    const before = lower[at - 1];
    const after = lower[at + host.length];
    const next = lower[at + host.length + 1];
    const startsClean = before === undefined || !HOST_CHAR.test(before);
    // A dot that goes on into another label (ft.com.example.net) is a longer host.
    const endsClean = after === undefined || (!HOST_CHAR.test(after) && !(after === '.' && next !== undefined && HOST_CHAR.test(next)));
    if (startsClean && endsClean) return true;
  }
  return false;
}

/** Characters that end a URL written in running text: spaces, quotes, brackets, and CJK punctuation. */
const URL_END = /[\s<>"'()[\]{}（）「」『』《》【】，。、；：！？]/u;
/** What may come before the URL's host when it is written out: a scheme and `www.`, both optional. */
const URL_LEAD = /(?:[a-z][a-z0-9+.-]*:\/\/)?(?:www\.)?$/;
/** What may follow it and leave it the same URL: slashes, a fragment, then a sentence's punctuation. */
const URL_TAIL = /^\/*(?:#\S*?)?[.,;:!?]*$/;

/** Whether an address written out at `at` of `lower` begins there (after a scheme and `www.`), not inside a longer host name. */
function addressStartsAt(lower: string, at: number): boolean {
  const lead = lower.slice(0, at).replace(URL_LEAD, '');
  const before = lead[lead.length - 1];
  return (before === undefined || !HOST_CHAR.test(before)) && before !== '.';
}

/** Whether `text` spells the URL whose key is `key`: the same URL written out, not a longer one it begins. */
export function spellsUrl(text: string, key: string): boolean {
  const lower = text.toLowerCase();
  for (let at = lower.indexOf(key); at !== -1; at = lower.indexOf(key, at + 1)) {
    let end = at + key.length;
    while (end < lower.length && !URL_END.test(lower[end]!)) end++;
    if (addressStartsAt(lower, at) && URL_TAIL.test(lower.slice(at + key.length, end))) return true;
  }
  return false;
}

/** A home page's file name, which says no more than its folder. */
const INDEX_FILE = /(?:^|\/)(?:index|default)\.(?:html?|php|aspx?|jsp)$/;

/**
 * The site's page under its host, as `urlKey` writes it (`medium.com/@jane`),
 * when the site is not the host's home; null for a home page or no URL.
 */
export function sitePage(siteUrl: string | null | undefined): string | null {
  if (!siteUrl) return null;
  const key = urlKey(siteUrl).replace(/\?.*$/, '');
  const slash = key.indexOf('/');
  if (slash <= 0) return null;
  const path = key.slice(slash + 1).replace(INDEX_FILE, '').replace(/\/+$/, '');
  return path === '' ? null : `${key.slice(0, slash)}/${path}`;
}

/** Whether a link leads to the page whose key is `page` or below it. */
export function linksUnder(url: string, page: string): boolean {
  const key = urlKey(url).replace(/\?.*$/, '').replace(/\/+$/, '');
  return key === page || key.startsWith(`${page}/`);
}

/** What may follow a page's address written out and leave it that page or one below it. */
const PAGE_GOES_ON = /^(?:[/?#]|[.,;:!]?(?:$|[\s<>"'()[\]{}（）「」『』《》【】，。、；：！？]))/u;

/** Whether `text` writes out the page whose key is `page` (or one below it), not a longer name it begins. */
export function spellsPage(text: string, page: string): boolean {
  const lower = text.toLowerCase();
  for (let at = lower.indexOf(page); at !== -1; at = lower.indexOf(page, at + 1)) {
    if (addressStartsAt(lower, at) && PAGE_GOES_ON.test(lower.slice(at + page.length))) return true;
  }
  return false;
}
