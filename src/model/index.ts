/** The shared model: every stage imports its types from here. */
export * from './source.js';
export * from './credit.js';
export * from './article.js';
export * from './raw-feed.js';
export * from './source-state.js';
export * from './candidate.js';
export * from './health.js';
export * from './ordering.js';
export * from './alert.js';
export * from './language.js';
export * from './archive.js';
export * from './opml-feed.js';
export * from './source-aliases.js';
