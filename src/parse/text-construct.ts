/**
 * Reading elements that carry prose (titles, summaries, content) into the one
 * convention RawItem uses: a string that can be read as HTML. RSS values are
 * kept as found (RSS does not say whether they are text or HTML); Atom text
 * constructs are converted by their `type`: `html` as is, `xhtml` as the inner
 * markup of the wrapping div, `text` (the default) HTML-escaped.
 */
import { attr, cleanText, hasElementChildren, ownText, rawInner, type RawSource, type XmlNode } from './xml-node.js';
import { decodeXmlReferences } from './xml-tokens.js';

/** Escapes text so that reading it as HTML gives back the same text. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Markup-or-text of an element as found. When the element holds unescaped
 * child elements (inline HTML in RSS, xhtml in Atom) xml2js scatters them out
 * of order, so the raw inner markup is read from the document instead.
 */
export function markupOf(node: XmlNode, source: RawSource, name: string, index: number): string | null {
  if (hasElementChildren(node)) return rawInner(source, name, index) ?? cleanText(ownText(node));
  return cleanText(ownText(node));
}

/** The inside of an XHTML `<div>` wrapper (Atom type="xhtml"), without an XHTML namespace prefix on tags. */
export function unwrapXhtmlDiv(markup: string): string {
  const wrapped = /^<((?:([\w.-]+):)?div)\b[^>]*>([\s\S]*)<\/\1\s*>$/.exec(markup.trim());
  if (!wrapped) return markup;
  const prefix = wrapped[2];
  const inner = (wrapped[3] ?? '').trim();
  return prefix ? inner.replace(new RegExp(`(</?)${prefix}:`, 'g'), '$1') : inner;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Base64 text decoded, when it is text: RFC 4287 encodes any media type this
 * way, and the bytes of a picture or a PDF read as UTF-8 are no article but
 * binary noise (control characters, broken sequences).
 */
function decodeBase64(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  let decoded: string;
  try {
    decoded = STRICT_UTF8.decode(Buffer.from(compact, 'base64'));
  } catch {
    return null;
  }
  return /[\x00-\x08\x0B\x0E-\x1F\x7F]/.test(decoded) ? null : decoded;
}

type ConstructKind = 'text' | 'html' | 'xhtml' | 'base64';

/**
 * How an Atom 1.0 `type` or Atom 0.3 `type` + `mode` pair wants the value
 * read. RFC 4287 4.1.3.3: a media type that is neither text nor XML means
 * base64-encoded content.
 */
function constructKind(type: string | null, mode: string | null): ConstructKind {
  const t = (type ?? '').trim().toLowerCase();
  if (mode === 'base64') return 'base64';
  if (t === 'xhtml' || t === 'application/xhtml+xml' || (mode === 'xml' && t !== 'text/plain' && t !== '')) return 'xhtml';
  if (t === 'html' || t === 'text/html' || (mode === 'escaped' && t !== 'text/plain')) return 'html';
  if (t.endsWith('+xml') || t.endsWith('/xml')) return 'xhtml';
  if (t.includes('/') && !t.startsWith('text/')) return 'base64';
  return 'text';
}

/** Options that differ between Atom versions. */
export interface ConstructOptions {
  /**
   * Atom 1.0 wraps XHTML content in a `<div>` that is not part of it; Atom
   * 0.3's inline XML has no such wrapper, so a div there is content.
   */
  unwrapXhtmlDiv: boolean;
}

/** The text of an xml2js node and its descendants, when the raw markup is out of reach. */
function deepText(node: XmlNode): string | null {
  if (typeof node === 'string') return node;
  if (node === null || typeof node !== 'object') return null;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === '$') continue;
    if (key === '_' && typeof value === 'string') parts.unshift(value);
    else if (Array.isArray(value)) parts.push(...value.map((child) => deepText(child) ?? ''));
  }
  return parts.join('');
}

/**
 * `type="html"` holding an element rather than escaped markup: TypePad wrapped
 * escaped HTML in an XHTML div. The div's text is the HTML; real child
 * elements are kept as markup.
 */
function htmlInElement(raw: string): string {
  const inner = unwrapXhtmlDiv(raw);
  return /<[A-Za-z!/?]/.test(inner) ? inner : decodeXmlReferences(inner);
}

/**
 * An Atom text construct (title, subtitle, summary, content; Atom 0.3 modes
 * included) as HTML, or null when empty or out-of-line (`src`).
 */
export function atomTextConstruct(
  node: XmlNode,
  source: RawSource,
  name: string,
  index: number,
  options: ConstructOptions = { unwrapXhtmlDiv: true },
): string | null {
  if (node === undefined || attr(node, 'src') !== null) return null;
  const mode = attr(node, 'mode')?.trim().toLowerCase() ?? null;
  const type = attr(node, 'type');
  const kind = constructKind(type, mode);
  const text = ownText(node);
  if (kind === 'base64') {
    // A picture, a sound or a film is no text to show, whatever its bytes happen to decode to.
    if (/^\s*(?:image|audio|video)\//i.test(type ?? '')) return null;
    const decoded = text === null ? null : decodeBase64(text);
    // Decoded bytes are HTML unless the type says plain text (what generators encoded was markup).
    const plain = /^\s*(?:text|text\/plain)\s*$/i.test(type ?? '');
    return decoded === null ? null : cleanText(plain ? escapeHtml(decoded) : decoded);
  }
  if (kind === 'xhtml' || hasElementChildren(node)) {
    const raw = rawInner(source, name, index);
    if (raw !== null) {
      if (kind === 'html') return cleanText(htmlInElement(raw));
      return cleanText(options.unwrapXhtmlDiv ? unwrapXhtmlDiv(raw) : raw);
    }
    const fallback = deepText(node);
    return fallback === null ? null : cleanText(escapeHtml(fallback));
  }
  if (text === null) return null;
  return cleanText(kind === 'html' ? text : escapeHtml(text));
}
