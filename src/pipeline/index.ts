/** Pipeline stage: dedup, merge and retention, all pure. */
export * from './plan.js';
