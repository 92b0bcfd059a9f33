/**
 * A single-pass HTML fragment scanner: finds tags, attributes, text, comments
 * and raw-text elements in a string and hands them, decoded, to an ElementTree.
 * It is tuned for feed content (mostly text and a few dozen tags per item): it
 * jumps from `<` to `<` with indexOf and only walks tags character by
 * character. Tokenizing follows the parser byline used before, quirks included
 * (`<tmp>` is raw text like `<xmp>`, `</>` is text), except where that lost
 * content a browser shows: a comment also ends at `--!>`, and a tag name (of
 * an end tag too, `</script/>`) ends at `/`. Inputs that end inside an end tag
 * or after a `/` in a start tag are dropped like any unfinished tag.
 *
 * Every search for a delimiter either stops within the construct being read
 * or is remembered, so hostile input (a megabyte of tiny elements) is read in
 * linear time.
 */
import { isWhitespace, lowerCased, readAttributes, tagSelfClosed } from './html-attributes.js';
import { decodeReferences } from './html-entities.js';
import { RAW_TEXT_END, isRawTextNamePrefix, rawTextContent } from './html-raw-text.js';
import { ElementTree, type ElementSink } from './html-tree.js';

const BANG = 0x21, DASH = 0x2d, SLASH = 0x2f, GREATER = 0x3e, QUESTION = 0x3f, OPEN_BRACKET = 0x5b;

const NO_ATTRIBUTES: readonly string[] = Object.freeze([]);

function isAsciiAlpha(code: number): boolean {
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
}

/** Scans `html` and sends its structure and text to `sink`. */
export function scanHtml(html: string, sink: ElementSink): void {
  new HtmlScanner(html, sink).run();
}

class HtmlScanner {
  private readonly tree: ElementTree;
  private readonly length: number;
  /** Where the pending text run starts. */
  private textStart = 0;
  /** Whether the pending text run holds a `<` that started nothing. */
  private textHasLt = false;
  /**
   * Where the next `&` is (-1: none to the end): remembered so that text runs
   * do not each search the rest of the input for one.
   */
  private nextAmp = -2;
  /** Likewise the next `-->` and `--!>`, the ends of a comment. */
  private nextClose = -2;
  private nextBangClose = -2;

  constructor(
    private readonly html: string,
    private readonly sink: ElementSink,
  ) {
    this.tree = new ElementTree(sink);
    this.length = html.length;
  }

  run(): void {
    const { html, length } = this;
    let from = 0;
    for (;;) {
      const lt = html.indexOf('<', from);
      if (lt < 0 || lt + 1 >= length) {
        // A `<` as the very last character is text too.
        if (lt >= 0) this.textHasLt = true;
        this.text(this.textStart, length);
        break;
      }
      const next = html.charCodeAt(lt + 1);
      if (!isAsciiAlpha(next) && next !== SLASH && next !== BANG && next !== QUESTION) {
        // A `<` that starts nothing is text.
        this.textHasLt = true;
        from = lt + 1;
        continue;
      }
      this.text(this.textStart, lt);
      this.textStart = -1;
      let resume: number;
      if (isAsciiAlpha(next)) resume = this.startTag(lt + 1);
      else if (next === SLASH) resume = this.endTag(lt);
      else if (next === BANG) resume = this.declaration(lt + 2);
      else resume = this.skipTo(lt + 2, lt + 2);
      if (resume < 0) break;
      // endTag sets the text start back to its `<` for `</>`, which stays text.
      if (this.textStart < 0) {
        this.textStart = resume;
        this.textHasLt = false;
      }
      from = resume;
    }
    this.tree.finish();
  }

  /** Text runs decode their character references. */
  private text(from: number, to: number): void {
    if (to <= from || this.sink.skipping) return;
    const { html } = this;
    if (this.nextAmp !== -1 && this.nextAmp < from) this.nextAmp = html.indexOf('&', from);
    if (this.nextAmp >= 0 && this.nextAmp < to) {
      this.tree.text(decodeReferences(html, from, to, false), false);
      return;
    }
    // Usually the first `>` is the one ending the next tag, just past the run.
    const gt = html.indexOf('>', from);
    this.tree.text(html.slice(from, to), !this.textHasLt && (gt < 0 || gt >= to));
  }

  /** Input that ends inside some constructs is kept as literal text. */
  private literalToEnd(from: number): -1 {
    if (from < this.length && !this.sink.skipping) this.tree.text(this.html.slice(from), false);
    return -1;
  }

