/**
 * What publishing does after a fetch cycle in `byline run`: learn the byte
 * lengths of new lead images (for RSS enclosures), then, when the cycle added
 * items and a WebSub hub is configured, ping the hub for every feed, and
 * last record the archive pages completed since the last cycle (archive.ts).
 */
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';
import { fixArchivePages, type ArchiveIndex } from './archive.js';
import type { CycleFence } from './cycle-lock.js';
import { unknownImageUrls, type ImageLengths } from './image-lengths.js';
import { publishedFeedUrls } from './publish-meta.js';
import type { CycleReport } from './run-cycle.js';
import { pingHub, type PingResult } from './websub.js';

/** What the step did, for the log. */
export interface AfterCycleResult {
  added: number;
  /** Archive pages recorded by this step. */
  archivePagesFixed: number;
  /** Why the archive pages could not be recorded (the rest of the step still ran). */
  archiveError: string | null;
  /** Why the recorded archive layout was unreadable and was recorded anew. */
  archiveReplaced: string | null;
  imageLengthsLearned: number;
  pings: PingResult[];
}

/** What the step keeps between cycles. */
export interface AfterCycleDeps {
  imageLengths: ImageLengths | null;
  /** The process's archive index, so each cycle reads only the articles added since the last. */
  archiveIndex: ArchiveIndex;
  /** The cycle lock the cycle ran under: the archive pages are recorded only while it is still this process's. */
  lock?: CycleFence;
  now?: () => Date;
}

/** Runs the publish step for a finished cycle; never rejects on a network failure. */
export async function afterCycle(
  report: Pick<CycleReport, 'outcomes'>,
  config: Config,
  store: Store,
  deps: AfterCycleDeps,
  signal?: AbortSignal,
): Promise<AfterCycleResult> {
  const { imageLengths } = deps;
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
  // Last and on its own: a store record it cannot read must not cost the subscribers their pings.
  let archivePagesFixed = 0;
  let archiveError: string | null = null;
  let archiveReplaced: string | null = null;
  try {
    const sourceIds = config.sources.map((source) => source.id);
    const now = (deps.now ?? (() => new Date()))();
    const fixed = await fixArchivePages(store, deps.archiveIndex, sourceIds, config.settings.output.archivePageSize, now, deps.lock);
    archivePagesFixed = fixed.added;
    archiveReplaced = fixed.replaced;
  } catch (error) {
    archiveError = error instanceof Error ? error.message : String(error);
  }
  return { added, archivePagesFixed, archiveError, archiveReplaced, imageLengthsLearned, pings };
}
