/**
 * Step two of reading a feed: turns a parsed RawFeed into candidate Articles,
 * each with the identity keys the dedup stage resolves against the store. Pure:
 * the clock comes in through the context.
 */
import { z } from 'zod';
import { dateMarginsOf, SourceSchema, withoutCredentials } from '../model/index.js';
import type { Article, Candidate, DateMargins, RawFeed, RawItem } from '../model/index.js';
import { buildCredit } from './credit.js';
import { parseDate, type ZoneNames } from './dates.js';
import { CST_GUESS_MARGIN_MS, cstIsAmbiguous, cstIsGuessed, mentionsCst, zoneNamesOf } from './feed-zones.js';
import { cleanAuthors, cleanCategories, cleanSummary, cleanTitle } from './fields.js';
import { aliasKeysFor, articleIdFor, guidFor } from './identity.js';
import { leadImageWith } from './lead-image.js';
import { mediaEnclosureOf } from './media-enclosure.js';
import { readRelativeDate } from './relative-dates.js';
import { sanitizeContentAndText } from './sanitize.js';
import { truncateText } from './text.js';
import { feedBasesOf, itemAddresses, repeatedOriginals, sharedLinks, type FeedBases, type ItemAddresses } from './item-addresses.js';

/**
 * How much of the content's plain text an item needs: only its start is ever
 * used, and never more than the summary's 300 characters (a missing title
 * takes the first ~80, the last-resort identity key the first ~200).
 */
const CONTENT_TEXT_LIMIT = 300;

/** What normalizing one feed needs to know besides the document: whose it is, where it came from, when. */
export const NormalizeContextSchema = z.object({
  source: SourceSchema,
  /** The address the document was actually fetched from (after permanent redirects). */
  feedUrl: z.string(),
  /** The current time; becomes `firstSeen` and caps future publication dates. */
  now: z.date(),
});
export type NormalizeContext = z.infer<typeof NormalizeContextSchema>;

/**
 * How far apart in time the undated items of one document are placed: the
 * first is dated `now`, the next a second earlier, and so on. Feeds list their
 * newest items first, and without this every undated item of a fetch shared one
 * instant and the outputs ordered them by id, which shuffled them. A whole
 * second, not a millisecond, so the order survives formats whose dates have
 * no fraction (RSS pubDate).
 */
const UNDATED_STEP_MS = 1000;

/**
 * Normalizes every item of a parsed feed into a Candidate. Items are kept in
 * document order; a second item with the same primary key as an earlier one
 * (the same article listed twice) is dropped.
 *
 * Relative links resolve against the feed's address without its user info:
 * a private feed's `user:password@` would otherwise be copied into every
 * link, image and credit resolved against it, and published with them.
 */
export function normalizeFeed(raw: RawFeed, fetched: NormalizeContext): Candidate[] {
  const context: NormalizeContext = { ...fetched, feedUrl: withoutCredentials(fetched.feedUrl) };
  const bases = feedBasesOf(raw, context.feedUrl);
  const zones = zoneNamesOf(raw, context.now);
  const cstGuessed = cstIsGuessed(raw, zones);
  const cstAmbiguous = cstIsAmbiguous(raw);
  const addresses: ItemAddresses[] = [];
  for (const item of raw.items) addresses.push(itemAddresses(item, bases, context));
  const shared = sharedLinks(raw.items, addresses, bases.feedLink);
  const sharedOriginals = repeatedOriginals(addresses, bases.feedLink);
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const [position, item] of raw.items.entries()) {
    const own = addresses[position]!;
    const linkIsShared = own.ownUrl !== null && shared.has(own.ownUrl);
    const originalIsShared = own.originalUrl !== null && sharedOriginals.has(own.originalUrl);
    const place = { position, zones, cstGuessed, cstAmbiguous, linkIsShared, originalIsShared };
    const candidate = normalizeItem(item, place, own, bases, context);
    if (seen.has(candidate.article.id)) continue;
    seen.add(candidate.article.id);
    candidates.push(candidate);
  }
  return candidates;
}

/** Where an item stands in its document, what its feed means by zone names, and whether its link is its own. */
interface ItemPlace {
  position: number;
  zones: ZoneNames;
  /** This fetch read `CST` as US time for want of evidence (feed-zones.ts). */
  cstGuessed: boolean;
  /** The feed's `CST` is read by evidence that changes between fetches (feed-zones.ts). */
  cstAmbiguous: boolean;
  /** Its link is one other items share (see sharedLinks): with a guid, the guid names the article. */
  linkIsShared: boolean;
  /** Its original address is one other items share: it names none of them. */
  originalIsShared: boolean;
}

