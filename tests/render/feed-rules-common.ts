/**
 * Shared pieces of the feed rule checks: the checks on raw XML text that a
 * parser does not make (forbidden characters, `]]>` outside CDATA), data-type
 * rules the W3C feed validator applies (RFC 822 and RFC 3339 dates, tag URIs,
 * language codes, MIME types, full URLs), and a parse that reports instead of
 * throwing. Written from the specifications and the validator's test cases in
 * ../shared/corpus/w3c-feedvalidator/testcases, independently of src/render.
 */
import { parseXml, type XmlElement } from './xml-support.js';

/** Collects rule violations as readable lines ("item 3: guid is blank"). */
export class Violations {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    this.list.push(`${where}: ${message}`);
  }
  check(condition: boolean, where: string, message: string): void {
    if (!condition) this.add(where, message);
  }
}

/** Characters XML 1.0 forbids (§2.2), lone surrogates included. */
const FORBIDDEN_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Raw-text rules: declaration, forbidden characters, `]]>` only as the end of a CDATA section. */
export function checkRawXml(xml: string, out: Violations, options: { requireDeclaration: boolean }): void {
  if (options.requireDeclaration) {
    out.check(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), 'document', 'does not start with the UTF-8 XML declaration');
  }
  out.check(!FORBIDDEN_CHAR.test(xml), 'document', 'contains a character XML 1.0 forbids');
  let inCdata = false;
  for (let i = 0; i < xml.length; i++) {
    if (!inCdata && xml.startsWith('<![CDATA[', i)) {
      inCdata = true;
      i += 8;
    } else if (xml.startsWith(']]>', i)) {
      if (!inCdata) {
        out.add('document', '"]]>" outside a CDATA section');
        return;
      }
      inCdata = false;
      i += 2;
    }
  }
}

/** Strict, namespace-checked parse (an unbound prefix is an error); `null` with a violation when it fails. */
export function parseOrReport(xml: string, out: Violations): XmlElement | null {
  try {
    // Comments before the root are legal XML; the validator's test cases start with one.
    return parseXml(xml);
  } catch (error) {
    out.add('document', `not well-formed: ${String(error).split('\n')[0]}`);
    return null;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Folding white space may be more than one space (RFC 2822 §3.2.3).
const RFC822 =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), +)?(\d{1,2}) +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{4}) +(\d{2}):(\d{2})(?::(\d{2}))? +(UT|GMT|Z|[ECMP][SD]T|[+-]\d{4})$/;

/** An RFC 822 date with a four-digit year (RFC 2822 §3.3 form), in English, that exists, with the right weekday. */
export function isRfc822Date(value: string): boolean {
  const match = RFC822.exec(value);
  if (!match) return false;
  const [, dow, day, month, year, hh, mm, ss, zone] = match;
  if (zone && /^[+-]/.test(zone) && Number(zone.slice(3)) >= 60) return false;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss ?? 0) > 60) return false;
  const date = new Date(Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day)));
  if (date.getUTCDate() !== Number(day)) return false;
  return dow === undefined || DAYS[date.getUTCDay()] === dow;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 date-time (Atom §3.3, JSON Feed) that exists. */
export function isRfc3339(value: string): boolean {
  const match = RFC3339.exec(value);
  if (!match) return false;
  const [, year, month, day, hh, mm, ss] = match.map(Number);
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return date.getUTCMonth() === month! - 1 && date.getUTCDate() === day && hh! <= 23 && mm! <= 59 && ss! <= 60;
}

/** RFC 4151 tag URI: `tag:` authority (DNS name or email) `,` date (YYYY[-MM[-DD]]) `:` specific (URI characters). */
export function isTagUri(value: string): boolean {
  const match = /^tag:([^,]+),([^:]+):(.*)$/.exec(value);
  if (!match) return false;
  const [, authority, date, specific] = match;
  const dns = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;
  const email = /^[a-z0-9._%+-]+@[a-z0-9.-]+$/i;
  if (!dns.test(authority!) && !email.test(authority!)) return false;
  if (!/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/.test(date!)) return false;
  return /^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*$/.test(specific!);
}

