/**
 * rss-parser, asked only for what byline reads. rss-parser recognises the
 * format from the root, runs xml2js and finds the channel (or Atom feed) and
 * its items; then, per item, it copies some sixty fields, parses dates, turns
 * element content back into XML and derives an HTML-stripped snippet of the
 * content. byline reads the xml2js nodes itself (rss.ts, atom.ts), so that
 * per-item work is skipped: the builders below hand the nodes back instead.
 * nodesOfTree finds the same channel and items in a tree xml-tree.ts built.
 */
import Parser from 'rss-parser';
import { childNodes, firstChild, type XmlNode } from './xml-node.js';

/** The channel (Atom: feed) element and its items (entries), as xml2js nodes. */
export interface ParsedXml {
  channel: XmlNode;
  items: XmlNode[];
}

/** The items as a list of their own (a fresh one when there are none: xml-node's shared empty list is frozen). */
function itemsOf(nodes: unknown): XmlNode[] {
  return Array.isArray(nodes) && nodes.length > 0 ? nodes : [];
}

function rssNodes(channel: XmlNode, items: unknown): ParsedXml {
  return { channel, items: itemsOf(items) };
}

function atomNodes(feed: XmlNode): ParsedXml {
  return { channel: feed, items: itemsOf(childNodes(feed, 'entry')) };
}

/**
 * The channel and items of a tree xml2js would have built (xml-tree.ts),
 * found as rss-parser's parseString finds them: Atom first, then RSS whose
 * version starts with 2, RDF, RSS 0.9x, and any other <rss> as RSS 2.0 (the
 * defaultRSS option). Null where parseString would reject the tree (no
 * recognised root, no channel): the caller then lets rss-parser read the
 * text and report the error itself, which the recovery needs.
 */
export function nodesOfTree(tree: Record<string, unknown>): ParsedXml | null {
  if (tree['feed']) return atomNodes(tree['feed']);
  // One root: <rss> of any version keeps its items in the channel, RDF beside it.
  const root = tree['rss'] || tree['rdf:RDF'];
  const channel = firstChild(root, 'channel');
  if (channel === undefined || channel === null) return null;
  return rssNodes(channel, childNodes(tree['rss'] ? channel : root, 'item'));
}

/**
 * rss-parser whose feed builders return the raw nodes. rss-parser calls them
 * after locating the channel: buildRSS for RSS 0.9x/1.0/2.0 (a missing
 * channel still throws before it), buildAtomFeed for Atom; decorateItunes
 * would write iTunes fields into the items, which are now the nodes.
 */
export class NodeParser extends Parser {
  /** Called by rss-parser's RSS builders with the channel and its (RSS 1.0: the root's) items. */
  buildRSS(channel: XmlNode, items: unknown): ParsedXml {
    return rssNodes(channel, items);
  }

  /** Called by rss-parser for an Atom root. */
  buildAtomFeed(xml: { feed: XmlNode }): ParsedXml {
    return atomNodes(xml.feed);
  }

  /** Called by rss-parser for RSS 2.0 with an iTunes namespace: the items are the nodes, nothing to add. */
  decorateItunes(): void {}

  /** Parses a document into its channel and items; rejects what rss-parser rejects. */
  async parseNodes(xml: string): Promise<ParsedXml> {
    // NOTE: parseString resolves with whatever the builders above return, not rss-parser's Output type.
    return (await this.parseString(xml)) as unknown as ParsedXml;
  }
}
