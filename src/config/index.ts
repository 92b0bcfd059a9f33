/** Config stage: the schema of the feeds folder and its one loader. */
export * from './schema.js';
export * from './load.js';
export * from './opml-import.js';
