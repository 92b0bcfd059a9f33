/**
 * Character references as sax reads them in strict mode, for the one-pass
 * XML reader (xml-tree.ts): XML's five named references and numeric ones to
 * characters XML allows. sax also knows the HTML 4 names, but repair.ts has
 * rewritten those to numeric references by the time a document is parsed, so
 * the reader leaves any other name to sax rather than carry a second table.
 * repair.ts asks the same question of the numeric references it writes.
 */

// A Map, so that `&constructor;` is not found on Object.prototype.
const XML_NAMED: ReadonlyMap<string, string> = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]]);
const HEX_REFERENCE = /^#[xX][0-9a-fA-F]{1,6}$/;
const DECIMAL_REFERENCE = /^#[0-9]{1,7}$/;

/** Whether XML 1.0 allows the code point in a document (its Char production): what a numeric reference may name. */
export function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** The text a reference (what stands between `&` and `;`) stands for, or null when it is not one the reader reads. */
export function strictReferenceText(reference: string): string | null {
  const named = XML_NAMED.get(reference);
  if (named !== undefined) return named;
  let code: number;
  if (HEX_REFERENCE.test(reference)) code = Number.parseInt(reference.slice(2), 16);
  else if (DECIMAL_REFERENCE.test(reference)) code = Number.parseInt(reference.slice(1), 10);
  else return null;
  return isXmlChar(code) ? String.fromCodePoint(code) : null;
}
