/**
 * HTML escaping for the credit footer and the index page. Kept apart from the
 * XML writer because HTML output is a string spliced into other markup, not a
 * tree, and must also be safe inside attribute values.
 */
import { stripInvalidXmlChars } from './xml.js';

/**
 * Escapes text for HTML element content and double- or single-quoted
 * attributes. Characters XML forbids are dropped as well, because this HTML is
 * embedded in XML feeds.
 */
export function escapeHtml(value: string): string {
  return stripInvalidXmlChars(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Whether a string is an absolute http(s) URL, the only kind rendered as a link. */
export function isWebUrl(value: string | null | undefined): value is string {
  if (!value) return false;
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
