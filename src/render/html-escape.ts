/**
 * HTML escaping for the credit footer and the index page. Kept apart from the
 * XML writer because HTML output is a string spliced into other markup, not a
 * tree, and must also be safe inside attribute values.
 */
import { stripInvalidXmlChars } from './xml-escape.js';

const HTML_SPECIAL = /[&<>"']/;

/**
 * Escapes text for HTML element content and double- or single-quoted
 * attributes. Characters XML forbids are dropped as well, because this HTML is
 * embedded in XML feeds.
 */
export function escapeHtml(value: string): string {
  const clean = stripInvalidXmlChars(value);
  if (!HTML_SPECIAL.test(clean)) return clean;
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * An http(s) URL whose host is plain ASCII labels ending in a name (not a
 * number, which the parser would read as an IPv4 address) and whose port has
 * at most four digits: the URL parser accepts every such string, whatever
 * follows the host. Punycode labels (`xn--`) are checked by the parser and may
 * be rejected, so they are left to it.
 */
const PLAIN_WEB_URL = /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*(?::\d{1,4})?(?:[/?#][^]*)?$/i;

/** Whether a string is an absolute http(s) URL, the only kind rendered as a link. */
export function isWebUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  // A feed checks several URLs per item; a pattern settles nearly all of them
  // for a fraction of the cost of parsing.
  if (PLAIN_WEB_URL.test(value) && !/xn--/i.test(value)) return true;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * An `<a href>` for a web URL; anything else (javascript:, data:, junk) is
 * shown as escaped text so a feed cannot smuggle a script link into the page.
 */
export function linkHtml(url: string, label: string = url): string {
  if (!isWebUrl(url)) return escapeHtml(label);
  return `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
}
