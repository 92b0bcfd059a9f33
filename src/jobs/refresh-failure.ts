/**
 * What a failed refresh records: the source's state after the error (its
 * status, backoff and next attempt) and the health alerts it raises, in one
 * commit that touches none of the source's articles.
 */
import { CycleLockLostError, describeError, FetchError } from '../errors.js';
import type { Source, SourceState } from '../model/index.js';
import { nextAfterFailure } from '../scheduler/next-check.js';
import type { CycleLockOwner } from '../store/index.js';
import { healthAlerts } from './alerts.js';
import type { RefreshDeps, RefreshOutcome, RefreshStatus } from './refresh-source.js';

export async function recordFailure(
  source: Source,
  started: SourceState,
  answered: Pick<SourceState, 'lastHttpStatus' | 'bytesFetched'> | null,
  error: unknown,
  deps: RefreshDeps,
  clock: () => Date,
  finish: (status: RefreshStatus, state: SourceState, extra?: Partial<RefreshOutcome>) => RefreshOutcome,
): Promise<RefreshOutcome> {
  const now = clock();
  const attempt: SourceState = { ...started, ...answered };
  const described = describeError(error);
  const consecutiveErrors = attempt.consecutiveErrors + 1;
  const fetchError = error instanceof FetchError ? error : null;
  // This attempt's own status: the state keeps the last one the server sent, but a timeout or a refused
  // connection got none, and the cycle's log line must not show an earlier answer as this one's.
  const httpStatus = fetchError?.status ?? answered?.lastHttpStatus ?? null;
  const gone = described.code === 'gone';
  const rateLimited = described.code === 'rate_limited';
  const state: SourceState = {
    ...attempt,
    status: gone ? 'gone' : rateLimited || consecutiveErrors >= 3 ? 'backing_off' : 'failing',
    lastHttpStatus: fetchError?.status ?? attempt.lastHttpStatus,
    consecutiveErrors,
    lastError: { ...described, at: now.toISOString() },
    nextAttemptAt: gone
      ? null
      : nextAfterFailure(deps.cycleStartedAt ?? now, consecutiveErrors, deps.limits, {
          retryAfterSeconds: fetchError?.retryAfterSeconds ?? null,
        }).toISOString(),
  };
  try {
    const alerts = healthAlerts(source, attempt, state, now.toISOString());
    await deps.store.commitSource({ sourceId: source.id, state, upserts: [], deletes: [], aliases: {}, alerts }, fenced(deps));
  } catch (storeError) {
    if (storeError instanceof CycleLockLostError) {
      deps.lock?.refused(storeError);
      return finish('cancelled', started);
    }
    // The store itself failing is reported; the source's articles are untouched either way.
    const stored = describeError(storeError);
    return finish('failed', state, { error: stored, httpStatus });
  }
  return finish(gone ? 'gone' : 'failed', state, { error: described, httpStatus });
}

/** The commit options of a refresh under `deps.lock`. */
export function fenced(deps: RefreshDeps): { fence?: CycleLockOwner } {
  return deps.lock ? { fence: deps.lock.owner } : {};
}
