/**
 * XML feeds: repair the text, recognise the format from the root element,
 * build xml2js's tree (xml-tree.ts reads the well-formed documents nearly
 * every feed is; rss-parser, through node-parser.ts, reads the rest) and map
 * the nodes, reading the document's outline only when a field needs it. A
 * document rss-parser rejects is outlined at once: an RSS root without a
 * channel gets one, and a document xml2js cannot finish is recovered: its
 * raw HTML fields quoted, its tags made to nest (rebalance.ts), else the
 * items complete before the point of failure kept and what was open closed.
 */
import { ParseError } from '../errors.js';
import type { FeedFormat, RawFeed } from '../model/index.js';
import { atomFeed } from './atom.js';
import { DocumentOutline } from './document-outline.js';
import { advertisedFeeds } from './feed-links.js';
import { NS, type NameMapper } from './names.js';
import { quoteRawHtml } from './raw-html.js';
import { rebalanceXml } from './rebalance.js';
import { repairXmlText, stripTrailingJunk } from './repair.js';
import { rssFeed } from './rss.js';
import { nodesOfTree, type ParsedXml } from './xml-nodes.js';
import { outlineXml, xmlProlog, type XmlOutline, type XmlProlog } from './xml-outline.js';
import { readXmlTree } from './xml-tree.js';

const STAGE = 'rss: unable to parse feed';

function fail(code: 'not_a_feed' | 'parse_error', detail: string, cause?: unknown): never {
  throw new ParseError(code, `${STAGE}: ${detail}`, cause === undefined ? undefined : { cause });
}

/** not_a_feed for an HTML page, naming the feeds the page links to (a site's address configured for its feed's). */
function htmlPage(text: string, url: string | null): never {
  const feeds = advertisedFeeds(text, url).map((feed) => `${feed.url} (${feed.format})`);
  const hint = feeds.length === 0 ? '' : `; it links to the feed${feeds.length > 1 ? 's' : ''} ${feeds.join(', ')}`;
  return fail('not_a_feed', `the document is an HTML page${hint}`);
}

/** Whether the document is a web page; a feed root wins over a stray HTML DOCTYPE (generators copy one from their page templates). */
function isHtmlPage(outline: XmlProlog): boolean {
  if (!outline.root) return false;
  return /^(?:\w+:)?html$/i.test(outline.root.name) || (outline.doctype?.toLowerCase() === 'html' && outline.kind === 'other');
}

/** The feed format the root element announces, or throws not_a_feed. */
function formatOf(outline: XmlProlog): FeedFormat {
  const root = outline.root;
  if (!root || outline.rootName === null) fail('not_a_feed', 'no XML element found');
  if (outline.kind === 'atom') return 'atom';
  if (outline.kind === 'rdf') {
    const rss090 = Object.values(root.attrs).includes(NS.rss090);
    return rss090 ? 'rss09' : 'rss1';
  }
  if (outline.kind === 'rss') return /^\s*0\.9/.test(root.attrs['version'] ?? '') ? 'rss09' : 'rss2';
  return fail('not_a_feed', `root element <${outline.rootName}> is not RSS, RDF or Atom`);
}

type Attempt = { parsed: ParsedXml; error?: undefined } | { parsed?: undefined; error: unknown };

