/** Joins the configured sources with their stored state into the health view. */
import type { Config } from '../config/index.js';
import { initialSourceState, withoutCredentials, type SourceHealth } from '../model/index.js';
import type { Store } from '../store/index.js';
import { effectiveUrl } from './refresh-source.js';

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
      nextAttemptAt: state.nextAttemptAt,
      items: state.itemsStored,
      bytesFetched: state.bytesFetched,
      redirectedTo: url === source.url ? null : withoutCredentials(url),
    };
  });
}
