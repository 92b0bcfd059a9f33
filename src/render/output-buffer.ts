/**
 * Where a feed renderer puts its output: string parts, joined once at the
 * end, so no long string is built up by concatenation.
 *
 * A feed item is written as dozens of small strings (tags, attribute names,
 * short values) around one long one (the article body). Joining costs per
 * part, and far more for parts spread over the heap than for ones just
 * written, so each run of small parts is joined into one string as soon as it
 * ends (at a long value or between items), while it is still in the cache;
 * long values stay parts of their own and are copied only by the final join.
 *
 * Escaping an article body makes a new copy of it (Atom escapes 5 KB of HTML
 * per entry, JSON Feed per item). Kept as parts until the whole feed is done,
 * those copies would be moved from one heap space to the next by every
 * young-generation collection. So the writer reports the copies it makes, and
 * between items, once a megabyte or so of them has piled up, the pending parts
 * are joined into one chunk: the copies then die young, and a chunk is big
 * enough to be allocated where that collector does not move it. Bodies written
 * unchanged (RSS CDATA) are not copies and never force a chunk, since joining
 * them early would only copy them twice.
 */

/** Values at least this long are kept as parts of their own rather than joined into a run. */
const LONG_VALUE_CHARS = 512;

/** Characters of copied text after which pending parts are joined into a chunk. */
const CHUNK_AFTER_COPIED_CHARS = 1 << 20;

/** The output of one render; see the module comment. */
export class OutputBuffer {
  /** Small parts written since the last long value or item boundary. */
  readonly #run: string[] = [];
  #parts: string[] = [];
  readonly #chunks: string[] = [];
  #copied = 0;

  /** Where to push small strings (markup, short values): an array that is reused. */
  get parts(): string[] {
    return this.#run;
  }

  /** Pushes a value that escaping produced from `original`, noting whether it is a new copy. */
  pushEscaped(escaped: string, original: string): void {
    if (escaped !== original) this.#copied += escaped.length;
    if (escaped.length < LONG_VALUE_CHARS) {
      this.#run.push(escaped);
      return;
    }
    this.#endRun();
    this.#parts.push(escaped);
  }

  /** Pushes a long string that was made for the output (a new copy, such as an item's JSON). */
  pushCopy(text: string): void {
    this.#copied += text.length;
    this.#endRun();
    this.#parts.push(text);
  }

  #endRun(): void {
    const run = this.#run;
    if (run.length === 0) return;
    this.#parts.push(run.length === 1 ? (run[0] ?? '') : run.join(''));
    run.length = 0;
  }

  /** Called between items: ends the run, and joins the pending parts into a chunk when enough copies have piled up. */
  settle(): void {
    this.#endRun();
    if (this.#copied >= CHUNK_AFTER_COPIED_CHARS) this.#chunk();
  }

  #chunk(): void {
    this.#endRun();
    if (this.#parts.length > 0) this.#chunks.push(this.#parts.join(''));
    this.#parts = [];
    this.#copied = 0;
  }

  /** Everything pushed so far as one string, leaving the buffer empty. */
  take(): string {
    this.#chunk();
    return this.#chunks.splice(0).join('');
  }

  /** The whole output: `head`, then everything pushed, then `tail`. */
  finish(head: readonly string[] = [], tail: readonly string[] = []): string {
    this.#endRun();
    return head.concat(this.#chunks, this.#parts, tail).join('');
  }
}
