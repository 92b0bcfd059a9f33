/** Scheduler stage: when to check each source, and the cron wiring that does it. */
export * from './next-check.js';
export * from './next-tick.js';
export * from './scheduler.js';
