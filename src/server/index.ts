/** Server stage: the HTTP app, its routes and output cache, the render thread, the node:http adapter, and the site wiring. */
export * from './app.js';
export * from './output-cache.js';
export * from './listen.js';
export * from './site.js';
export { createRenderThread, RenderThreadError, type RenderSnapshot, type RenderThread, type RenderThreadOptions, type RenderThreadStats } from './render-thread.js';
