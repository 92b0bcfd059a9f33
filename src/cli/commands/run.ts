/**
 * `byline run`: serve from the store at once, run a cycle in the background at
 * start-up and then on the cron schedule. Each cycle holds the store's cycle
 * lock; a tick that finds another process holding it is skipped with a log
 * line, and the next tick tries again. SIGTERM/SIGINT abort in-flight
 * fetches, let the current store write land, release the lock, and exit
 * within seconds.
 */
import { setMaxListeners } from 'node:events';
import { enabledSources } from '../../config/index.js';
import { CycleLockedError } from '../../errors.js';
import { afterCycle } from '../../jobs/after-cycle.js';
import { createArchiveIndex } from '../../jobs/archive.js';
import { withCycleLock, type HeldCycleLock } from '../../jobs/cycle-lock.js';
import { createImageLengths } from '../../jobs/image-lengths.js';
import { runCycle } from '../../jobs/run-cycle.js';
import { createScheduler, groupBySchedule } from '../../scheduler/index.js';
import { createSite, listen } from '../../server/index.js';
import { openContext, type GlobalOptions } from '../context.js';
import { logLine, outcomeLine, takeoverLines } from '../log.js';

export interface RunOptions extends GlobalOptions {
  port: number;
  host: string;
  /** Do not fetch at start-up (tests, read-only replicas). */
  initialCycle?: boolean;
}

export async function runCommand(options: RunOptions): Promise<number> {
  const context = await openContext(options, { create: true });
  const { config, store } = context;
  const sources = enabledSources(config);
  const byId = new Map(sources.map((source) => [source.id, source]));
  const abort = new AbortController();
  // Every in-flight fetch listens on the one shutdown signal.
  const listeners = config.settings.fetch.concurrency * 4 + 16;
  setMaxListeners(listeners, abort.signal);
  /** The lock of the cycle under way, for a shutdown that cannot wait for the cycle to end. */
  let held: HeldCycleLock | null = null;

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

  /** One cycle over the due sources among `ids`, then what follows it (afterCycle); stops early on shutdown or when the lock is lost. */
  const cycle = async (ids: readonly string[], scheduledAt: Date | null, lock: HeldCycleLock): Promise<void> => {
    const signal = AbortSignal.any([abort.signal, lock.lost]);
    setMaxListeners(listeners, signal);
    const due = ids.map((id) => byId.get(id)).filter((source) => source !== undefined);
    const report = await runCycle({
      sources: due,
      deps: { ...context.deps, lock },
      concurrency: config.settings.fetch.concurrency,
      scheduledAt,
      signal,
      holderIds: sources.map((source) => source.id),
      onOutcome: (_source, outcome) => {
        console.log(outcomeLine(outcome));
        outputs.invalidate();
      },
    });
    for (const line of takeoverLines(report.takeovers)) console.log(line);
    console.log(logLine({ event: 'cycle', sources: report.outcomes.length, skipped: report.skipped.length }));
    // Enclosure lengths, the WebSub ping and the archive pages; a failure here never fails the cycle.
    const published = await afterCycle(report, config, store, { imageLengths, archiveIndex, lock }, signal).catch((error: unknown) => {
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
  };

  const scheduler = createScheduler({
    groups: groupBySchedule(sources, config.settings.schedule),
    runCycle: async (ids, scheduledAt) => {
      try {
        await withCycleLock(
          store,
          async (lock) => {
            held = lock;
            try {
              await cycle(ids, scheduledAt, lock);
            } finally {
              held = null;
            }
          },
          { onWarning: (message) => console.error(logLine({ event: 'cycle_lock', warning: message })) },
        );
      } catch (error) {
        if (!(error instanceof CycleLockedError)) throw error;
        const { pid, hostname, startedAt, expiresAt } = error.holder;
        console.log(logLine({ event: 'cycle_skipped', reason: 'locked', holder_pid: pid, holder_host: hostname, since: startedAt, lapses: expiresAt }));
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
      // A cycle still running gives up its lock first (waiting at most a second), so the next fetch need
      // not wait minutes for it to lapse. A commit of ours still queued then never lands: it is fenced
      // with the lock, and the store refuses it once the lock is released.
      const deadline = setTimeout(() => void releaseWithin(held, 1000).finally(() => resolve(0)), 5000);
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

/** Releases `lock` (when there is one), waiting at most `ms`; a failure leaves it to lapse. */
function releaseWithin(lock: HeldCycleLock | null, ms: number): Promise<void> {
  if (lock === null) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([lock.release().catch(() => undefined), gaveUp]).finally(() => clearTimeout(timer));
}
