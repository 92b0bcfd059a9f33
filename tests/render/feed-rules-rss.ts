/**
 * RSS 2.0 rule checks, after what the W3C feed validator reports as errors
 * (its rss20/ and rss/must cases) plus the warnings byline promises never to
 * cause: the channel and item elements the RSS 2.0 specification and the
 * modules we use allow, once each where the spec says so; RFC 822 English
 * dates; guids (unique, non-blank, isPermaLink "true"/"false" and only on
 * http URLs); enclosures (full URL, integer length, MIME type); `<source url>`;
 * a self link matching the served URL; ISO 639 language codes; feed history.
 */
import {
  checkChildren,
  checkRawXml,
  childrenKeyed,
  childText,
  hasActiveContent,
  isFullHttpUrl,
  isKnownLanguage,
  isMimeType,
  isRfc822Date,
  keyOf,
  looksLikeHtml,
  parseOrReport,
  Violations,
} from './feed-rules-common.js';
import type { XmlElement } from './xml-support.js';

/** Options of {@link checkRss}. */
export interface RssRuleOptions {
  /** The URL the feed is served at: the atom:link rel="self" must equal it; 'any' only requires one; null skips. */
  selfUrl: string | 'any' | null;
  /** Default true; the validator's own test cases have none. */
  requireDeclaration?: boolean;
}

const CHANNEL = {
  allowed: new Set([
    'title', 'link', 'description', 'language', 'copyright', 'managingEditor', 'webMaster', 'pubDate', 'lastBuildDate',
    'category', 'generator', 'docs', 'cloud', 'ttl', 'image', 'rating', 'textInput', 'skipHours', 'skipDays', 'item',
    'atom:link', 'fh:archive', 'fh:complete', 'dc:rights', 'dc:language',
  ]),
  unique: new Set([
    'title', 'link', 'description', 'language', 'copyright', 'managingEditor', 'webMaster', 'pubDate', 'lastBuildDate',
    'generator', 'docs', 'cloud', 'ttl', 'image', 'rating', 'textInput', 'skipHours', 'skipDays', 'fh:archive', 'fh:complete',
    'dc:rights', 'dc:language',
  ]),
  required: ['title', 'link', 'description'],
};

const ITEM = {
  allowed: new Set([
    'title', 'link', 'description', 'author', 'category', 'comments', 'enclosure', 'guid', 'pubDate', 'source',
    'content:encoded', 'dc:creator', 'dc:rights', 'dc:date', 'dc:subject', 'media:content', 'media:thumbnail', 'atom:link',
  ]),
  unique: new Set(['title', 'link', 'description', 'author', 'comments', 'guid', 'pubDate', 'source', 'enclosure', 'content:encoded', 'dc:rights', 'dc:date']),
  required: [] as string[],
};

/** Link relations a feed may use with atom:link in RSS (IANA registry, RFC 5005, WebSub). */
const RELS = new Set(['self', 'hub', 'alternate', 'related', 'via', 'enclosure', 'current', 'prev-archive', 'next-archive', 'first', 'last', 'next', 'previous']);

function checkAtomLinks(node: XmlElement, where: string, out: Violations): void {
  for (const link of childrenKeyed(node, 'atom:link')) {
    const rel = link.attrs['rel'] ?? 'alternate';
    out.check(isFullHttpUrl(link.attrs['href']), where, `atom:link rel="${rel}" href is not a full URL`);
    out.check(RELS.has(rel), where, `atom:link rel="${rel}" is not a known relation`);
    if (link.attrs['type'] !== undefined) out.check(isMimeType(link.attrs['type']), where, 'atom:link type is not a MIME type');
  }
}

function checkGuid(item: XmlElement, where: string, out: Violations, seen: Set<string>): void {
  const [guid] = childrenKeyed(item, 'guid');
  if (!guid) return;
  const value = guid.text.trim();
  out.check(value !== '', where, 'guid is blank');
  for (const name of Object.keys(guid.attrs)) out.check(name === 'isPermaLink', where, `guid has unexpected attribute ${name}`);
  const permalink = guid.attrs['isPermaLink'];
  if (permalink !== undefined) out.check(permalink === 'true' || permalink === 'false', where, `guid isPermaLink="${permalink}"`);
  if (permalink !== 'false') out.check(isFullHttpUrl(value), where, `guid "${value}" is a permalink but not an http URL`);
  out.check(!seen.has(value), where, `guid "${value}" is not unique`);
  seen.add(value);
}

