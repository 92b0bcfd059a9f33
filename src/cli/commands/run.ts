/**
 * `byline run`: serve from the store at once, run a cycle in the background at
 * start-up and then on the cron schedule. SIGTERM/SIGINT abort in-flight
 * fetches, let the current store write land, and exit within seconds.
 */
import { setMaxListeners } from 'node:events';
import { enabledSources } from '../../config/index.js';
import { afterCycle } from '../../jobs/after-cycle.js';
import { createArchiveIndex } from '../../jobs/archive.js';
import { createImageLengths } from '../../jobs/image-lengths.js';
import { runCycle } from '../../jobs/run-cycle.js';
import { createScheduler, groupBySchedule } from '../../scheduler/index.js';
import { createSite, listen } from '../../server/index.js';
import { openContext, type GlobalOptions } from '../context.js';
import { logLine, outcomeLine } from '../log.js';

export interface RunOptions extends GlobalOptions {
  port: number;
  host: string;
  /** Do not fetch at start-up (tests, read-only replicas). */
  initialCycle?: boolean;
}

export async function runCommand(options: RunOptions): Promise<number> {
  const context = await openContext(options);
  const { config, store } = context;
  const sources = enabledSources(config);
  const byId = new Map(sources.map((source) => [source.id, source]));
  const abort = new AbortController();
  // Every in-flight fetch listens on the one shutdown signal.
  setMaxListeners(config.settings.fetch.concurrency * 4 + 16, abort.signal);

  const imageLengths = createImageLengths({
    allowPrivateAddresses: config.settings.fetch.allowPrivateAddresses,
    ...(config.settings.fetch.userAgent !== undefined ? { userAgent: config.settings.fetch.userAgent } : {}),
  });
  // Kept across cycles: each one then reads only the articles added since (see archive.ts).
  const archiveIndex = createArchiveIndex();
  let cycleRunning = (): boolean => false;
  const { app, outputs, close: closeSite } = createSite({
    config,
    store,
    imageLengths,
    cycleRunning: () => cycleRunning(),
    // Rebuilds read the store and render on a worker with its own connection, off the event loop.
    renderThread: { store: context.storeOptions },
    onError: (error, request) => console.error(logLine({ event: 'http_error', url: request.url, error: String(error) })),
  });

  const scheduler = createScheduler({
    groups: groupBySchedule(sources, config.settings.schedule),
    runCycle: async (ids) => {
      const due = ids.map((id) => byId.get(id)).filter((source) => source !== undefined);
      const report = await runCycle({
        sources: due,
        deps: context.deps,
        concurrency: config.settings.fetch.concurrency,
        signal: abort.signal,
        onOutcome: (_source, outcome) => {
          console.log(outcomeLine(outcome));
          outputs.invalidate();
        },
      });
      console.log(logLine({ event: 'cycle', sources: report.outcomes.length, skipped: report.skipped.length }));
      // Enclosure lengths, the WebSub ping and the archive pages; a failure here never fails the cycle.
      const published = await afterCycle(report, config, store, { imageLengths, archiveIndex }, abort.signal).catch((error: unknown) => {
        console.error(logLine({ event: 'publish_error', error: String(error) }));
        return null;
      });
      outputs.invalidate();
      if (published && published.archivePagesFixed > 0) console.log(logLine({ event: 'archive_pages_fixed', pages: published.archivePagesFixed }));
      if (published?.archiveError) console.error(logLine({ event: 'archive_error', error: published.archiveError }));
      if (published?.archiveReplaced) console.error(logLine({ event: 'archive_layout_replaced', reason: published.archiveReplaced }));
      for (const ping of published?.pings ?? []) {
        console.log(logLine({ event: 'websub_ping', feed: ping.feedUrl, ok: String(ping.ok), status: ping.status, ...(ping.error ? { error: ping.error } : {}) }));
      }
    },
    onError: (error) => console.error(logLine({ event: 'cycle_error', error: String(error) })),
  });

  cycleRunning = () => scheduler.running;
  const { server, url } = await listen(app, options.port, options.host);
  console.log(logLine({ event: 'listening', url, sources: sources.length, store: store.backend }));

  scheduler.start();
  if (options.initialCycle !== false) void scheduler.trigger();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      console.log(logLine({ event: 'stopping', signal }));
      abort.abort();
      // A hard deadline: whatever is still pending after it is abandoned; the store's writes are atomic.
      const deadline = setTimeout(() => resolve(0), 5000);
      deadline.unref();
      void (async () => {
        server.close();
        server.closeAllConnections();
        await scheduler.stop();
        // A rebuild still reading the store would fail against a closed one and log a spurious error.
        await outputs.idle();
        await closeSite();
        await context.close();
        clearTimeout(deadline);
        resolve(0);
      })();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
