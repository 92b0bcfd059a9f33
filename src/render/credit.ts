/**
 * Values derived from an article's credit that several outputs show the same
 * way: the site's host, the upstream chain, the rights line, the author list,
 * the categories. One definition each, so RSS, Atom, JSON Feed and HTML never
 * disagree.
 */
import { domainToUnicode } from 'node:url';
import type { Article, Credit } from '../model/index.js';
import { isWebUrl } from './html-escape.js';
import { stripInvalidXmlChars } from './xml-escape.js';

/**
 * The names worth printing: without the characters XML forbids (every format
 * drops them, JSON Feed included, so all agree), trimmed, blanks removed. The
 * check comes after the stripping, so a name made only of such characters
 * never becomes an empty element.
 */
function printable(names: readonly string[]): string[] {
  const kept: string[] = [];
  for (const name of names) {
    const text = stripInvalidXmlChars(name).trim();
    if (text !== '') kept.push(text);
  }
  return kept;
}

/**
 * The original article URL every output links to: the canonical URL, else the
 * credit's copy. `null` when it is no web address: an item with no link of
 * its own, from a feed read from a file that names no site, falls back to
 * that file's URL, a path on byline's machine that no reader can open.
 */
export function originalUrl(article: Article): string | null {
  const url = article.url || article.credit.originalUrl;
  return isWebUrl(url) ? url : null;
}

/**
 * The source feed's address as the outputs publish it; `null` for a feed read
 * from a file (`file:` URL), whose path means nothing to anyone else and
 * would reveal where byline runs.
 */
export function publicFeedUrl(credit: Credit): string | null {
  return isWebUrl(credit.feedUrl) ? credit.feedUrl : null;
}

/**
 * The host of the source's site for people to read (`www.gogoai.xin`);
 * internationalized names are shown in Unicode, not punycode. `null` when the
 * site is unknown or not a URL.
 */
export function siteHost(site: string | null): string | null {
  if (!site) return null;
  try {
    const url = new URL(site);
    if (!url.hostname) return null;
    const host = domainToUnicode(url.hostname) || url.hostname;
    return url.port ? `${host}:${url.port}` : host;
  } catch {
    return null;
  }
}

/** Upstream publisher names, nearest first, joined for display; `null` when there is no upstream. */
export function viaNames(credit: Credit): string | null {
  const names = credit.via.map((via) => via.name.trim()).filter((name) => name !== '');
  return names.length > 0 ? names.join(', ') : null;
}

/** The rights statement: the credit line and the license; `null` when the source gave neither. */
export function rightsText(credit: Credit): string | null {
  const parts: string[] = [];
  if (credit.creditLine?.trim()) parts.push(credit.creditLine.trim());
  if (credit.license?.trim()) parts.push(`License: ${credit.license.trim()}`);
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * Author names for formats that need at least one (Atom requires it, JSON Feed
 * items would otherwise inherit the aggregate feed's author): the article's
 * authors, else the source's name, so nobody else is ever credited by default.
 */
export function authorsOrSource(article: Article): string[] {
  const authors = printable(article.authors);
  return authors.length > 0 ? authors : [article.credit.sourceName];
}

/** The article's own author names, blanks removed (may be empty). */
export function articleAuthors(article: Article): string[] {
  return printable(article.authors);
}

/** The article's categories, blanks removed (may be empty). */
export function articleCategories(article: Article): string[] {
  return printable(article.categories);
}
