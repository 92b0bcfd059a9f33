/**
 * The sanitizing pass: one scan of the markup that writes the clean HTML and,
 * alongside, the plain text of what it wrote, as htmlToText would read it back
 * (block element boundaries are spaces). The policy it applies is in
 * sanitize-policy.ts; sanitize.ts wraps it for callers.
 */
import { scanHtml } from './html-scanner.js';
import type { ElementSink } from './html-tree.js';
import { lastImageSource, startTagFor, tagPolicy, type TagPolicy } from './sanitize-policy.js';
import { htmlToText, TextFolder } from './text.js';

/** What one pass produced. */
export interface SanitizeResult {
  /** The clean HTML, trimmed. */
  html: string;
  /** Its plain text, whitespace folded; with a text limit, possibly only the start of it (see sanitizeFragment). */
  text: string;
  /** Whether it shows anything: an image or non-blank text. */
  visible: boolean;
  /** The `src` of its first image, if any. */
  image: string | null;
}

/** A link with nothing inside once pixels are gone (typically a feed flare's wrapper). */
const EMPTY_LINK = /<a\b[^>]*>(?:\s|<br \/>)*<\/a>/g;

/**
 * Sanitizes `markup` (CDATA wrappers already unwrapped). With a finite
 * `textLimit`, the text may be only its first `textLimit + 1` characters or
 * more, which spares folding the rest of a long article.
 */
export function sanitizeFragment(markup: string, base: string | null, textLimit = Infinity): SanitizeResult {
  const writer = new SanitizingWriter(base, textLimit);
  scanHtml(markup, writer);
  let html = writer.written;
  let text = writer.folder.text;
  if (writer.emptyLinks) {
    html = html.replace(EMPTY_LINK, '');
    // The removed links took whitespace and line breaks with them, so read the text off the result.
    text = htmlToText(html);
  }
  if (writer.emptyLinks || writer.blankStart || writer.blankEnd) html = html.trim();
  return { html, text, visible: writer.visible, image: writer.image };
}

function isWhitespace(code: number): boolean {
  return code <= 0x20 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : code === 0xa0 || code === 0xfeff || code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

/** Writes the clean HTML and its text as the scanner reports elements. */
class SanitizingWriter implements ElementSink {
  written = '';
  /** The text of what was written, folded as it comes, until it is longer than the text limit. */
  readonly folder = new TextFolder();
  visible = false;
  image: string | null = null;
  /** Whether some link was written with nothing in it but whitespace and line breaks. */
  emptyLinks = false;
  /** Whether the output starts with whitespace (so needs trimming). */
  blankStart = false;
  /** Whether the output so far ends with whitespace. */
  blankEnd = false;
  skipping = false;
  /** Inside dropped content: how many elements deep. */
  private dropDepth = 0;
  /** Per open element, its policy when an end tag is to be written for it. */
  private readonly openTags: (TagPolicy | null)[] = [];
  /** Counts writes other than whitespace and `<br />`, so a link can tell whether anything went inside it. */
  private contentWrites = 0;
  /** Per open written link, `contentWrites` just after its start tag. */
  private readonly linkMarks: number[] = [];

  constructor(
    private readonly base: string | null,
    private readonly textLimit: number,
  ) {}

  wantedAttributes(name: string): ReadonlySet<string> | null {
    return this.dropDepth === 0 ? tagPolicy(name).readAttributes : null;
  }

  /** Dropped elements count as written under their own name: nothing inside them is, so only their own extent matters. */
  open(name: string, attributes: readonly string[]): string | null {
    if (this.dropDepth > 0) {
      this.dropDepth++;
      return name;
    }
    const policy = tagPolicy(name);
    const start = policy.allowed ? startTagFor(policy, attributes, this.base) : null;
    if (start === null) {
      this.openTags.push(null);
      if (!policy.droppedWithContent) return null;
      this.dropDepth = 1;
      this.skipping = true;
      return name;
    }
    const tag = policy.tag;
    if (policy.block) this.addText(' ');
    if (tag === 'img') {
      this.visible = true;
      this.image ??= lastImageSource;
    }
    if (tag !== 'br') this.contentWrites++;
    this.written += start;
    this.blankEnd = false;
    this.openTags.push(policy.end === '' ? null : policy);
    if (tag === 'a') this.linkMarks.push(this.contentWrites);
    return tag;
  }

  close(): void {
    if (this.dropDepth > 0) {
      this.dropDepth--;
      if (this.dropDepth > 0) return;
      this.skipping = false;
    }
    const policy = this.openTags.pop();
    if (!policy) return;
    if (policy.block) this.addText(' ');
    if (policy.tag === 'a' && this.linkMarks.pop() === this.contentWrites) this.emptyLinks = true;
    this.contentWrites++;
    this.written += policy.end;
    this.blankEnd = false;
  }

  text(value: string, plain: boolean): void {
    if (this.written === '' && isWhitespace(value.charCodeAt(0))) this.blankStart = true;
    this.written += plain || !/[&<>]/.test(value) ? value : value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    this.blankEnd = isWhitespace(value.charCodeAt(value.length - 1));
    this.addText(value);
    // Only a link's start and end compare contentWrites, so blank text elsewhere need not be told apart.
    if (this.linkMarks.length > 0 && /\S/.test(value)) this.contentWrites++;
    if (!this.visible && /[^\s\u200B\uFEFF]/.test(value)) this.visible = true;
  }

  private addText(value: string): void {
    if (this.folder.text.length <= this.textLimit) this.folder.add(value);
  }
}
