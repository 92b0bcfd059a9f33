/**
 * Atom 1.0 (RFC 4287) rule checks, after what the W3C feed validator reports
 * as errors (its atom/<section> cases): the elements allowed in feed, entry,
 * source and person constructs, once each where the RFC says so; required
 * id/title/updated; ids that are absolute IRIs (tag: URIs by RFC 4151) and
 * unique; RFC 3339 dates; text construct types; links with href, a known rel
 * and at most one alternate per type and language; an author for every entry;
 * a self link matching the served URL; xml:lang codes; RFC 5005 history.
 */
import {
  checkChildren,
  checkRawXml,
  childrenKeyed,
  childText,
  hasActiveContent,
  isAbsoluteIri,
  isFullHttpUrl,
  isKnownLanguage,
  isMimeType,
  isRfc3339,
  keyOf,
  parseOrReport,
  Violations,
} from './feed-rules-common.js';
import type { XmlElement } from './xml-support.js';

/** Options of {@link checkAtom}. */
export interface AtomRuleOptions {
  selfUrl: string | 'any' | null;
  requireDeclaration?: boolean;
}

const COMMON = ['atom:author', 'atom:category', 'atom:contributor', 'atom:id', 'atom:link', 'atom:rights', 'atom:title', 'atom:updated'];
const FEED = {
  allowed: new Set([...COMMON, 'atom:generator', 'atom:icon', 'atom:logo', 'atom:subtitle', 'atom:entry', 'fh:archive', 'fh:complete']),
  unique: new Set(['atom:generator', 'atom:icon', 'atom:id', 'atom:logo', 'atom:rights', 'atom:subtitle', 'atom:title', 'atom:updated', 'fh:archive', 'fh:complete']),
  required: ['atom:id', 'atom:title', 'atom:updated'],
};
const ENTRY = {
  allowed: new Set([...COMMON, 'atom:content', 'atom:published', 'atom:source', 'atom:summary']),
  unique: new Set(['atom:content', 'atom:id', 'atom:published', 'atom:rights', 'atom:source', 'atom:summary', 'atom:title', 'atom:updated']),
  required: ['atom:id', 'atom:title', 'atom:updated'],
};
const SOURCE = {
  allowed: new Set([...COMMON, 'atom:generator', 'atom:icon', 'atom:logo', 'atom:subtitle']),
  unique: new Set(['atom:generator', 'atom:icon', 'atom:id', 'atom:logo', 'atom:rights', 'atom:subtitle', 'atom:title', 'atom:updated']),
  required: [] as string[],
};
const PERSON = { allowed: new Set(['atom:name', 'atom:uri', 'atom:email']), unique: new Set(['atom:name', 'atom:uri', 'atom:email']), required: ['atom:name'] };

const RELS = new Set(['alternate', 'related', 'self', 'enclosure', 'via', 'hub', 'current', 'prev-archive', 'next-archive', 'first', 'last', 'next', 'previous', 'license', 'replies']);

function checkText(node: XmlElement, where: string, out: Violations, isContent = false): void {
  const type = node.attrs['type'] ?? 'text';
  const ok = ['text', 'html', 'xhtml'].includes(type) || (isContent && isMimeType(type));
  out.check(ok, where, `<${node.name}> type="${type}"`);
  if (type === 'html') out.check(!hasActiveContent(node.text), where, `<${node.name}> has active content`);
}