/** An absolute IRI as an id (Atom §4.2.6, a non-permalink guid): a scheme, no whitespace; tag: URIs by RFC 4151. */
export function isAbsoluteIri(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value) || /[<>"{}|\\^`\s]/.test(value)) return false;
  return value.toLowerCase().startsWith('tag:') ? isTagUri(value) : true;
}

/** A full http(s) URL, as RSS links, enclosures and source URLs must be. */
export function isFullHttpUrl(value: string | undefined): boolean {
  if (!value || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A MIME type shape (`type/subtype`, parameters allowed). */
export function isMimeType(value: string | undefined): boolean {
  return !!value && /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(?:\s*;.*)?$/i.test(value);
}

const LANGUAGES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** A language tag whose language the platform's CLDR data knows (ISO 639), shape per BCP 47. */
export function isKnownLanguage(value: string): boolean {
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i.test(value)) return false;
  // ISO 639-2 special codes: undetermined, multiple, no linguistic content, uncoded.
  if (['und', 'mul', 'zxx', 'mis'].includes(value.toLowerCase())) return true;
  try {
    return LANGUAGES.of(value) !== undefined;
  } catch {
    return false;
  }
}

/** Markup, or an escaped entity, in a value that should be plain text (the validator's ContainsHTML). */
export function looksLikeHtml(value: string): boolean {
  return /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/i.test(value) || /&(?:#\d+|#x[0-9a-f]+|[a-z]+);/i.test(value);
}

/** Active content in HTML a reader renders (the validator flags these in content). */
export function hasActiveContent(html: string): boolean {
  return /<(?:script|iframe|object|embed|applet|meta|form)\b/i.test(html) || /<[a-z][^>]*\son[a-z]+\s*=/i.test(html) || /\bjavascript:/i.test(html);
}

/** Namespaces the checks know, by the prefix the rules use for them. */
export const NAMESPACES: Readonly<Record<string, string>> = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
  fh: 'http://purl.org/syndication/history/1.0',
  media: 'http://search.yahoo.com/mrss/',
};
const PREFIX_BY_URI = new Map(Object.entries(NAMESPACES).map(([prefix, uri]) => [uri, prefix]));

/**
 * An element's name as the rules spell it, whatever prefix the document
 * chose: `title` (no namespace), `atom:link`, `dc:creator`; `?{uri}name` for
 * a namespace the rules do not know.
 */
export function keyOf(node: XmlElement): string {
  const local = node.name.includes(':') ? node.name.slice(node.name.indexOf(':') + 1) : node.name;
  if (!node.uri) return local;
  const prefix = PREFIX_BY_URI.get(node.uri);
  return prefix ? `${prefix}:${local}` : `?{${node.uri}}${local}`;
}

/** Direct children with a given rule key. */
export function childrenKeyed(node: XmlElement, key: string): XmlElement[] {
  return node.children.filter((child) => keyOf(child) === key);
}

/** The text of the first child with a rule key, or null. */
export function childText(node: XmlElement, key: string): string | null {
  return childrenKeyed(node, key)[0]?.text ?? null;
}

/** Children of `node` grouped by rule key. */
export function countChildren(node: XmlElement): Map<string, number> {
  const counts = new Map<string, number>();
  for (const child of node.children) counts.set(keyOf(child), (counts.get(keyOf(child)) ?? 0) + 1);
  return counts;
}

/**
 * Element names allowed under `node` (`allowed`), those that may occur at
 * most once (`unique`), and those that must occur (`required`).
 */
export function checkChildren(
  node: XmlElement,
  where: string,
  out: Violations,
  rules: { allowed: ReadonlySet<string>; unique: ReadonlySet<string>; required: readonly string[] },
): void {
  const counts = countChildren(node);
  for (const [name, count] of counts) {
    if (!rules.allowed.has(name)) out.add(where, `<${name}> is not allowed here`);
    if (count > 1 && rules.unique.has(name)) out.add(where, `<${name}> appears ${count} times`);
  }
  for (const name of rules.required) if (!counts.has(name)) out.add(where, `<${name}> is missing`);
}
