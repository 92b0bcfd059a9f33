/**
 * HTML helpers for the render tests, on htmlparser2 (the parser sanitize-html
 * uses): read the credit footer's lines back out of rendered content the way a
 * reader would see them, with entities decoded and markup gone.
 */
import { DomUtils, parseDocument } from 'htmlparser2';

/** Parses an HTML fragment or document. */
export function parseHtml(html: string): ReturnType<typeof parseDocument> {
  return parseDocument(html);
}

/** All elements with a tag name, in document order. */
export function findElements(html: string, tag: string): ReturnType<typeof DomUtils.findAll> {
  return DomUtils.findAll((node) => node.name === tag, parseHtml(html).children);
}

/** The visible text of each `<p>` in every `.byline-credit` footer of an HTML string. */
export function creditLines(html: string): string[] {
  const footers = DomUtils.findAll(
    (node) => node.name === 'div' && DomUtils.getAttributeValue(node, 'class') === 'byline-credit',
    parseHtml(html).children,
  );
  return footers.flatMap((footer) =>
    DomUtils.findAll((node) => node.name === 'p', footer.children).map((p) => DomUtils.textContent(p)),
  );
}
