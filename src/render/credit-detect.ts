/**
 * Finds credit a publisher already wrote into an article's content ("Source:
 * …", "Original: …", "Please credit … when republishing", "来源：", "原文链接",
 * "转载请注明", "License: …"), so the footer can leave out the lines that would
 * repeat it. Pure and conservative: a mention only counts when it names the
 * same source, link, credit line or licence the footer would print (see
 * {@link carriedCredit}).
 *
 * The content is byline's own sanitized HTML, so a small block splitter is
 * enough here; it is not a general HTML parser.
 */
import { linksUnder, sitePage, spellsHost, spellsPage, spellsUrl, urlKey } from './credit-address.js';
import { isLicenseLine, LICENSE_HINT } from './credit-license.js';
import { mayHaveCreditMarker } from './credit-prescan.js';

/** What a mention in the content credits; `license` is a licence line of the publisher's (see credit-license.ts). */
export const CREDIT_MENTION_KINDS = ['source', 'original', 'republish', 'license'] as const;
export type CreditMentionKind = (typeof CREDIT_MENTION_KINDS)[number];

/** One block of the content (paragraph, list item, line) that carries a credit mention. */
export interface CreditMention {
  kinds: CreditMentionKind[];
  /** The block's visible text, entities decoded, whitespace collapsed. */
  text: string;
  /** Link targets inside the block. */
  urls: string[];
}

const MARKERS: ReadonlyArray<readonly [CreditMentionKind, RegExp]> = [
  ['source', /\b(?:sources?|image credit|credits?|originally published (?:on|at|by|in)|via)\s*[:：]/i],
  ['source', /(?:来源|來源|出处|出處|稿源)\s*[:：]|转自|轉自|转载自|轉載自|原载|原載/],
  ['original', /\boriginal(?: (?:article|link|post|story|url))?\s*[:：]|\bread (?:the )?(?:original|full) (?:article|story|post)\b|\boriginally published (?:at|on)\b/i],
  ['original', /原文(?:链接|連結|鏈接|地址|網址|网址)|(?:阅读|閱讀|查看)原文/],
  ['republish', /\bplease (?:credit|attribute|cite)\b|\bcredit\b[^.。]{0,80}\bwhen (?:republishing|reposting|sharing|reprinting)\b|\b(?:republish|reprint|repost)(?:ed|ing)? with (?:permission|credit)\b/i],
  ['republish', /转载请?(?:注明|註明|保留|标明|標明)|轉載請?(?:註明|注明|保留|標明)|转载须注明|轉載須註明|如需转载|如需轉載/],
];

const BLOCK_BOUNDARY = /<\/?(?:p|div|li|ul|ol|br|hr|h[1-6]|blockquote|section|article|aside|header|footer|figure|figcaption|table|thead|tbody|tr|td|th|pre|dl|dt|dd)\b[^>]*>/gi;
const HREF = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));/gi, (whole, dec?: string, hex?: string, name?: string) => {
    if (dec || hex) {
      const code = dec ? Number(dec) : Number.parseInt(hex ?? '', 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[(name ?? '').toLowerCase()] ?? whole;
  });
}

/** Each block's visible text and link targets, in document order; blank blocks are skipped. */
export function contentBlocks(html: string): Array<{ text: string; urls: string[] }> {
  const blocks: Array<{ text: string; urls: string[] }> = [];
  for (const chunk of html.split(BLOCK_BOUNDARY)) {
    const urls = [...chunk.matchAll(HREF)].map((match) => decodeEntities(match[1] ?? match[2] ?? '').trim()).filter((url) => url !== '');
    // A tag reads as a space, as in textMayMentionCredit and credit-prescan.ts, so all three agree on words.
    for (const line of decodeEntities(chunk.replace(/<[^>]*>/g, ' ')).split(/\n/)) {
      const text = line.replace(/\s+/g, ' ').trim();
      // Link targets belong to the block; a block split over lines keeps them on each line.
      if (text !== '') blocks.push({ text, urls });
    }
  }
  return blocks;
}

/**
 * Whether any marker occurs anywhere in the content's text. Most articles carry
 * no credit line at all, and one pass over the whole text is far cheaper than
 * splitting every article into blocks, which matters when rendering thousands.
 * Exported for the tests that check credit-prescan.ts never says no where
 * this says yes.
 */
export function textMayMentionCredit(html: string): boolean {
  // Whitespace folded as contentBlocks folds it: "the <a>original</a> article" is "the original article" there.
  const text = decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
  return LICENSE_HINT.test(text) || MARKERS.some(([, pattern]) => pattern.test(text));
}

function kindsOf(text: string): CreditMentionKind[] {
  const kinds = [...new Set(MARKERS.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind))];
  if (isLicenseLine(text)) kinds.push('license');
  return kinds;
}

/** Every block of `html` that reads as a credit mention, with the kinds it carries. */
export function findCreditMentions(html: string): CreditMention[] {
  const mentions: CreditMention[] = [];
  // The markup prescan rules out nearly every article before its text is built.
  if (!mayHaveCreditMarker(html) || !textMayMentionCredit(html)) return mentions;
  for (const block of contentBlocks(html)) {
    const kinds = kindsOf(block.text);
    if (kinds.length > 0) mentions.push({ kinds, text: block.text, urls: block.urls });
  }
  return mentions;
}

