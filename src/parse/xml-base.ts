/**
 * xml:base resolution (XML Base, RFC 3986 reference resolution). rss-parser
 * does not expose xml:base, so the tag scanner tracks it per element and this
 * module computes the effective base an element inherits.
 */

/** Placeholder origin used to resolve a relative reference against a relative base. */
const PLACEHOLDER = 'http://base.invalid';

/**
 * Placeholder directories standing for the document's own path while two
 * relative bases are joined: the `../` that climb out of them are kept, to
 * climb from the document's directory once its URL is known.
 */
const DOCUMENT_DIR = 'document.invalid';
const DOCUMENT_DEPTH = 32;
const DOCUMENT_PATH = `${PLACEHOLDER}/${`${DOCUMENT_DIR}/`.repeat(DOCUMENT_DEPTH)}`;

const HAS_SCHEME = /^[a-z][a-z\d+.-]*:/i;

/**
 * The base in force inside an element: its own `xml:base` resolved against the
 * inherited one. A relative base with no absolute base above it stays relative
 * to the document, both levels joined into one reference (`a/` then `b/` is
 * `a/b/`, `a/` then `../c/` is `c/`); the feed's own URL, which only the
 * caller knows, completes it later.
 */
export function resolveXmlBase(own: string | null | undefined, inherited: string | null): string | null {
  if (own === null || own === undefined) return inherited;
  const value = own.trim();
  if (value === '') return inherited;
  if (inherited === null) return value;
  try {
    return new URL(value, inherited).href;
  } catch {
    // The inherited base is relative too.
  }
  return joinRelative(value, inherited);
}

/** A relative reference resolved against a relative base, as one reference relative to the document. */
function joinRelative(value: string, inherited: string): string {
  let resolved: URL;
  try {
    if (HAS_SCHEME.test(value)) return new URL(value).href;
    resolved = new URL(value, new URL(inherited, DOCUMENT_PATH));
  } catch {
    return value;
  }
  // A network-path reference (`//host/path`) keeps the document's scheme.
  if (resolved.origin !== PLACEHOLDER) return resolved.href.slice(resolved.protocol.length);
  const segments = resolved.pathname.split('/');
  let first = 1;
  while (first <= DOCUMENT_DEPTH && segments[first] === DOCUMENT_DIR) first++;
  const rest = segments.slice(first).join('/') + resolved.search + resolved.hash;
  // No placeholder left: an absolute path, or one that climbed past all of them to the root.
  if (first === 1) return `/${rest}`;
  return '../'.repeat(DOCUMENT_DEPTH - (first - 1)) + rest;
}

/**
 * A reference resolved against an absolute base; unchanged when the base is
 * missing or relative (the caller's feed URL completes it later).
 */
export function resolveAgainst(reference: string, base: string | null): string {
  if (base === null) return reference;
  try {
    return new URL(reference, base).href;
  } catch {
    return reference;
  }
}
