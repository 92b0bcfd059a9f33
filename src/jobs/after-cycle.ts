/**
 * What publishing does after a fetch cycle in `byline run`: learn the byte
 * lengths of new lead images (for RSS enclosures), then, when the cycle added
 * items and a WebSub hub is configured, ping the hub for every feed.
 */
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import { unknownImageUrls, type ImageLengths } from './image-lengths.js';
import { publishedFeedUrls } from './publish-meta.js';
import type { CycleReport } from './run-cycle.js';
import { pingHub, type PingResult } from './websub.js';

/** What the step did, for the log. */
export interface AfterCycleResult {
  added: number;
  imageLengthsLearned: number;
  pings: PingResult[];
}

/** Runs the publish step for a finished cycle; never rejects on a network failure. */
export async function afterCycle(
  report: Pick<CycleReport, 'outcomes'>,
  config: Config,
  store: Store,
  imageLengths: ImageLengths | null,
  signal?: AbortSignal,
): Promise<AfterCycleResult> {
  const added = report.outcomes.reduce((sum, outcome) => sum + outcome.added, 0);
  let imageLengthsLearned = 0;
  if (imageLengths) {
    const newest = await store.listNewest({ sourceIds: config.sources.map((source) => source.id), limit: config.settings.output.maxItems });
    imageLengthsLearned = await imageLengths.fill(unknownImageUrls(newest), signal);
  }
  const { hubUrl } = config.settings.output;
  const { fetch } = config.settings;
  const pings =
    hubUrl && added > 0 && !signal?.aborted
      ? await pingHub(hubUrl, publishedFeedUrls(config), {
          allowPrivateAddresses: fetch.allowPrivateAddresses,
          ...(signal ? { signal } : {}),
          ...(fetch.userAgent ? { userAgent: fetch.userAgent } : {}),
        })
      : [];
  return { added, imageLengthsLearned, pings };
}