function checkEnclosure(item: XmlElement, where: string, out: Violations): void {
  for (const enclosure of childrenKeyed(item, 'enclosure')) {
    const { url, length, type } = enclosure.attrs;
    out.check(isFullHttpUrl(url), where, 'enclosure url is missing or not a full URL');
    out.check(length !== undefined && /^\d+$/.test(length), where, `enclosure length "${length}" is not a non-negative integer`);
    out.check(isMimeType(type), where, `enclosure type "${type}" is not a MIME type`);
  }
  for (const media of childrenKeyed(item, 'media:content')) {
    const { url, fileSize, medium, type } = media.attrs;
    out.check(isFullHttpUrl(url), where, 'media:content url is not a full URL');
    if (fileSize !== undefined) out.check(/^\d+$/.test(fileSize), where, 'media:content fileSize is not an integer');
    if (medium !== undefined) out.check(['image', 'audio', 'video', 'document', 'executable'].includes(medium), where, 'media:content medium');
    if (type !== undefined) out.check(isMimeType(type), where, 'media:content type is not a MIME type');
  }
}

function checkItem(item: XmlElement, index: number, out: Violations, guids: Set<string>): void {
  const where = `item ${index + 1}`;
  checkChildren(item, where, out, ITEM);
  const title = childText(item, 'title');
  out.check((title ?? '').trim() !== '' || (childText(item, 'description') ?? '').trim() !== '', where, 'neither title nor description');
  const link = childText(item, 'link');
  if (link !== null) out.check(isFullHttpUrl(link.trim()), where, `link "${link}" is not a full URL`);
  const pubDate = childText(item, 'pubDate');
  if (pubDate !== null) out.check(isRfc822Date(pubDate), where, `pubDate "${pubDate}" is not an RFC 822 date`);
  checkGuid(item, where, out, guids);
  checkEnclosure(item, where, out);
  for (const source of childrenKeyed(item, 'source')) {
    out.check(source.attrs['url'] !== undefined, where, 'source has no url');
    if (source.attrs['url'] !== undefined) out.check(isFullHttpUrl(source.attrs['url']), where, 'source url is not a full URL');
    out.check(!looksLikeHtml(source.text), where, 'source contains HTML');
  }
  // Two ways of saying one thing: the validator warns (DuplicateItemSemantics).
  out.check(!(childrenKeyed(item, 'source').length > 0 && childrenKeyed(item, 'dc:source').length > 0), where, 'both source and dc:source');
  out.check(!(childrenKeyed(item, 'author').length > 0 && childrenKeyed(item, 'dc:creator').length > 0), where, 'both author and dc:creator');
  for (const key of ['dc:creator', 'dc:rights', 'category']) {
    for (const node of childrenKeyed(item, key)) out.check(node.text.trim() !== '', where, `${key} is blank`);
  }
  for (const content of childrenKeyed(item, 'content:encoded')) out.check(!hasActiveContent(content.text), where, 'content:encoded has active content');
  checkAtomLinks(item, where, out);
}

function checkHistory(channel: XmlElement, out: Violations): void {
  const rels = new Set(childrenKeyed(channel, 'atom:link').map((link) => link.attrs['rel']));
  if (childrenKeyed(channel, 'fh:archive').length > 0) {
    out.check(rels.has('current'), 'channel', 'archive document without rel="current"');
  } else {
    out.check(!rels.has('next-archive'), 'channel', 'next-archive on a subscription document');
  }
}

/** Every RSS rule violation in `xml` (empty when the document passes). */
export function checkRss(xml: string, options: RssRuleOptions): string[] {
  const out = new Violations();
  checkRawXml(xml, out, { requireDeclaration: options.requireDeclaration ?? true });
  const root = parseOrReport(xml, out);
  if (!root) return out.list;
  out.check(keyOf(root) === 'rss' && root.attrs['version'] === '2.0', 'document', 'root is not <rss version="2.0">');
  const channels = childrenKeyed(root, 'channel');
  out.check(channels.length === 1 && root.children.length === 1, 'document', 'rss must hold exactly one channel');
  const channel = channels[0];
  if (!channel) return out.list;
  checkChildren(channel, 'channel', out, CHANNEL);
  const link = childText(channel, 'link');
  if (link !== null) out.check(isFullHttpUrl(link.trim()), 'channel', 'link is not a full URL');
  for (const key of ['pubDate', 'lastBuildDate']) {
    const value = childText(channel, key);
    if (value !== null) out.check(isRfc822Date(value), 'channel', `${key} "${value}" is not an RFC 822 date`);
  }
  const language = childText(channel, 'language');
  if (language !== null) out.check(isKnownLanguage(language), 'channel', `language "${language}" is not an ISO 639 code`);
  checkAtomLinks(channel, 'channel', out);
  const selves = childrenKeyed(channel, 'atom:link').filter((l) => l.attrs['rel'] === 'self');
  if (options.selfUrl !== null) {
    out.check(selves.length === 1, 'channel', `${selves.length} atom:link rel="self" (want exactly one)`);
    if (options.selfUrl !== 'any' && selves[0]) out.check(selves[0].attrs['href'] === options.selfUrl, 'channel', `self link ${selves[0].attrs['href']} is not the served URL ${options.selfUrl}`);
  }
  checkHistory(channel, out);
  const guids = new Set<string>();
  childrenKeyed(channel, 'item').forEach((item, index) => checkItem(item, index, out, guids));
  return out.list;
}
