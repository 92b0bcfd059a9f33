/** Pipeline stage: dedup, merge and retention, all pure. */
export * from './plan.js';
export { sortKeyOf } from '../model/index.js';
