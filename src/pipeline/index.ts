/** Pipeline stage: dedup, merge and retention, all pure. */
export * from './moved-keys.js';
export * from './plan.js';
export { sortKeyOf } from '../model/index.js';
export * from './source-aliases.js';
export * from './takeover.js';
