/**
 * A feed document as the format mappers (rss.ts, atom.ts) read it: the
 * channel (Atom: feed) element and its items, as xml2js nodes. nodesOfTree
 * finds them in the tree xml-tree.ts built, where rss-parser would; the
 * rss-parser fallback (node-parser.ts) hands back the same shape.
 */
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

export function rssNodes(channel: XmlNode, items: unknown): ParsedXml {
  return { channel, items: itemsOf(items) };
}

/**
 * An `<rss>` root's channel and items: the channel's, those of any further
 * channel (the first one's fields describe the feed), then any written beside
 * the channel instead of inside it (a channel closed too early). Lenient
 * readers list them all. Null without a channel.
 */
export function rssRootNodes(root: XmlNode): ParsedXml | null {
  const channels = childNodes(root, 'channel');
  const channel = channels[0];
  if (channel === undefined || channel === null) return null;
  const outside = childNodes(root, 'item');
  if (channels.length === 1 && outside.length === 0) return rssNodes(channel, childNodes(channel, 'item'));
  return rssNodes(channel, [...channels.flatMap((each) => childNodes(each, 'item')), ...outside]);
}

export function atomNodes(feed: XmlNode): ParsedXml {
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
  if (tree['rss']) return rssRootNodes(tree['rss']);
  const root = tree['rdf:RDF'];
  const channel = firstChild(root, 'channel');
  if (channel === undefined || channel === null) return null;
  return rssNodes(channel, childNodes(root, 'item'));
}
