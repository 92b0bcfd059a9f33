/**
 * The plain-text fields of an article: title (with a derived fallback),
 * summary, authors and categories. Each comes out trimmed, entity-decoded and
 * free of markup.
 */
import { htmlToText, truncateText } from './text.js';

const TITLE_FROM_TEXT_LENGTH = 80;
const SUMMARY_LENGTH = 300;

/**
 * The article title: the item's title as plain text; when that is empty, the
 * start of the body text cut at a word; when there is no text either, the URL.
 */
export function cleanTitle(rawTitle: string | null, bodyText: string, url: string): string {
  const title = rawTitle ? htmlToText(rawTitle) : '';
  if (title !== '') return title;
  if (bodyText !== '') return truncateText(bodyText, TITLE_FROM_TEXT_LENGTH);
  return url;
}

/**
 * The plain-text summary: the source's own summary when it says something the
 * content does not, else the start of the content; ~300 characters, cut at a
 * word; null when there is no text at all.
 */
export function cleanSummary(rawSummary: string | null, contentText: string): string | null {
  const summaryText = rawSummary ? htmlToText(rawSummary) : '';
  const text = summaryText !== '' && summaryText !== contentText ? summaryText : contentText;
  return text === '' ? null : truncateText(text, SUMMARY_LENGTH);
}

/**
 * Author names, trimmed and de-duplicated (case-insensitively, first spelling
 * kept). RSS's `jane@example.com (Jane Doe)`, `Jane Doe (jane@example.com)` and
 * `Jane Doe <jane@example.com>` become `Jane Doe`; a bare address is kept as
 * the only name there is.
 */
export function cleanAuthors(authors: readonly string[]): string[] {
  return uniqueText(authors.map((author) => authorName(htmlToText(author))));
}

/** Category names as plain text, trimmed and de-duplicated case-insensitively. */
export function cleanCategories(categories: readonly string[]): string[] {
  return uniqueText(categories.map((category) => htmlToText(category)));
}

function authorName(author: string): string {
  const emailThenName = /^\S+@\S+\s*\((.+)\)$/.exec(author);
  if (emailThenName?.[1]?.trim()) return emailThenName[1].trim();
  const nameThenParenEmail = /^(.+?)\s*\((?:mailto:)?\S+@[^\s()]+\)$/i.exec(author);
  if (nameThenParenEmail?.[1]?.trim()) return nameThenParenEmail[1].trim();
  const nameThenEmail = /^(.+?)\s*<\S+@\S+>$/.exec(author);
  if (nameThenEmail?.[1]?.trim()) return nameThenEmail[1].replace(/^"(.*)"$/, '$1').trim();
  const mailto = /^mailto:(\S+@\S+)$/i.exec(author);
  return mailto?.[1] ?? author;
}

function uniqueText(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const value of values) {
    const text = value.trim();
    const key = text.toLowerCase();
    if (text === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(text);
  }
  return result;
}
