/**
 * The lexical pieces of the XML tree reader (xml-tree.ts): sax's whitespace
 * and name characters, the references it reads, and the signal that it
 * gives a document up to rss-parser.
 */
import { strictReferenceText } from './strict-references.js';

// sax's name characters (XML 1.0's NameStartChar/NameChar within one UTF-16 unit), as one sticky pattern.
const NAME_START = ':_A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME = new RegExp(`[${NAME_START}][${NAME_START}\\u00B7\\u0300-\\u036F\\u203F-\\u2040.\\d-]*`, 'y');

/** Thrown inside the reader to give up on a document; never escapes readXmlTree. */
export class Decline extends Error {}
export const DECLINE = new Decline();

/** sax's whitespace: space, LF, CR, tab. */
export function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

export function skipSpace(xml: string, at: number): number {
  while (isSpace(xml.charCodeAt(at))) at++;
  return at;
}

/** The text of a reference the reader reads; any other makes it give the document to sax. */
export function referenceText(reference: string): string {
  const text = strictReferenceText(reference);
  if (text === null) throw DECLINE;
  return text;
}

export function readName(xml: string, at: number): string {
  NAME.lastIndex = at;
  const match = NAME.exec(xml);
  if (match === null) throw DECLINE;
  return match[0];
}
