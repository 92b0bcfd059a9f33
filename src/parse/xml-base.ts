/**
 * xml:base resolution (XML Base, RFC 3986 reference resolution). rss-parser
 * does not expose xml:base, so the tag scanner tracks it per element and this
 * module computes the effective base an element inherits.
 */

/** Placeholder origin used to resolve a relative reference against a relative base. */
const PLACEHOLDER = 'http://base.invalid';

/**
 * The base in force inside an element: its own `xml:base` resolved against the
 * inherited one. A relative base with no absolute base above it stays relative
 * (resolved as a path when both are relative); the feed's own URL, which only
 * the caller knows, completes it later.
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
  try {
    const resolved = new URL(value, new URL(inherited, `${PLACEHOLDER}/`));
    return resolved.origin === PLACEHOLDER ? resolved.href.slice(PLACEHOLDER.length) : resolved.href;
  } catch {
    return value;
  }
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
