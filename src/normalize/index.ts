/**
 * The normalize stage: pure functions that turn a parsed RawFeed into
 * credited, sanitized Article candidates. Other stages import from here only.
 */
export { normalizeFeed, NormalizeContextSchema } from './normalize-feed.js';
export type { NormalizeContext } from './normalize-feed.js';
export { feedBasesOf, itemAddresses } from './item-addresses.js';
export type { FeedBases, ItemAddresses } from './item-addresses.js';
export { parseDate } from './dates.js';
export { canonicalizeUrl, earlierCanonicalUrl, resolveUrl, isTrackingParam } from './urls.js';
export { sanitizeContent, sanitizeContentAndText, sanitizeMarkup, SANITIZER_POLICY } from './sanitize.js';
export type { SanitizedContent } from './sanitize.js';
export { htmlToText, truncateText } from './text.js';
export { articleIdFor, guidFor, aliasKeysFor, urlKey, guidKey, contentKey } from './identity.js';
export { buildCredit } from './credit.js';
export { isRedirectorKey, unwrapRedirector } from './redirectors.js';
export type { CreditInput } from './credit.js';
export { pickLeadImage } from './lead-image.js';
export { imageSource, largestSrcsetCandidate, isTrackingPixel } from './images.js';
export { cleanTitle, cleanSummary, cleanAuthors, cleanCategories } from './fields.js';
