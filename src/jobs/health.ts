/** Joins the configured sources with their stored state into the health view. */
import type { Config } from '../config/index.js';
import { initialSourceState, withoutCredentials, type SourceHealth } from '../model/index.js';
import { firstTickAtOrAfter } from '../scheduler/index.js';
import type { Store } from '../store/index.js';
import { effectiveUrl } from './refresh-source.js';

/**
 * When the source will be checked: the first tick of its schedule once its
 * next-attempt time has come (that time itself when no tick is near enough to find).
 */
function nextCheck(nextAttemptAt: string | null, schedule: string): string | null {
  if (nextAttemptAt === null) return null;
  return firstTickAtOrAfter(schedule, new Date(nextAttemptAt))?.toISOString() ?? nextAttemptAt;
}

/** One row per configured source, in config order. */
export async function sourceHealth(config: Config, store: Store): Promise<SourceHealth[]> {
  const states = await store.getStates(config.sources.map((source) => source.id));
  return config.sources.map((source) => {
    const state = states.get(source.id) ?? initialSourceState(source.id);
    const url = effectiveUrl(source, state);
    return {
      id: source.id,
      name: source.name,
      url: withoutCredentials(source.url),
      site: source.site ?? null,
      status: source.enabled ? state.status : 'disabled',
      lastError: state.lastError,
      lastSuccessAt: state.lastSuccessAt,
      lastAttemptAt: state.lastAttemptAt,
      lastHttpStatus: state.lastHttpStatus,
      consecutiveErrors: state.consecutiveErrors,
      nextAttemptAt: nextCheck(state.nextAttemptAt, source.schedule ?? config.settings.schedule),
      items: state.itemsStored,
      bytesFetched: state.bytesFetched,
      redirectedTo: url === source.url ? null : withoutCredentials(url),
    };
  });
}