/** What the footer would print about an article, as the detector compares it. */
export interface FooterCredit {
  name: string | null;
  /** Host of the source's site, e.g. `www.gogoai.xin`. */
  site: string | null;
  /**
   * The source's site as a URL. When it is a page under a host rather than the
   * host's home (`https://medium.com/@jane`), the host is not the source's
   * own: only that page, or one below it, names the source.
   */
  siteUrl?: string | null;
  link: string | null;
  creditLine: string | null;
  license: string | null;
  /** Upstream publisher names. */
  via: string[];
}

/** Footer facts the content already states; the footer leaves out lines made only of these. */
export interface CarriedCredit {
  name: boolean;
  link: boolean;
  creditLine: boolean;
  license: boolean;
  via: boolean;
}

/** Letters and digits only, lower case: "转载请注明来源。" and "转载请注明来源：X" compare by their words. */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** Scripts written without spaces between words: a name there runs straight into the next word. */
const UNSPACED = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\p{sc=Thai}]/u;

/** A letter or digit of a script that separates its words, where a match must not start or end mid-word. */
function isWordChar(char: string | undefined): boolean {
  return char !== undefined && LETTER_OR_DIGIT.test(char) && !UNSPACED.test(char);
}

/**
 * Whether `text` names `phrase` as words of its own: the phrase's letters and
 * digits in order, anything else between them ("GogoAI News" is also
 * "gogoai-news"), and no word running on at either end, so "FT" is not found
 * in "FTC" nor "MIT" in "Smith". In Chinese or Japanese text words are not
 * spaced, and a name there may touch the next word ("来源：机器之心公众号").
 */
function namesPhrase(text: string, phrase: string): boolean {
  const chars = [...squash(phrase)];
  if (chars.length === 0) return false;
  const between = '[^\\p{L}\\p{N}]*';
  // Letters and digits need no escaping in a pattern.
  const pattern = new RegExp(chars.join(between), 'gu');
  const lower = text.toLowerCase();
  for (const match of lower.matchAll(pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    const runsOnBefore = isWordChar(lower[start - 1]) && isWordChar(match[0][0]);
    const runsOnAfter = isWordChar(lower[end]) && isWordChar(match[0][match[0].length - 1]);
    if (!runsOnBefore && !runsOnAfter) return true;
  }
  return false;
}

/** Where the source lives, as a mention would name it: its page on a shared host, else its host. */
interface SourcePlace {
  page: string | null;
  host: string;
}

function sourcePlace(footer: FooterCredit): SourcePlace {
  return { page: sitePage(footer.siteUrl), host: footer.site ? (urlKey(footer.site).split('/')[0] ?? '') : '' };
}

function mentionsName(mention: CreditMention, name: string | null, place: SourcePlace): boolean {
  if (name && namesPhrase(mention.text, name)) return true;
  // Many publishers share a host such as medium.com or github.com: a mention of another page there
  // credits someone else, and taking it for the source's would drop the source's credit.
  const { page, host } = place;
  if (page !== null) return spellsPage(mention.text, page) || mention.urls.some((url) => linksUnder(url, page));
  if (host === '') return false;
  return spellsHost(mention.text, host) || mention.urls.some((url) => urlKey(url).split('/')[0] === host);
}

function mentionsLink(mention: CreditMention, link: string | null): boolean {
  if (!link) return false;
  const key = urlKey(link);
  return key !== '' && (mention.urls.some((url) => urlKey(url) === key) || spellsUrl(mention.text, key));
}

/**
 * Decides which footer facts `html` already carries: the source when a
 * "Source:"-style mention names it (or its site); the link when a mention
 * links or spells the same URL; the credit line when a republishing request
 * repeats it or names the source; the license when a licence line of the
 * publisher's, or a republishing request, names it (a sentence that merely
 * names the licence is not a licence line); the via chain when a source
 * mention names every upstream publisher.
 */
export function carriedCredit(html: string, footer: FooterCredit): CarriedCredit {
  const mentions = findCreditMentions(html);
  // The common case, worked out without the comparisons below.
  if (mentions.length === 0) return { name: false, link: false, creditLine: false, license: false, via: false };
  const license = footer.license;
  const of = (kind: CreditMentionKind): CreditMention[] => mentions.filter((m) => m.kinds.includes(kind));
  const place = sourcePlace(footer);
  const creditLine = footer.creditLine ? squash(footer.creditLine) : '';
  return {
    name: of('source').some((m) => mentionsName(m, footer.name, place)),
    link: [...of('original'), ...of('source')].some((m) => mentionsLink(m, footer.link)),
    creditLine:
      creditLine !== '' &&
      // The content repeats the footer's request, or makes its own naming the source. A bare "Please
      // credit." does not stand in for a request that says whom to credit.
      of('republish').some((m) => squash(m.text).includes(creditLine) || mentionsName(m, footer.name, place)),
    // A republishing request is about this article too ("Republished under CC BY 4.0"); an image
    // credit or another source's line with a licence in it is not.
    license: license !== null && [...of('license'), ...of('republish')].some((m) => namesPhrase(m.text, license)),
    via: footer.via.length > 0 && footer.via.every((name) => of('source').some((m) => namesPhrase(m.text, name))),
  };
}
