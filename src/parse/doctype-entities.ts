/**
 * General entities a document declares in its internal DTD subset
 * (`<!DOCTYPE rss [ <!ENTITY id "tag:example.com,"> ]>`). The strict parser
 * behind rss-parser does not read them, so references to them are replaced
 * with their text before parsing. Only internal entities with a literal value
 * count; references inside a value are not expanded again, so no declaration
 * can make the document grow more than linearly ("billion laughs").
 */
import { decodeXmlReferences } from './xml-tokens.js';

/** More than this many declarations, or a value longer than this, is not a feed's doing: ignored. */
const MAX_ENTITIES = 64;
const MAX_VALUE_LENGTH = 1024;

const DOCTYPE_SUBSET = /<!DOCTYPE\s+[^\s[>]+[^[>]*\[([\s\S]*?)\]\s*>/i;
const ENTITY = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;

/** Name -> replacement text (already decoded, to be escaped where it is inserted). */
export function internalEntities(text: string): ReadonlyMap<string, string> {
  const entities = new Map<string, string>();
  const subset = DOCTYPE_SUBSET.exec(text.slice(0, 65_536))?.[1];
  if (subset === undefined) return entities;
  for (const match of subset.matchAll(ENTITY)) {
    const name = match[1];
    const value = match[2] ?? match[3] ?? '';
    if (!name || value.length > MAX_VALUE_LENGTH || entities.has(name)) continue;
    entities.set(name, decodeXmlReferences(value));
    if (entities.size >= MAX_ENTITIES) break;
  }
  return entities;
}
