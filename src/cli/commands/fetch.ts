/**
 * `byline fetch`: one cycle over every enabled source, a line per source, then
 * exit. It holds the store's cycle lock while it runs, so it fails at once,
 * changing nothing, while another process (a running daemon's cycle, another
 * fetch) is refreshing the same store.
 */
import { setMaxListeners } from 'node:events';
import { enabledSources } from '../../config/index.js';
import { withCycleLock } from '../../jobs/cycle-lock.js';
import { runCycle } from '../../jobs/run-cycle.js';
import { openContext, type GlobalOptions } from '../context.js';
import { outcomeLine, takeoverLines } from '../log.js';

/** Returns the exit code: 0 unless every source failed, 130 when interrupted. */
export async function fetchCommand(options: GlobalOptions): Promise<number> {
  const context = await openContext(options, { create: true });
  // Ctrl-C or SIGTERM ends the cycle early and releases the lock on the way out, rather than leaving
  // it to lapse and refuse the next fetch for minutes; a second signal kills the process as usual.
  const interrupt = new AbortController();
  const onSignal = (): void => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const sources = enabledSources(context.config);
    const { concurrency } = context.config.settings.fetch;
    const report = await withCycleLock(
      context.store,
      (lock) => {
        const signal = AbortSignal.any([interrupt.signal, lock.lost]);
        // Every in-flight fetch listens on the one signal.
        setMaxListeners(concurrency * 4 + 16, signal);
        return runCycle({
          sources,
          deps: { ...context.deps, lock },
          concurrency,
          force: true,
          signal,
          onOutcome: (_source, outcome) => console.log(outcomeLine(outcome)),
        });
      },
      { onWarning: (message) => console.error(`byline: ${message}`) },
    );
    for (const line of takeoverLines(report.takeovers)) console.log(line);
    const failed = report.outcomes.filter((o) => o.status === 'failed' || o.status === 'gone').length;
    const added = report.outcomes.reduce((sum, o) => sum + o.added, 0);
    console.log(`fetched ${report.outcomes.length} source(s): ${added} new item(s), ${failed} failed`);
    if (interrupt.signal.aborted) {
      console.error('byline: interrupted; the sources not fetched yet are left as they were');
      return 130;
    }
    return report.outcomes.length > 0 && failed === report.outcomes.length ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await context.close();
  }
}
