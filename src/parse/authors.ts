/**
 * Author names from RSS `author`/`dc:creator`/`itunes:author` and Atom
 * `author`: an element is either a plain name (or RSS "email (Name)", kept as
 * found) or a person construct with a `name` child.
 */
import { childNodes, firstText, textOf, type XmlNode } from './xml-node.js';

function authorName(node: XmlNode): string | null {
  return textOf(node) ?? firstText(node, 'name', 'atom:name') ?? firstText(node, 'email', 'atom:email');
}

/** The name each node gives, in order; person constructs without a name fall back to their email. */
export function authorNames(nodes: readonly XmlNode[]): string[] {
  const names: string[] = [];
  for (const node of nodes) {
    const name = authorName(node);
    if (name !== null) names.push(name);
  }
  return names;
}

/** Names of all `name` children of a node (e.g. every author of an item). */
export function authorsOf(node: XmlNode, ...fields: string[]): string[] {
  const names: string[] = [];
  for (const field of fields) names.push(...authorNames(childNodes(node, field)));
  return names;
}
