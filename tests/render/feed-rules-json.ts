/**
 * JSON Feed 1.1 rule checks (jsonfeed.org/version/1.1): the version string,
 * only the keys the spec defines (extensions start with "_"), a feed_url that
 * is the served URL, items with unique string ids and some content, RFC 3339
 * dates, author objects, tags, language codes; plus byline's promise that
 * every item carries `authors`, `date_published` and the `_byline` credit.
 */
import { isFullHttpUrl, isKnownLanguage, isMimeType, isRfc3339, Violations } from './feed-rules-common.js';

/** Options of {@link checkJsonFeed}. */
export interface JsonRuleOptions {
  selfUrl: string | 'any' | null;
}

const FEED_KEYS = new Set([
  'version', 'title', 'home_page_url', 'feed_url', 'description', 'user_comment', 'next_url', 'icon', 'favicon',
  'authors', 'author', 'language', 'expired', 'hubs', 'items',
]);
const ITEM_KEYS = new Set([
  'id', 'url', 'external_url', 'title', 'content_html', 'content_text', 'summary', 'image', 'banner_image',
  'date_published', 'date_modified', 'authors', 'author', 'tags', 'language', 'attachments',
]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function checkKeys(object: Json, known: ReadonlySet<string>, where: string, out: Violations): void {
  for (const key of Object.keys(object)) out.check(known.has(key) || key.startsWith('_'), where, `unknown key "${key}"`);
}

function checkAuthors(value: unknown, where: string, out: Violations): void {
  if (value === undefined) return;
  out.check(Array.isArray(value) && value.length > 0, where, 'authors is not a non-empty array');
  for (const author of Array.isArray(value) ? value : []) {
    out.check(isObject(author) && ['name', 'url', 'avatar'].some((key) => typeof author[key] === 'string' && author[key] !== ''), where, 'an author has no name, url or avatar');
  }
}

/** JSON Feed 1.1 attachments: a non-empty array of objects with a full `url` and a `mime_type`, and a numeric size if any. */
function checkAttachments(attachments: unknown, where: string, out: Violations): void {
  if (!Array.isArray(attachments) || attachments.length === 0) {
    out.add(where, 'attachments is not a non-empty array');
    return;
  }
  for (const attachment of attachments) {
    if (!isObject(attachment)) {
      out.add(where, 'an attachment is not an object');
      continue;
    }
    out.check(typeof attachment['url'] === 'string' && isFullHttpUrl(attachment['url']), where, 'attachment url is not a full URL');
    const mime = attachment['mime_type'];
    out.check(typeof mime === 'string' && isMimeType(mime), where, `attachment mime_type "${String(mime)}" is not a MIME type`);
    const size = attachment['size_in_bytes'];
    if (size !== undefined) out.check(typeof size === 'number' && Number.isSafeInteger(size) && size >= 0, where, 'attachment size_in_bytes');
  }
}

function checkItem(item: unknown, index: number, out: Violations, ids: Set<string>): void {
  const where = `item ${index + 1}`;
  if (!isObject(item)) {
    out.add(where, 'is not an object');
    return;
  }
  checkKeys(item, ITEM_KEYS, where, out);
  out.check(typeof item['id'] === 'string' && item['id'] !== '', where, 'id is not a non-empty string');
  out.check(!ids.has(String(item['id'])), where, `id "${String(item['id'])}" is not unique`);
  ids.add(String(item['id']));
  out.check(typeof item['content_html'] === 'string' || typeof item['content_text'] === 'string', where, 'no content_html or content_text');
  for (const key of ['url', 'external_url', 'image', 'banner_image']) {
    if (item[key] !== undefined) out.check(typeof item[key] === 'string' && isFullHttpUrl(item[key]), where, `${key} is not a full URL`);
  }
  for (const key of ['date_published', 'date_modified']) {
    if (item[key] !== undefined) out.check(typeof item[key] === 'string' && isRfc3339(item[key]), where, `${key} is not RFC 3339`);
  }
  if (item['tags'] !== undefined) out.check(Array.isArray(item['tags']) && item['tags'].every((t) => typeof t === 'string' && t !== ''), where, 'tags');
  if (item['language'] !== undefined) out.check(typeof item['language'] === 'string' && isKnownLanguage(item['language']), where, 'language');
  if (item['attachments'] !== undefined) checkAttachments(item['attachments'], where, out);
  checkAuthors(item['authors'], where, out);
  // byline's own promises on every item.
  out.check(item['authors'] !== undefined, where, 'no authors');
  out.check(item['date_published'] !== undefined, where, 'no date_published');
  const credit = item['_byline'];
  // An item with no web address of its own (see originalUrl) has neither `url` nor an original to name.
  const original = isObject(credit) ? credit['original_url'] : undefined;
  const originalOk = typeof original === 'string' ? original === item['url'] : original === null && item['url'] === undefined;
  out.check(isObject(credit) && isObject(credit['source']) && typeof credit['source']['name'] === 'string' && originalOk, where, 'no _byline credit');
}

/** Every JSON Feed rule violation in `text` (empty when the document passes). */
export function checkJsonFeed(text: string, options: JsonRuleOptions): string[] {
  const out = new Violations();
  let feed: unknown;
  try {
    feed = JSON.parse(text);
  } catch (error) {
    out.add('document', `not JSON: ${String(error)}`);
    return out.list;
  }
  if (!isObject(feed)) {
    out.add('document', 'is not an object');
    return out.list;
  }
  checkKeys(feed, FEED_KEYS, 'feed', out);
  out.check(feed['version'] === 'https://jsonfeed.org/version/1.1', 'feed', 'version is not 1.1');
  out.check(typeof feed['title'] === 'string' && feed['title'] !== '', 'feed', 'title');
  for (const key of ['home_page_url', 'feed_url', 'next_url']) {
    if (feed[key] !== undefined) out.check(typeof feed[key] === 'string' && isFullHttpUrl(feed[key]), 'feed', `${key} is not a full URL`);
  }
  if (options.selfUrl !== null && options.selfUrl !== 'any') out.check(feed['feed_url'] === options.selfUrl, 'feed', `feed_url is not the served URL ${options.selfUrl}`);
  if (feed['language'] !== undefined) out.check(typeof feed['language'] === 'string' && isKnownLanguage(feed['language']), 'feed', 'language');
  checkAuthors(feed['authors'], 'feed', out);
  const items = feed['items'];
  out.check(Array.isArray(items), 'feed', 'items is not an array');
  const ids = new Set<string>();
  (Array.isArray(items) ? items : []).forEach((item, index) => checkItem(item, index, out, ids));
  return out.list;
}
