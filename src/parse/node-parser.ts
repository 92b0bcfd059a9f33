/**
 * rss-parser, asked only for what byline reads. rss-parser recognises the
 * format from the root, runs xml2js and finds the channel (or Atom feed) and
 * its items; then, per item, it copies some sixty fields, parses dates, turns
 * element content back into XML and derives an HTML-stripped snippet of the
 * content. byline reads the xml2js nodes itself (rss.ts, atom.ts), so that
 * per-item work is skipped: the builders below hand the nodes back instead.
 *
 * Only documents xml-tree.ts cannot read come here, so xml-feed.ts imports
 * this module when the first one does: rss-parser and xml2js take a parse
 * worker ~40 ms of CPU to load, and workers start afresh every cycle.
 */
import Parser from 'rss-parser';
import type { XmlNode } from './xml-node.js';
import { atomNodes, rssNodes, rssRootNodes, type ParsedXml } from './xml-nodes.js';

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

  /** Called by rss-parser for an `<rss>` root of version 2 (or none): items beside the channel count too. */
  buildRSS2(xml: { rss: XmlNode }): ParsedXml {
    const nodes = rssRootNodes(xml.rss);
    // Rejected as rss-parser's own builder rejects it: xml-feed.ts then wraps the items in a channel.
    if (nodes === null) throw new Error('Unable to parse XML: the rss element has no channel');
    return nodes;
  }

  /** Called by rss-parser for an `<rss>` root of version 0.9x. */
  buildRSS0_9(xml: { rss: XmlNode }): ParsedXml {
    return this.buildRSS2(xml);
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
