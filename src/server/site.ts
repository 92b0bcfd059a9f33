/**
 * The served site: the publish job's snapshot and renderers behind the output
 * cache, behind the app. `byline run` and the tests build the very same site
 * from a config and a store.
 */
import type { Config } from '../config/index.js';
import type { ArchiveIndex } from '../jobs/archive.js';
import { createArchiveIndex } from '../jobs/archive.js';
import { sourceHealth } from '../jobs/health.js';
import type { ImageLengths } from '../jobs/image-lengths.js';
import { loadSnapshot, outputsRevision, renderPath, type PublishSnapshot } from '../jobs/publish.js';
import { urlOf } from '../jobs/publish-meta.js';
import type { Store } from '../store/index.js';
import { createApp, type App, type ErrorContext } from './app.js';
import { createOutputCache, type OutputCache } from './output-cache.js';

/** Options of {@link createSite}. */
export interface SiteOptions {
  config: Config;
  store: Store;
  /** Lengths learned for lead images (their version is part of the revision). */
  imageLengths?: ImageLengths | null;
  archiveIndex?: ArchiveIndex;
  now?: () => Date;
  /** Whether a cycle is running, for /healthz. */
  cycleRunning?: () => boolean;
  checkIntervalMs?: number;
  /** A request failed, or a background rebuild of an output did (reported as a GET of its path). */
  onError?: (error: unknown, request: ErrorContext) => void;
}

/** The app and the cache it serves from (invalidate it after a cycle). */
export interface Site {
  app: App;
  outputs: OutputCache;
}

/** Wires config and store into a servable app. */
export function createSite(options: SiteOptions): Site {
  const { config, store } = options;
  const lengths = options.imageLengths ?? null;
  const archiveIndex = options.archiveIndex ?? createArchiveIndex();
  const sourceIds = config.sources.map((source) => source.id);
  const outputs = createOutputCache<PublishSnapshot>({
    revision: async () => `${outputsRevision(config, await store.getStates(sourceIds))}#${lengths?.version ?? 0}`,
    snapshot: () => loadSnapshot(config, store, { imageLengths: lengths, archiveIndex, ...(options.now ? { now: options.now } : {}) }),
    render: renderPath,
    onError: (error, path) => options.onError?.(error, { method: 'GET', url: `/${path}` }),
    ...(options.checkIntervalMs !== undefined ? { checkIntervalMs: options.checkIntervalMs } : {}),
  });
  const hubUrl = config.settings.output.hubUrl;
  const app = createApp({
    outputs,
    health: () => sourceHealth(config, store),
    describe: () => ({
      store: store.backend,
      sources: config.sources.filter((source) => source.enabled).length,
      cycleRunning: options.cycleRunning?.() ?? false,
    }),
    websub: hubUrl ? { hubUrl, selfUrl: (path) => urlOf(config, path) } : null,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return { app, outputs };
}