async function readNodes(xml: string, names: NameMapper): Promise<Attempt> {
  // The one-pass reader builds xml2js's tree for the well-formed documents nearly every feed is; the rest go to rss-parser.
  const tree = readXmlTree(xml, names);
  const parsed = tree === null ? null : nodesOfTree(tree);
  if (parsed !== null) return { parsed };
  // Name processors cost a call per tag and attribute; a document whose prefixes are the usual ones needs none.
  const xml2js = names.renames ? { tagNameProcessors: [names.element], attrNameProcessors: [names.attribute] } : {};
  // Outside the try: a failure to load rss-parser is not something wrong with the document.
  const { NodeParser } = await import('./node-parser.js');
  try {
    // A fresh parser per document: xml2js does not recover cleanly from an error for the next document.
    return { parsed: await new NodeParser({ defaultRSS: 2, xml2js }).parseNodes(xml) };
  } catch (error) {
    return { error };
  }
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

/**
 * The document cut after the last item completed before `offset`, with its
 * open ancestors closed. An item that ends exactly at `offset` is not
 * complete: sax reports an error after the character it stopped at, so the
 * error was its own closing tag (`<item><title>x</item>`).
 */
function truncateToCompleteItems(xml: string, outline: XmlOutline, offset: number): string | null {
  const complete = outline.items.filter((item) => item.end !== null && item.end < offset);
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

function mapFeed(format: FeedFormat, parsed: ParsedXml, outline: DocumentOutline): RawFeed {
  return format === 'atom' ? atomFeed(parsed, outline) : rssFeed(format, parsed, outline);
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
    skipHours: [],
    skipDays: [],
    items: [],
  };
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

/** How much of the document before a parse error is quoted: enough to find the place with a search. */
const CONTEXT_CHARS = 40;

/**
 * The error's first line and the text just before where the parser stopped.
 * sax gives a line and column, but they count from the text as repaired (a
 * leading blank line or BOM dropped), so the text itself is what an operator
 * can search the source's document for. On one line, with no control
 * character and no half of a surrogate pair.
 */
function describeAt(error: unknown, xml: string, offset: number | null): string {
  if (offset === null) return describe(error);
  const before = xml
    .slice(Math.max(0, offset - CONTEXT_CHARS), offset)
    .replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .trim();
  return before === '' ? describe(error) : `${describe(error)} after "${before}"`;
}

/** What keeping the complete items gave: the feed, or why reading them failed again; null when no item was complete. */
type Kept = { feed: RawFeed; retryError?: undefined } | { feed?: undefined; retryError: unknown } | null;

/** The items of `xml` completed before the parser stopped at `offset`, read again. */
async function completeItems(format: FeedFormat, xml: string, outline: XmlOutline, offset: number | null): Promise<Kept> {
  const cut = offset === null ? null : truncateToCompleteItems(xml, outline, offset);
  if (cut === null) return null;
  const cutOutline = outlineXml(cut);
  const retry = await readNodes(cut, cutOutline.names);
  if (!retry.parsed) return { retryError: retry.error };
  return { feed: mapFeed(format, retry.parsed, new DocumentOutline(cut, cutOutline, cutOutline)) };
}

/**
 * The document with the HTML written raw into its RSS fields quoted
 * (raw-html.ts), read whole, else as far as it is complete; null when it has
 * no such field or nothing of it can be read.
 */
async function readQuoted(format: FeedFormat, quoted: string | null): Promise<{ feed: RawFeed; whole: boolean } | null> {
  if (quoted === null) return null;
  const quotedOutline = outlineXml(quoted);
  const read = await readNodes(quoted, quotedOutline.names);
  if (read.parsed) return { feed: mapFeed(format, read.parsed, new DocumentOutline(quoted, quotedOutline, quotedOutline)), whole: true };
  const partial = await completeItems(format, quoted, quotedOutline, errorOffset(quoted, read.error));
  return partial?.feed ? { feed: partial.feed, whole: false } : null;
}

/**
 * The document with its tags made to nest (rebalance.ts), read whole; null
 * when that reads no item (a recovery is worth only the items it saves).
 */
async function readRebalanced(format: FeedFormat, xml: string, prolog: XmlProlog): Promise<RawFeed | null> {
  const balanced = rebalanceXml(xml, prolog);
  if (balanced === null) return null;
  const outline = outlineXml(balanced);
  const read = await readNodes(balanced, outline.names);
  if (!read.parsed) return null;
  const feed = mapFeed(format, read.parsed, new DocumentOutline(balanced, outline, outline));
  return feed.items.length > 0 ? feed : null;
}

/**
 * After rss-parser rejected `stripped` with `error`: wrap a missing channel,
 * else read RSS fields holding HTML that is not well-formed XML (`<br>`, an
 * unclosed <p>) as the HTML they are, else read a well-formed root without a
 * channel as an empty feed, else read the document with its tags made to
 * nest, unless keeping the items completed before the error saves more.
 * The error quoted is always the one in the document as the source wrote it.
 */
async function recover(format: FeedFormat, repaired: string, stripped: string, prolog: XmlProlog, error: unknown): Promise<RawFeed> {
  const repairedOutline = outlineXml(repaired, prolog);
  const xml = wrapMissingChannel(stripped, repairedOutline);
  const outline = xml === repaired ? repairedOutline : outlineXml(xml);
  if (xml !== stripped) {
    const wrapped = await readNodes(xml, outline.names);
    if (wrapped.parsed) return mapFeed(format, wrapped.parsed, new DocumentOutline(xml, outline, outline));
    error = wrapped.error;
  }
  const quotedText = format === 'atom' ? null : quoteRawHtml(xml, outline);
  const quoted = await readQuoted(format, quotedText);
  if (quoted?.whole) return quoted.feed;
  const offset = errorOffset(xml, error);
  // Well-formed (sax reported no position) but rss-parser found no channel to read.
  if (offset === null && channelMissing(outline)) return emptyFeed(format, outline);
  const described = describeAt(error, xml, offset);
  const kept = await completeItems(format, xml, outline, offset);
  // Raw HTML quoted first: its text then stays as written rather than gaining end tags.
  const balanced = await readRebalanced(format, quotedText ?? xml, outline);
  const most = Math.max(quoted?.feed.items.length ?? 0, kept?.feed?.items.length ?? 0);
  if (balanced && balanced.items.length >= most) return balanced;
  // Quoting raw HTML can only let more items be read before the next break.
  if (quoted && (!kept?.feed || quoted.feed.items.length > kept.feed.items.length)) return quoted.feed;
  if (kept?.feed) return kept.feed;
  if (kept === null) fail('parse_error', described, error);
  return fail('parse_error', `${described} (recovery failed: ${describe(kept.retryError)})`, error);
}

/** Parses an RSS/RDF/Atom document (already decoded text); `url` is where it came from, when known. */
export async function parseXmlFeed(text: string, url: string | null = null): Promise<RawFeed> {
  const repaired = repairXmlText(text);
  if (repaired.trim() === '') fail('not_a_feed', 'the document is empty');
  const prolog = xmlProlog(repaired);
  if (prolog.rootName !== null && isHtmlPage(prolog)) htmlPage(text, url);
  const format = formatOf(prolog);
  const stripped = prolog.rootName ? stripTrailingJunk(repaired, prolog.rootName) : repaired;
  const strippedProlog = stripped === repaired ? prolog : xmlProlog(stripped);
  // rss-parser accepting the document means it found a channel, so there is none to wrap (recover).
  const first = await readNodes(stripped, strippedProlog.names);
  if (first.parsed) return mapFeed(format, first.parsed, new DocumentOutline(stripped, strippedProlog));
  return recover(format, repaired, stripped, prolog, first.error);
}
