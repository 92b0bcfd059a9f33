/**
 * XML feeds: repair the text, outline it, recognise the format from the root
 * element, run rss-parser's parseString with our custom fields, and map the
 * result. A document xml2js rejects gets one recovery attempt: keep the items
 * that were complete before the point of failure and close what was open.
 */
import Parser from 'rss-parser';
import { ParseError } from '../errors.js';
import type { FeedFormat, RawFeed } from '../model/index.js';
import { atomFeed } from './atom.js';
import { customFieldSpecs, FEED_FIELDS, ITEM_FIELDS } from './custom-fields.js';
import { NS } from './names.js';
import { repairXmlText, stripTrailingJunk } from './repair.js';
import { rssFeed, type ParsedXml } from './rss.js';
import { outlineXml, type XmlOutline } from './xml-outline.js';

const STAGE = 'rss: unable to parse feed';

function fail(code: 'not_a_feed' | 'parse_error', detail: string, cause?: unknown): never {
  throw new ParseError(code, `${STAGE}: ${detail}`, cause === undefined ? undefined : { cause });
}

/** The feed format the root element announces, or throws not_a_feed. */
function formatOf(outline: XmlOutline): FeedFormat {
  const root = outline.root;
  if (!root || outline.rootName === null) fail('not_a_feed', 'no XML element found');
  // A feed root wins over a stray HTML DOCTYPE (generators copy one from their page templates).
  const htmlPage = /^(?:\w+:)?html$/i.test(root.name) || (outline.doctype?.toLowerCase() === 'html' && outline.kind === 'other');
  if (htmlPage) fail('not_a_feed', 'the document is an HTML page');
  if (outline.kind === 'atom') return 'atom';
  if (outline.kind === 'rdf') {
    const rss090 = Object.values(root.attrs).includes(NS.rss090);
    return rss090 ? 'rss09' : 'rss1';
  }
  if (outline.kind === 'rss') return /^\s*0\.9/.test(root.attrs['version'] ?? '') ? 'rss09' : 'rss2';
  return fail('not_a_feed', `root element <${outline.rootName}> is not RSS, RDF or Atom`);
}

async function runRssParser(xml: string, outline: XmlOutline): Promise<ParsedXml> {
  const parser = new Parser({
    defaultRSS: 2,
    xml2js: { tagNameProcessors: [outline.names.element], attrNameProcessors: [outline.names.attribute] },
    // NOTE: rss-parser's typings only allow plain field names for `feed`, but its runtime takes the
    // same [from, to, { keepArray }] form as for items; the cast keeps that form.
    customFields: { feed: customFieldSpecs(FEED_FIELDS) as never, item: customFieldSpecs(ITEM_FIELDS) },
  });
  const result: Record<string, unknown> & { items?: unknown } = await parser.parseString(xml);
  return { channel: result, items: Array.isArray(result.items) ? result.items : [] };
}

/** Line/column that sax reports in its error message, as an offset into `xml`. */
function errorOffset(xml: string, error: unknown): number | null {
  const message = error instanceof Error ? error.message : '';
  const match = /Line:\s*(\d+)\s+Column:\s*(\d+)/.exec(message);
  if (!match) return null;
  let offset = 0;
  for (let line = Number(match[1]); line > 0 && offset >= 0; line--) {
    offset = xml.indexOf('\n', offset);
    if (offset >= 0) offset++;
  }
  return offset < 0 ? xml.length : offset + Number(match[2]);
}

/** The document cut after the last item completed before `offset`, with its open ancestors closed. */
function truncateToCompleteItems(xml: string, outline: XmlOutline, offset: number): string | null {
  const complete = outline.items.filter((item) => item.end !== null && item.end <= offset);
  const last = complete.at(-1);
  if (!last || last.end === null) return null;
  return xml.slice(0, last.end) + last.closing;
}

/**
 * `<rss>` holding items with no `<channel>` around them (early RSS 0.9x
 * generators): the items are wrapped in one, as lenient readers assume.
 */
function wrapMissingChannel(xml: string, outline: XmlOutline): string {
  if (outline.kind !== 'rss' || outline.feed !== null || outline.rootName === null) return xml;
  const start = new RegExp(`<${outline.rootName}(?:\\s[^>]*)?>`).exec(xml);
  const end = xml.lastIndexOf(`</${outline.rootName}`);
  if (!start || end < start.index + start[0].length) return xml;
  const inner = start.index + start[0].length;
  return `${xml.slice(0, inner)}<channel>${xml.slice(inner, end)}</channel>${xml.slice(end)}`;
}

/** A root without the channel rss-parser requires (e.g. `<rss version="2.0"></rss>`): an empty feed. */
function channelMissing(outline: XmlOutline): boolean {
  return outline.kind !== 'atom' && outline.feed === null;
}

function mapFeed(format: FeedFormat, parsed: ParsedXml, xml: string, outline: XmlOutline): RawFeed {
  return format === 'atom' ? atomFeed(parsed, xml, outline) : rssFeed(format, parsed, xml, outline);
}

function emptyFeed(format: FeedFormat, outline: XmlOutline): RawFeed {
  return {
    format,
    title: null,
    link: null,
    selfUrl: null,
    base: outline.root?.base ?? null,
    description: null,
    language: null,
    ttlMinutes: null,
    items: [],
  };
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

/** Parses an RSS/RDF/Atom document (already decoded text). */
export async function parseXmlFeed(text: string): Promise<RawFeed> {
  const repaired = repairXmlText(text);
  if (repaired.trim() === '') fail('not_a_feed', 'the document is empty');
  let outline = outlineXml(repaired);
  const format = formatOf(outline);
  let xml = wrapMissingChannel(outline.rootName ? stripTrailingJunk(repaired, outline.rootName) : repaired, outline);
  if (xml !== repaired) outline = outlineXml(xml);

  let parsed: ParsedXml;
  try {
    parsed = await runRssParser(xml, outline);
  } catch (error) {
    const offset = errorOffset(xml, error);
    // Well-formed (sax reported no position) but rss-parser found no channel to read.
    if (offset === null && channelMissing(outline)) return emptyFeed(format, outline);
    const cut = offset === null ? null : truncateToCompleteItems(xml, outline, offset);
    if (cut === null) fail('parse_error', describe(error), error);
    xml = cut;
    outline = outlineXml(xml);
    try {
      parsed = await runRssParser(xml, outline);
    } catch (retryError) {
      fail('parse_error', `${describe(error)} (recovery failed: ${describe(retryError)})`, error);
    }
  }
  return mapFeed(format, parsed, xml, outline);
}
