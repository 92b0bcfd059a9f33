/**
 * The render stage: pure functions from Articles (already selected and
 * ordered, newest first) to the published strings. Every item in every format
 * carries its credit. No I/O, no config reads: the caller passes FeedMeta.
 */
export { FeedMetaSchema, SourceRowSchema, type FeedMeta, type SourceRow } from './meta.js';
export { DEFAULT_FOOTER_TEMPLATE, VIA_LINE_TEMPLATE, renderFooter } from './footer.js';
export { renderRss } from './rss.js';
export { renderAtom } from './atom.js';
export { renderJsonFeed } from './json-feed.js';
export { renderIndexHtml } from './index-html.js';
export { renderSourcesHtml } from './sources-html.js';