function checkCommon(node: XmlElement, where: string, out: Violations): void {
  const id = childText(node, 'atom:id');
  if (id !== null) out.check(isAbsoluteIri(id.trim()), where, `id "${id}" is not an absolute IRI`);
  for (const key of ['atom:updated', 'atom:published']) {
    const value = childText(node, key);
    if (value !== null) out.check(isRfc3339(value), where, `${key} "${value}" is not an RFC 3339 date`);
  }
  for (const key of ['atom:title', 'atom:subtitle', 'atom:rights', 'atom:summary']) {
    for (const text of childrenKeyed(node, key)) checkText(text, where, out);
  }
  for (const person of [...childrenKeyed(node, 'atom:author'), ...childrenKeyed(node, 'atom:contributor')]) {
    checkChildren(person, `${where} ${keyOf(person)}`, out, PERSON);
    out.check((childText(person, 'atom:name') ?? '').trim() !== '', where, 'person name is blank');
  }
  for (const category of childrenKeyed(node, 'atom:category')) out.check((category.attrs['term'] ?? '').trim() !== '', where, 'category without term');
  const alternates = new Set<string>();
  for (const link of childrenKeyed(node, 'atom:link')) {
    const rel = link.attrs['rel'] ?? 'alternate';
    out.check(isFullHttpUrl(link.attrs['href']), where, `link rel="${rel}" href "${link.attrs['href']}" is not a full URL`);
    out.check(RELS.has(rel) || isAbsoluteIri(rel), where, `link rel="${rel}" is not registered`);
    if (link.attrs['type'] !== undefined) out.check(isMimeType(link.attrs['type']), where, 'link type is not a MIME type');
    if (link.attrs['length'] !== undefined) out.check(/^\d+$/.test(link.attrs['length']), where, 'link length is not an integer');
    if (rel === 'alternate') {
      const key = `${link.attrs['type'] ?? ''}|${link.attrs['hreflang'] ?? ''}`;
      out.check(!alternates.has(key), where, 'two alternate links with the same type and hreflang');
      alternates.add(key);
    }
  }
}

function checkEntry(entry: XmlElement, index: number, out: Violations, ids: Set<string>, feedHasAuthor: boolean): void {
  const where = `entry ${index + 1}`;
  checkChildren(entry, where, out, ENTRY);
  checkCommon(entry, where, out);
  const id = (childText(entry, 'atom:id') ?? '').trim();
  out.check(!ids.has(id), where, `id "${id}" is not unique`);
  ids.add(id);
  const [source] = childrenKeyed(entry, 'atom:source');
  if (source) {
    checkChildren(source, `${where} source`, out, SOURCE);
    checkCommon(source, `${where} source`, out);
  }
  const hasAuthor = childrenKeyed(entry, 'atom:author').length > 0 || (source ? childrenKeyed(source, 'atom:author').length > 0 : false);
  out.check(hasAuthor || feedHasAuthor, where, 'no author (and none on the feed)');
  const [content] = childrenKeyed(entry, 'atom:content');
  if (content) checkText(content, where, out, true);
  const alternate = childrenKeyed(entry, 'atom:link').some((link) => (link.attrs['rel'] ?? 'alternate') === 'alternate');
  out.check(alternate || content !== undefined, where, 'neither content nor an alternate link');
  for (const link of childrenKeyed(entry, 'atom:link')) {
    const rel = link.attrs['rel'] ?? '';
    out.check(!['current', 'prev-archive', 'next-archive', 'first', 'last', 'next', 'previous'].includes(rel), where, `feed history rel="${rel}" in an entry`);
  }
}

/** Every Atom rule violation in `xml` (empty when the document passes). */
export function checkAtom(xml: string, options: AtomRuleOptions): string[] {
  const out = new Violations();
  checkRawXml(xml, out, { requireDeclaration: options.requireDeclaration ?? true });
  const feed = parseOrReport(xml, out);
  if (!feed) return out.list;
  out.check(keyOf(feed) === 'atom:feed', 'document', 'root is not an Atom <feed>');
  checkChildren(feed, 'feed', out, FEED);
  checkCommon(feed, 'feed', out);
  const lang = feed.attrs['xml:lang'];
  if (lang !== undefined) out.check(isKnownLanguage(lang), 'feed', `xml:lang "${lang}" is not an ISO 639 code`);
  const links = childrenKeyed(feed, 'atom:link');
  const selves = links.filter((link) => link.attrs['rel'] === 'self');
  if (options.selfUrl !== null) {
    out.check(selves.length === 1, 'feed', `${selves.length} link rel="self" (want exactly one)`);
    if (options.selfUrl !== 'any' && selves[0]) out.check(selves[0].attrs['href'] === options.selfUrl, 'feed', `self link ${selves[0].attrs['href']} is not the served URL ${options.selfUrl}`);
  }
  const rels = new Set(links.map((link) => link.attrs['rel']));
  if (childrenKeyed(feed, 'fh:archive').length > 0) out.check(rels.has('current'), 'feed', 'archive document without rel="current"');
  const ids = new Set<string>();
  const feedHasAuthor = childrenKeyed(feed, 'atom:author').length > 0;
  childrenKeyed(feed, 'atom:entry').forEach((entry, index) => checkEntry(entry, index, out, ids, feedHasAuthor));
  return out.list;
}
