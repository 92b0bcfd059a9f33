/**
 * How an expected value in a feedparser test case is read before it is
 * compared with byline's (see suite-shape.ts for the kinds). Each projection
 * applies to feedparser's expected value the same normalization byline applies
 * to its own: a title may be written as text or as HTML and byline's is text;
 * links are canonical; RSS authors lose their email; HTML is canonically
 * serialized and checked against byline's sanitizer policy. Charset names
 * are compared by effect: two names are the same when they decode the
 * document's bytes to the same text.
 */
import { canonicalizeUrl, cleanAuthors, htmlToText } from '../../../src/normalize/index.js';
import { canonicalCharset, decodeWith } from '../../../src/parse/charset.js';
import { htmlExpectation } from './html-compare.js';
import type { ValueKind } from './suite-shape.js';

/** The values an expected literal may equal, per kind; or why comparing it does not apply to byline. */
export type Projection = { values: string[] } | { notApplicable: string };

/** Projections of every literal a case compares against, keyed by the literal. */
export type Projections = Record<string, Record<ValueKind, Projection>>;

function fold(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function distinct(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === 'string'))];
}

/** Projections for one literal; `base` resolves relative URLs as the case's document URL would. */
export function projectLiteral(literal: string, base: string): Record<ValueKind, Projection> {
  const htmlCase = htmlExpectation(literal, base);
  return {
    text: { values: distinct([literal, fold(literal), htmlToText(literal)]) },
    html: htmlCase.applicable ? { values: [htmlCase.canonical] } : { notApplicable: htmlCase.reason },
    url: { values: distinct([literal, canonicalizeUrl(literal, base)]) },
    author: { values: distinct([literal, cleanAuthors([literal])[0]]) },
    plain: { values: [literal] },
  };
}

/** Every projection a case needs. */
export function projectLiterals(literals: readonly string[], base: string): Projections {
  return Object.fromEntries(literals.map((literal) => [literal, projectLiteral(literal, base)]));
}

/**
 * The charset names among `labels` that decode `bytes` to exactly the text
 * byline's own charset decodes them to (byline's name included). `us-ascii`
 * and `utf-8` agree on an ASCII document; `iso-8859-1` and `windows-1252`
 * agree unless bytes 0x80-0x9F occur.
 */
export function equivalentCharsets(bytes: Uint8Array, ours: string | null, labels: readonly string[]): string[] {
  if (ours === null) return [];
  const reference = decodeWith(bytes, ours);
  return distinct([
    ours,
    ...labels.filter((label) => {
      const canonical = canonicalCharset(label);
      return canonical !== null && decodeWith(bytes, canonical) === reference;
    }),
  ]);
}
