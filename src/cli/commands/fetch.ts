/** `byline fetch`: one cycle over every enabled source, a line per source, then exit. */
import { enabledSources } from '../../config/index.js';
import { runCycle } from '../../jobs/run-cycle.js';
import { openContext, type GlobalOptions } from '../context.js';
import { outcomeLine } from '../log.js';

/** Returns the exit code: 0 unless every source failed. */
export async function fetchCommand(options: GlobalOptions): Promise<number> {
  const context = await openContext(options);
  try {
    const sources = enabledSources(context.config);
    const report = await runCycle({
      sources,
      deps: context.deps,
      concurrency: context.config.settings.fetch.concurrency,
      force: true,
      onOutcome: (_source, outcome) => console.log(outcomeLine(outcome)),
    });
    const failed = report.outcomes.filter((o) => o.status === 'failed' || o.status === 'gone').length;
    const added = report.outcomes.reduce((sum, o) => sum + o.added, 0);
    console.log(`fetched ${report.outcomes.length} source(s): ${added} new item(s), ${failed} failed`);
    return report.outcomes.length > 0 && failed === report.outcomes.length ? 1 : 0;
  } finally {
    await context.close();
  }
}
