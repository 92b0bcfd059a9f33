/**
 * The served site: the publish job's snapshot and renderers behind the output
 * cache, behind the app. `byline run` and the tests build the very same site
 * from a config and a store. `byline run` has each revision read and
 * rendered on the site's render thread (a worker with its own store
 * connection), so a rebuild after a cycle does not hold up requests; close
 * the site to stop it. Either way, an archive page past the snapshot's page
 * count is answered 404 on the spot, with no render and nothing cached.
 */
import type { Config } from '../config/index.js';
import type { ArchiveIndex } from '../jobs/archive.js';
import { createArchiveIndex } from '../jobs/archive.js';
import { sourceHealth } from '../jobs/health.js';
import type { ImageLengths } from '../jobs/image-lengths.js';
import { isPublished, loadSnapshot, outputsRevision, renderPath, type PublishSnapshot } from '../jobs/publish.js';
import { urlOf } from '../jobs/publish-meta.js';
import type { Store } from '../store/index.js';
import { createApp, type App, type ErrorContext } from './app.js';
import { createOutputCache, type OutputCache, type OutputCacheStats } from './output-cache.js';
import { createRenderThread, type RenderSnapshot, type RenderThreadOptions, type RenderThreadStats } from './render-thread.js';

/** Options of {@link createSite}. */
export interface SiteOptions {
  config: Config;
  store: Store;
  /** Lengths learned for lead images (their version is part of the revision). */
  imageLengths?: ImageLengths | null;
  /** Remembers firstSeen across revisions (rendering on the event loop; the render thread keeps its own). */
  archiveIndex?: ArchiveIndex;
  now?: () => Date;
  /** Whether a cycle is running, for /healthz. */
  cycleRunning?: () => boolean;
  checkIntervalMs?: number;
  /** A request failed, or a background rebuild of an output did (reported as a GET of its path). */
  onError?: (error: unknown, request: ErrorContext) => void;
  /**
   * When given, each revision's snapshot is read and its paths rendered on a
   * worker thread with its own store connection (what `byline run` does);
   * otherwise on the event loop, as `byline build` does.
   */
  renderThread?: RenderThreadOptions;
}

/** The app and the cache it serves from (invalidate it after a cycle). */
export interface Site {
  app: App;
  outputs: OutputCache;
  /**
   * Stops the render thread, closing its store connection (after
   * `outputs.idle()`, for a clean stop: a render still queued is abandoned,
   * its path keeps its previous body). Resolves at once without one.
   */
  close(): Promise<void>;
  stats(): SiteStats;
}

/** What the site holds and has done, for tests and logs. */
export interface SiteStats {
  outputs: OutputCacheStats;
  /** `null` when rendering on the event loop. */
  renderThread: RenderThreadStats | null;
}

/** Wires config and store into a servable app. */
export function createSite(options: SiteOptions): Site {
  const { config, store } = options;
  const lengths = options.imageLengths ?? null;
  const archiveIndex = options.archiveIndex ?? createArchiveIndex();
  const sourceIds = config.sources.map((source) => source.id);
  const clock = options.now ?? (() => new Date());
  const common = {
    revision: async () => `${outputsRevision(config, await store.getStates(sourceIds))}#${lengths?.version ?? 0}`,
    onError: (error: unknown, path: string) => options.onError?.(error, { method: 'GET', url: `/${path}` }),
    ...(options.checkIntervalMs !== undefined ? { checkIntervalMs: options.checkIntervalMs } : {}),
  };
  const thread = options.renderThread ? createRenderThread(config, lengths, options.renderThread) : null;
  const outputs = thread
    ? createOutputCache<RenderSnapshot>({
        ...common,
        snapshot: () => thread.snapshot(clock()),
        render: (snapshot, path) => thread.render(snapshot, path),
        publishes: (snapshot, path) => isPublished(path, snapshot.archivePages),
      })
    : createOutputCache<PublishSnapshot>({
        ...common,
        snapshot: () => loadSnapshot(config, store, { imageLengths: lengths, archiveIndex, now: clock }),
        render: renderPath,
        publishes: (snapshot, path) => isPublished(path, snapshot.archive.pageCount),
      });
  const hubUrl = config.settings.output.hubUrl;
  const app = createApp({
    outputs,
    health: () => sourceHealth(config, store),
    // A read of one source's state: the store's cheapest question that still reaches its backend.
    probe: () => store.getState(sourceIds[0] ?? 'healthz'),
    describe: () => ({
      store: store.backend,
      sources: config.sources.filter((source) => source.enabled).length,
      cycleRunning: options.cycleRunning?.() ?? false,
    }),
    websub: hubUrl ? { hubUrl, selfUrl: (path) => urlOf(config, path) } : null,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return {
    app,
    outputs,
    close: async () => thread?.close(),
    stats: () => ({ outputs: outputs.stats(), renderThread: thread?.stats() ?? null }),
  };
}
