/**
 * A document's outline as the feed mappers read it, built on first use. The
 * scan behind it visits every tag, and most feeds never need it: bases are
 * all null when no xml:base is written, and raw markup is only read for
 * fields holding child elements (inline XHTML, unescaped HTML).
 */
import type { RawSource } from './xml-node.js';
import { outlineXml, type ContainerOutline, type XmlOutline, type XmlProlog } from './xml-outline.js';

/** The outline of one document (the text rss-parser read), computed at most once. */
export class DocumentOutline {
  private built: XmlOutline | null;
  /** False when no xml:base can be in the document (no `:base` anywhere): every base is null. */
  readonly bases: boolean;

  constructor(
    readonly xml: string,
    readonly prolog: XmlProlog,
    built: XmlOutline | null = null,
  ) {
    this.built = built;
    this.bases = xml.includes(':base');
  }

  /** The full outline, scanning the document the first time it is asked for. */
  full(): XmlOutline {
    this.built ??= outlineXml(this.xml, this.prolog);
    return this.built;
  }

  /** The channel's (Atom: feed element's) markup and bases. */
  feedSource(): RawSource {
    return new ContainerSource(this, FEED);
  }

  /** The `index`-th item's (entry's) markup and bases; items match rss-parser's by index. */
  itemSource(index: number): RawSource {
    return new ContainerSource(this, index);
  }
}

/** Stands for the feed-level container instead of an item index. */
const FEED = -1;

/** One container of a document: a small object per item, the outline shared (and maybe never built). */
class ContainerSource implements RawSource {
  readonly xml: string;
  readonly bases: boolean;

  constructor(
    private readonly document: DocumentOutline,
    private readonly index: number,
  ) {
    this.xml = document.xml;
    this.bases = document.bases;
  }

  outline(): ContainerOutline | null {
    const full = this.document.full();
    return this.index === FEED ? full.feed : (full.items[this.index] ?? null);
  }
}
