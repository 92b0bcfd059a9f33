/**
 * Author names from RSS `author`/`dc:creator`/`itunes:author` and Atom
 * `author`: an element is either a plain name (or RSS "email (Name)", kept as
 * found) or a person construct with a `name` child.
 */
import { childNodes, firstText, textOf, type XmlNode } from './xml-node.js';

/** The name each node gives, in order; person constructs without a name fall back to their email. */
export function authorNames(nodes: readonly XmlNode[]): string[] {
  return nodes.flatMap((node) => {
    const name = textOf(node) ?? firstText(node, 'name', 'atom:name') ?? firstText(node, 'email', 'atom:email');
    return name === null ? [] : [name];
  });
}

/** Names of all `name` children of a node (e.g. every author of an item). */
export function authorsOf(node: XmlNode, ...fields: string[]): string[] {
  return fields.flatMap((field) => authorNames(childNodes(node, field)));
}
