/**
 * Comparing byline's sanitized HTML with another sanitizer's: a canonical
 * serialization (attributes sorted, absolute URLs in their WHATWG form,
 * whitespace folded) so that two spellings of the same markup compare equal,
 * and an account of what byline's sanitizer removes from a piece of markup,
 * checked against its declared policy (SANITIZER_POLICY). Markup byline's policy
 * rewrites is a deliberate difference, not a failure; anything else it
 * changes is compared as is.
 */
import sanitizeHtml from 'sanitize-html';
import { SANITIZER_POLICY, sanitizeMarkup } from '../../../src/normalize/index.js';

const URL_ATTRIBUTES = new Set(['href', 'src', 'cite']);

function normalizedUrl(value: string): string {
  try {
    const url = new URL(value.trim());
    return /^https?:$/.test(url.protocol) ? url.href : value;
  } catch {
    return value;
  }
}

/** Markup serialized one way only, so that equal markup compares equal as a string. */
export function canonicalHtml(html: string): string {
  const serialized = sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    // Keep every URL whatever its scheme: this serializes, it does not sanitize.
    allowedSchemesAppliedToAttributes: [],
    nonTextTags: [],
    parseStyleAttributes: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      '*': (tagName, attribs) => {
        const sorted: sanitizeHtml.Attributes = {};
        for (const key of Object.keys(attribs).sort()) {
          const value = attribs[key] ?? '';
          sorted[key] = URL_ATTRIBUTES.has(key) ? normalizedUrl(value) : value;
        }
        return { tagName, attribs: sorted };
      },
    },
  });
  return serialized.replace(/\s+/g, ' ').replace(/> </g, '><').trim();
}

/** Element names (`span`) and element attributes (`span@style`) occurring in markup, with how often. */
function constructs(html: string): Map<string, number> {
  const found = new Map<string, number>();
  const count = (key: string): void => void found.set(key, (found.get(key) ?? 0) + 1);
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    allowedSchemesAppliedToAttributes: [],
    nonTextTags: [],
    parseStyleAttributes: false,
    transformTags: {
      '*': (tagName, attribs) => {
        count(tagName);
        for (const name of Object.keys(attribs)) count(`${tagName}@${name}`);
        return { tagName, attribs };
      },
    },
  });
  return found;
}

function allowedAttribute(tag: string, attribute: string): boolean {
  const forTag = SANITIZER_POLICY.attributes[tag] ?? [];
  const forAll = SANITIZER_POLICY.attributes['*'] ?? [];
  return forTag.includes(attribute) || forAll.includes(attribute);
}

/** Why byline's policy removes this construct, or null when the policy would keep it. */
function policyReason(construct: string, markup: string): string | null {
  const [tag = '', attribute] = construct.split('@');
  const renamed = SANITIZER_POLICY.renamed[tag];
  if (attribute === undefined) {
    if (renamed) return `renames <${tag}> to <${renamed}>`;
    if (!SANITIZER_POLICY.tags.includes(tag)) return `removes <${tag}>`;
    // A link nowhere and an image of nothing are removed on purpose (see src/normalize/sanitize.ts).
    if (tag === 'a' && !/<a\s[^>]*\bhref\s*=\s*["']?(?:https?:\/\/|mailto:)/i.test(markup)) return 'unwraps links without an http(s) href';
    if (tag === 'img' && !/<img\s[^>]*\bsrc\s*=\s*["']?https?:\/\//i.test(markup)) return 'removes images without an http(s) src';
    return null;
  }
  const kept = renamed ?? tag;
  if (!SANITIZER_POLICY.tags.includes(kept)) return `removes <${tag}>`;
  if (!allowedAttribute(kept, attribute)) return `removes the ${attribute} attribute`;
  if (URL_ATTRIBUTES.has(attribute)) {
    const value = new RegExp(`\\s${attribute}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(markup);
    const url = (value?.[1] ?? value?.[2] ?? value?.[3] ?? '').trim();
    if (!/^(?:https?:\/\/[^/]|mailto:)/i.test(url)) return `keeps only absolute http(s) URLs in ${attribute}`;
  }
  return null;
}

/** What comparing against an expected piece of HTML means under byline's policy. */
export type HtmlExpectation =
  | { applicable: true; canonical: string }
  | { applicable: false; reason: string };

/**
 * Classifies an expected sanitizer output: when byline's own sanitizer would
 * change it, and every change is one its policy declares (an element or
 * attribute it does not keep, a renamed element, a URL it does not accept),
 * the expectation does not apply to byline; otherwise it does, canonicalized.
 */
export function htmlExpectation(expected: string, base: string | null): HtmlExpectation {
  const canonical = canonicalHtml(expected);
  if (canonicalHtml(sanitizeMarkup(expected, base)) === canonical) return { applicable: true, canonical };
  const before = constructs(expected);
  const after = constructs(sanitizeMarkup(expected, base));
  const reasons = new Set<string>();
  const removedElements = new Set<string>();
  // Elements first: the attributes of an element the policy removes go with it.
  const removed = [...before].filter(([construct, times]) => (after.get(construct) ?? 0) < times).map(([construct]) => construct);
  for (const construct of [...removed].sort((a, b) => Number(a.includes('@')) - Number(b.includes('@')))) {
    const [tag = ''] = construct.split('@');
    if (construct.includes('@') && removedElements.has(tag)) continue;
    const reason = policyReason(construct, expected);
    if (reason === null) return { applicable: true, canonical };
    if (!construct.includes('@')) removedElements.add(tag);
    reasons.add(reason);
  }
  if (reasons.size === 0) return { applicable: true, canonical };
  return { applicable: false, reason: `sanitizer policy: ${[...reasons].sort().join('; ')}` };
}