  /** A start tag whose name begins at `at`; returns where scanning resumes, -1 at the end of input. */
  private startTag(at: number): number {
    const { html, length } = this;
    let position = at;
    let upper = false;
    while (position < length) {
      const code = html.charCodeAt(position);
      if (isWhitespace(code) || code === SLASH || code === GREATER) break;
      if ((code >= 0x41 && code <= 0x5a) || code >= 0x80) upper = true;
      position++;
    }
    if (position >= length) {
      // The old tokenizer kept an unfinished raw-text tag name (`<scr` at the very end) as text.
      return isRawTextNamePrefix(html.slice(at).toLowerCase()) ? this.literalToEnd(at) : -1;
    }
    const name = upper ? html.slice(at, position).toLowerCase() : html.slice(at, position);
    const wanted = this.tree.startTag(name);
    const attributes = wanted ? [] : null;
    const end = readAttributes(html, position, attributes, wanted);
    if (end < 0) return -1;
    const selfClosing = tagSelfClosed;
    const isHtml = this.tree.openTag(attributes ?? NO_ATTRIBUTES, selfClosing);
    // Inside SVG and MathML, `<style>` and `<title>` hold markup like any other element.
    const rawEnd = selfClosing || !isHtml ? undefined : RAW_TEXT_END.get(name);
    return rawEnd === undefined ? end : this.rawText(end, rawEnd);
  }

  /**
   * Raw text from `from` up to `</endName` followed by whitespace, `/` or `>`
   * (any case): what ends a tag name. Only `<title>` decodes character
   * references in it.
   */
  private rawText(from: number, endName: string): number {
    const { html, length } = this;
    let search = from;
    for (;;) {
      const lt = html.indexOf('</', search);
      const nameEnd = lt + 2 + endName.length;
      if (lt < 0 || nameEnd >= length) {
        this.rawTextRun(from, length, endName);
        return -1;
      }
      const after = html.charCodeAt(nameEnd);
      if ((after === GREATER || after === SLASH || isWhitespace(after)) && html.slice(lt + 2, nameEnd).toLowerCase() === endName) {
        this.rawTextRun(from, lt, endName);
        this.tree.endTag(endName);
        return this.skipTo(nameEnd, -1);
      }
      search = lt + 1;
    }
  }

  private rawTextRun(from: number, to: number, endName: string): void {
    if (to <= from || this.sink.skipping) return;
    this.sink.text(rawTextContent(this.html, from, to, endName), false);
  }

  /** `</`: an end tag, or one of the bogus forms around it. */
  private endTag(lt: number): number {
    const { html, length } = this;
    let position = lt + 2;
    while (position < length && isWhitespace(html.charCodeAt(position))) position++;
    if (position >= length) return this.literalToEnd(lt);
    const code = html.charCodeAt(position);
    if (code === GREATER) {
      // `</>` is kept as text: the text run goes on from the `<`.
      this.textStart = lt;
      this.textHasLt = true;
      return position + 1;
    }
    if (!isAsciiAlpha(code)) return this.skipTo(position, position);
    let nameEnd = position + 1;
    while (nameEnd < length) {
      const code = html.charCodeAt(nameEnd);
      if (code === GREATER || code === SLASH || isWhitespace(code)) break;
      nameEnd++;
    }
    if (nameEnd >= length) return -1;
    this.tree.endTag(lowerCased(html, position, nameEnd));
    return this.skipTo(nameEnd, -1);
  }

  /** `<!`: a comment, a CDATA section (dropped, as in HTML), or a declaration such as a doctype. */
  private declaration(at: number): number {
    const { html, length } = this;
    if (at >= length) return -1;
    const code = html.charCodeAt(at);
    if (code === OPEN_BRACKET) {
      for (let index = 0; index < 6; index++) {
        if (at + 1 + index >= length) return this.literalToEnd(at);
        if (html.charCodeAt(at + 1 + index) !== 'CDATA['.charCodeAt(index)) return this.skipTo(at + 1 + index, at);
      }
      const close = html.indexOf(']]>', at + 7);
      return close < 0 ? -1 : close + 3;
    }
    if (code === DASH) {
      if (at + 1 >= length) return this.literalToEnd(at);
      if (html.charCodeAt(at + 1) !== DASH) return this.skipTo(at + 2, at);
      return this.commentEnd(at);
    }
    return this.skipTo(at + 1, at);
  }

  /**
   * The end of a comment whose opening dashes start at `dashes`: just past the
   * first `-->` or `--!>`, -1 when there is none. Searching for `-->` from the
   * opening dashes makes `<!-->` and `<!--->` complete (empty) comments, as in
   * browsers; `--!>` must follow them (`<!--!>` does not end).
   */
  private commentEnd(dashes: number): number {
    const { html } = this;
    if (this.nextClose !== -1 && this.nextClose < dashes) this.nextClose = html.indexOf('-->', dashes);
    if (this.nextBangClose !== -1 && this.nextBangClose < dashes + 2) this.nextBangClose = html.indexOf('--!>', dashes + 2);
    const close = this.nextClose;
    const bang = this.nextBangClose;
    if (bang >= 0 && (close < 0 || bang < close)) return bang + 4;
    return close < 0 ? -1 : close + 3;
  }

  /**
   * Skips to just past the next `>` at or after `from`. When there is none, the
   * rest of the input from `literalFrom` is text (-1: dropped).
   */
  private skipTo(from: number, literalFrom: number): number {
    const gt = this.html.indexOf('>', from);
    if (gt >= 0) return gt + 1;
    return literalFrom < 0 ? -1 : this.literalToEnd(literalFrom);
  }
}
