/**
 * HTML written into an RSS text element without escaping, as hand-made and
 * templated feeds do: `<description>a <br> b <img src="x.png"></description>`.
 * Well-formed inline markup reads as it is (text-construct.ts), but a void tag
 * left open, or a paragraph never closed, breaks the whole document; strict
 * parsing then stopped at that item and dropped it and every item after it.
 * Lenient readers take such an element's content as the HTML it is, and so,
 * after a failed parse, does this repair: it quotes it as a CDATA section.
 */
import { flattenCdata } from './xml-node.js';
import type { NameMapper } from './names.js';
import type { ChildOutline, ContainerOutline, XmlOutline } from './xml-outline.js';

/** RSS elements whose content is HTML (the full-text and summary forms rss.ts reads) or a title that may hold some. */
const HTML_FIELDS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'summary',
  'content:encoded',
  'dc:description',
  'itunes:summary',
  'body',
  'fullitem',
]);

/** A tag (start, end, comment or declaration) outside CDATA sections. */
const TAG = /<[A-Za-z/!]/;

/** `markup` as the text of a CDATA section: CDATA sections inside it become escaped text, and `]]>` is split. */
function asCdata(markup: string): string {
  return `<![CDATA[${flattenCdata(markup).replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** An end tag's name, as written at `at`. */
const END_TAG_NAME = /<\/([^\s>]+)/y;

/**
 * Whether the field ends at its own end tag. One closed by its container's
 * (`<title>a<link>…</link></item>`) spans the fields written after it, which
 * must not be quoted into it: rebalance.ts reads those apart.
 */
function closedByOwnEndTag(xml: string, child: ChildOutline, names: NameMapper): boolean {
  END_TAG_NAME.lastIndex = child.innerEnd;
  const name = END_TAG_NAME.exec(xml)?.[1];
  return name !== undefined && names.element(name) === child.name;
}

/** The HTML fields of a container (a channel or an item) that hold tags of their own. */
function fieldsWithTags(xml: string, container: ContainerOutline, names: NameMapper): ChildOutline[] {
  const fields: ChildOutline[] = [];
  for (const [name, children] of container.children) {
    if (!HTML_FIELDS.has(name)) continue;
    for (const child of children) {
      if (child.innerEnd <= child.innerStart || !closedByOwnEndTag(xml, child, names)) continue;
      const inner = xml.slice(child.innerStart, child.innerEnd).replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
      if (TAG.test(inner)) fields.push(child);
    }
  }
  return fields;
}

/**
 * The document with the content of every channel and item HTML field that
 * holds tags quoted as CDATA, or null when there is none. The content reads
 * as the same HTML string either way; only its tags no longer need to be
 * well-formed XML.
 */
export function quoteRawHtml(xml: string, outline: XmlOutline): string | null {
  const containers = outline.feed === null ? outline.items : [outline.feed, ...outline.items];
  const fields = containers.flatMap((container) => fieldsWithTags(xml, container, outline.names)).sort((a, b) => a.innerStart - b.innerStart);
  if (fields.length === 0) return null;
  let out = '';
  let last = 0;
  for (const field of fields) {
    // Ranges of a broken document may nest (a field the outline read inside another): the outer one is quoted whole.
    if (field.innerStart < last) continue;
    out += xml.slice(last, field.innerStart) + asCdata(xml.slice(field.innerStart, field.innerEnd));
    last = field.innerEnd;
  }
  return out + xml.slice(last);
}
