/**
 * Reading elements that carry prose (titles, summaries, content) into the one
 * convention RawItem uses: a string that can be read as HTML. RSS values are
 * kept as found (RSS does not say whether they are text or HTML); Atom text
 * constructs are converted by their `type`: `html` as is, `xhtml` as the inner
 * markup of the wrapping div, `text` (the default) HTML-escaped.
 */
import { attr, cleanText, hasElementChildren, ownText, rawInner, type RawSource, type XmlNode } from './xml-node.js';

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

function decodeBase64(text: string): string | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  return Buffer.from(compact, 'base64').toString('utf8');
}

type ConstructKind = 'text' | 'html' | 'xhtml';

/** How an Atom 1.0 `type` or Atom 0.3 `type` + `mode` pair wants the value read. */
function constructKind(type: string | null, mode: string | null): ConstructKind {
  const t = (type ?? '').trim().toLowerCase();
  if (t === 'xhtml' || t === 'application/xhtml+xml' || (mode === 'xml' && t !== 'text/plain' && t !== '')) return 'xhtml';
  if (t === 'html' || t === 'text/html' || (mode === 'escaped' && t !== 'text/plain')) return 'html';
  if (t.endsWith('+xml') || t.endsWith('/xml')) return 'xhtml';
  return 'text';
}

/**
 * An Atom text construct (title, subtitle, summary, content; Atom 0.3 modes
 * included) as HTML, or null when empty or out-of-line (`src`).
 */
export function atomTextConstruct(node: XmlNode, source: RawSource, name: string, index: number): string | null {
  if (node === undefined || attr(node, 'src') !== null) return null;
  const mode = attr(node, 'mode')?.trim().toLowerCase() ?? null;
  let kind = constructKind(attr(node, 'type'), mode);
  let text = ownText(node);
  if (mode === 'base64' && text !== null) {
    text = decodeBase64(text);
    kind = kind === 'xhtml' ? 'html' : kind;
  }
  if (kind === 'xhtml' || hasElementChildren(node)) {
    const raw = rawInner(source, name, index);
    if (raw !== null) return cleanText(unwrapXhtmlDiv(raw));
    return text === null ? null : cleanText(escapeHtml(text));
  }
  if (text === null) return null;
  return cleanText(kind === 'html' ? text : escapeHtml(text));
}
