/** Server stage: the HTTP app, its output cache, and the node:http adapter. */
export * from './app.js';
export * from './output-cache.js';
export * from './listen.js';