function normalizeItem(item: RawItem, place: ItemPlace, addresses: ItemAddresses, bases: FeedBases, context: NormalizeContext): Candidate {
  const { source, now } = context;
  const guid = item.guid?.trim() || null;
  const { url, contentBase, mediaBase } = addresses;
  // A shared link names no article (see sharedLinks): the item is known by its guid, and without one,
  // when the link is the feed's home page, by its text and date, or every later item linking there
  // would be taken for the first and overwrite it.
  const notOwnLink = place.linkIsShared && (guid !== null || addresses.ownUrl === bases.feedLink);
  const ownUrl = notOwnLink ? null : addresses.ownUrl;
  const earlierOwnUrl = notOwnLink ? null : addresses.earlierOwnUrl;
  const originalUrl = place.originalIsShared ? null : addresses.originalUrl;

  let content = sanitizeContentAndText(item.content ?? '', contentBase, CONTENT_TEXT_LIMIT);
  if (content.html === '') content = sanitizeContentAndText(item.summary ?? '', contentBase, CONTENT_TEXT_LIMIT);
  const { html: contentHtml, text: contentText } = content;
  const summary = cleanSummary(item.summary, contentText);

  const dates = articleDates(item, now, place);
  const title = cleanTitle(item.title, contentText || (summary ?? ''), url);
  const aliasKeys = aliasKeysFor({
    sourceId: source.id,
    ownUrl,
    earlierOwnUrl,
    originalUrl,
    guid,
    text: title !== url ? title : truncateText(contentText, 200),
    // Only a date every fetch reads as the same instant: `3小时前` read half an hour later is
    // another one, it turns into another form as the item ages (`今天 09:05`, then `11月26日`),
    // and a bare `CST` outside a Chinese-language feed reads 14 hours apart by the evidence at hand.
    // An identity keyed on such a date would make the same item a new article again and again; so would
    // a future date capped at the fetch, hence the date as written.
    published: dates.keyable ? dates.asWritten : null,
  });
  const id = articleIdFor(aliasKeys[0] ?? '');

  const article: Article = {
    id,
    guid: guidFor(id),
    sourceId: source.id,
    title,
    url,
    upstreamGuid: guid,
    published: dates.published,
    dateFromSource: dates.fromSource,
    updated: dates.updated,
    firstSeen: now.toISOString(),
    authors: cleanAuthors(item.authors),
    summary,
    contentHtml,
    image: leadImageWith(item, content.image, mediaBase),
    categories: cleanCategories(item.categories),
    credit: buildCredit({ source, feedUrl: context.feedUrl, feedLink: bases.feedLink, originalUrl: url, upstream: item.upstream }),
  };
  // Set only when there is one: an article without stays exactly as articles were stored before the field.
  const enclosure = mediaEnclosureOf(item, mediaBase);
  if (enclosure !== null) article.enclosure = enclosure;
  // Likewise only for a date read roughly: the common article has exact dates, stored as before.
  if (dates.margins !== null) article.dateMargins = dates.margins;
  return { article, aliasKeys };
}

/** One of an item's dates as read, and how roughly. */
interface ItemDate {
  /** Never later than now. */
  date: Date;
  /** The instant as written, a future one included. */
  asWritten: Date;
  /** How far `date` may be from the time meant, in milliseconds; null when read exactly. */
  margin: number | null;
  /** The same text reads as the same instant at every fetch, so it may name the item. */
  keyable: boolean;
}

/**
 * Publication date: the item's published date, else its updated date, else
 * now less {@link UNDATED_STEP_MS} per item before it in the document. Neither
 * date is ever later than now: a future date is a clock or time-zone mistake
 * upstream, and would pin the item to the top of every feed. A date only
 * readable against now (`3小时前`, `11月26日`) is used, with how far it may
 * be off (its margin); so is a `CST` date read as US time for want of
 * evidence, since a later fetch may find the evidence and read it 14 hours
 * earlier.
 */
function articleDates(
  item: RawItem,
  now: Date,
  place: ItemPlace,
): {
  published: string;
  fromSource: boolean;
  keyable: boolean;
  /** The publication date as the source wrote it, before the cap at now (ISO), when it has one. */
  asWritten: string | null;
  updated: string | null;
  /** The margins of the dates read roughly; null when both are exact. */
  margins: DateMargins | null;
} {
  const published = itemDate(item.published, place, now);
  const updated = itemDate(item.updated, place, now);
  const chosen = published ?? updated;
  return {
    published: (chosen?.date ?? new Date(now.getTime() - place.position * UNDATED_STEP_MS)).toISOString(),
    fromSource: chosen !== null,
    keyable: chosen?.keyable ?? false,
    asWritten: chosen ? chosen.asWritten.toISOString() : null,
    updated: updated ? updated.date.toISOString() : null,
    margins: dateMarginsOf(chosen?.margin, updated?.margin),
  };
}

/** A date as written, else as a relative or partial date read against now; never later than now. */
function itemDate(value: string | null, { zones, cstGuessed, cstAmbiguous }: ItemPlace, now: Date): ItemDate | null {
  const exact = parseDate(value, zones);
  if (exact) {
    const cst = value !== null && mentionsCst(value);
    return { date: notAfter(exact, now), asWritten: exact, margin: cst && cstGuessed ? CST_GUESS_MARGIN_MS : null, keyable: !(cst && cstAmbiguous) };
  }
  const relative = readRelativeDate(value, now);
  if (!relative) return null;
  // Read ahead of the fetch (`今天 23:00` at 20:00), it is capped at now and off by that much more.
  const ahead = Math.max(0, relative.date.getTime() - now.getTime());
  return { date: notAfter(relative.date, now), asWritten: relative.date, margin: relative.margin + ahead, keyable: false };
}

function notAfter(date: Date, limit: Date): Date {
  return date.getTime() > limit.getTime() ? limit : date;
}
