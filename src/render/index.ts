/**
 * The render stage: pure functions from Articles (already selected and
 * ordered, newest first) to the published strings. Every item in every format
 * carries its credit. No I/O, no config reads: the caller passes FeedMeta.
 */
export {
  FeedMetaSchema,
  FormatUrlsSchema,
  PagingSchema,
  SourceRowSchema,
  type FeedMeta,
  type FormatUrls,
  type Paging,
  type SourceRow,
} from './meta.js';
export { DEFAULT_FOOTER_TEMPLATE, VIA_LINE_TEMPLATE, contentWithFooter, renderFooter, type FooterOptions } from './footer.js';
export {
  CREDIT_MENTION_KINDS,
  carriedCredit,
  findCreditMentions,
  type CarriedCredit,
  type CreditMention,
  type CreditMentionKind,
  type FooterCredit,
} from './credit-detect.js';
export { isKnownLanguageTag } from '../model/index.js';
export { renderRss, type RssProfile } from './rss.js';
export { renderAtom } from './atom.js';
export { renderJsonFeed } from './json-feed.js';
export { renderIndexHtml } from './index-html.js';
export { renderSourcesHtml } from './sources-html.js';
export { renderAlertsAtom, AlertsMetaSchema, type AlertsMeta, type AlertsMetaInput } from './alerts-atom.js';
export { renderOpml, type OpmlSource } from './opml.js';
export { FEED_XSL } from './feed-xsl.js';
export { renderArchiveIndexHtml, ArchivePageRowSchema, type ArchivePageRow } from './archive-html.js';
