/**
 * The one place that runs fetch -> parse -> normalize -> dedup -> store for a
 * source. Whatever goes wrong becomes a recorded outcome and a health entry;
 * nothing thrown here can stop a cycle or erase what a source had stored.
 */
import { CycleLockLostError } from '../errors.js';
import type { FetchResult, Fetcher, Semaphore } from '../fetch/index.js';
import { initialSourceState, type Source, type SourceState } from '../model/index.js';
import type { RetentionPolicy } from '../pipeline/index.js';
import { nextAfterSuccess, type IntervalLimits } from '../scheduler/next-check.js';
import type { Store } from '../store/index.js';
import { healthAlerts } from './alerts.js';
import type { CycleClaims } from './cycle-claims.js';
import type { CycleTakeovers } from './takeovers.js';
import type { CycleFence } from './cycle-lock.js';
import { expiredArticles } from './expiry.js';
import { planDocument } from './plan-document.js';
import type { ParseOutput, ParsePool } from './parse-pool.js';
import { readDocument } from './read-document.js';
import { fenced, recordFailure } from './refresh-failure.js';

export interface RefreshDeps {
  store: Store;
  fetcher: Fetcher;
  retention: RetentionPolicy;
  limits: IntervalLimits;
  now?: () => Date;
  /**
   * When the cycle running this refresh started. The wait to the next attempt
   * counts from it, not from when the answer came: with an interval equal to
   * the schedule's period, a source fetched a few seconds into a tick must be
   * due at the next tick, not the one after it.
   */
  cycleStartedAt?: Date;
  /** Worker threads for parse + normalize; without one they run on this thread. */
  pool?: ParsePool;
  /**
   * Bounds the documents being read or committed at once: a fetched body
   * waits here, before it is parsed, while this many are ahead of it (see
   * runCycle). Without it every fetched document goes straight to the pool.
   */
  documents?: Semaphore;
  /**
   * The aliases other refreshes of the same cycle are writing (runCycle
   * makes one per cycle), so that two sources listing one new link do not
   * both store it.
   */
  claims?: CycleClaims;
  /**
   * Collects, for the cycle to apply once every refresh has committed, the
   * source's own pages whose article an alerts feed holds (takeovers.ts).
   */
  takeovers?: CycleTakeovers;
  /**
   * The cycle lock the refresh runs under: every commit is fenced with it
   * (the store writes nothing once another process has the lock), and a
   * commit refused so is reported to it, which stops the cycle.
   */
  lock?: CycleFence;
}

export type RefreshStatus = 'updated' | 'not_modified' | 'unchanged' | 'failed' | 'gone' | 'cancelled';

export interface RefreshOutcome {
  sourceId: string;
  status: RefreshStatus;
  added: number;
  updated: number;
  httpStatus: number | null;
  error: { code: string; message: string } | null;
  elapsedMs: number;
  state: SourceState;
}

/** The URL to fetch: the config URL, or where it permanently moved to. */
export function effectiveUrl(source: Source, state: SourceState): string {
  return state.redirectedTo && state.redirectedFrom === source.url ? state.redirectedTo : source.url;
}

/**
 * Refreshes one source. Never throws for anything the source or network did.
 * An aborted `signal` (shutdown, or the cycle lock lost) cancels the fetch
 * and records nothing, up to the moment a commit starts.
 */
export async function refreshSource(
  source: Source,
  deps: RefreshDeps,
  signal?: AbortSignal,
  /** The source's stored state when the caller has just read it (a cycle reads all at once); read here otherwise. */
  known?: SourceState | null,
): Promise<RefreshOutcome> {
  const clock = deps.now ?? (() => new Date());
  const started = clock();
  const stored = known === undefined ? await deps.store.getState(source.id) : known;
  const previous = stored ?? initialSourceState(source.id);
  const url = effectiveUrl(source, previous);
  const attempt: SourceState = { ...previous, lastAttemptAt: started.toISOString(), lastUrl: url };
  const finish = (status: RefreshStatus, state: SourceState, extra: Partial<RefreshOutcome> = {}): RefreshOutcome => ({
    sourceId: source.id,
    status,
    added: 0,
    updated: 0,
    httpStatus: state.lastHttpStatus,
    error: null,
    elapsedMs: clock().getTime() - started.getTime(),
    state,
    ...extra,
  });

  // What the fetch got, for a failure after it (a body that is not a feed): health shows that the server answered.
  let answered: Pick<SourceState, 'lastHttpStatus' | 'bytesFetched'> | null = null;
  try {
    const response = await deps.fetcher.fetch(url, {
      etag: previous.etag,
      lastModified: previous.lastModified,
      bodySha256: previous.bodyHash,
      wireSha256: previous.wireHash,
      ...(signal ? { signal } : {}),
    });
    const now = clock();
    const healthy: SourceState = {
      ...attempt,
      status: 'ok',
      lastSuccessAt: now.toISOString(),
      lastHttpStatus: response.status,
      consecutiveErrors: 0,
      bytesFetched: previous.bytesFetched + response.bytesReceived,
      ...(response.permanentRedirect ? { redirectedTo: response.permanentRedirect, redirectedFrom: source.url } : {}),
    };
    answered = { lastHttpStatus: healthy.lastHttpStatus, bytesFetched: healthy.bytesFetched };

    if (response.notModified || !response.body || response.bodySha256 === previous.bodyHash) {
      const expiry = await expiredArticles(deps.store, previous, now, deps.retention);
      const deletes = expiry?.deletes ?? [];
      const state: SourceState = {
        ...healthy,
        ...(expiry ? { itemsStored: expiry.itemsStored, oldestKept: expiry.oldestKept } : {}),
        revision: previous.revision + (deletes.length > 0 ? 1 : 0),
        etag: response.etag ?? previous.etag,
        lastModified: response.lastModified ?? previous.lastModified,
        // A 304 brings no wire hash; the same body may bring a new one (the first fetch that kept one, or other compressed bytes).
        wireHash: response.wireSha256 ?? previous.wireHash,
        nextAttemptAt: nextAfterSuccess(
          deps.cycleStartedAt ?? now,
          { ...hintsOf(response), ttlMinutes: previous.ttlMinutes, skipHours: previous.skipHours, skipDays: previous.skipDays },
          deps.limits,
        ).toISOString(),
      };
      const alerts = healthAlerts(source, previous, state, now.toISOString());
      stopIfAborted(signal);
      await deps.store.commitSource({ sourceId: source.id, state, upserts: [], deletes, aliases: {}, alerts }, fenced(deps));
      return finish(response.notModified ? 'not_modified' : 'unchanged', state);
    }

    const document = { bytes: response.body, contentType: response.contentType, source, feedUrl: response.finalUrl, now };
    const release = deps.documents ? await deps.documents.acquire(signal) : null;
    try {
      const read = deps.pool ? deps.pool.run(document) : readDocument(document);
      const stored = await storeDocument(read, source, deps, { previous, healthy, response, now, signal });
      return finish('updated', stored.state, { added: stored.added, updated: stored.updated });
    } finally {
      release?.();
    }
  } catch (error) {
    // Another process has the store now: it records nothing more (and the store would refuse it).
    if (error instanceof CycleLockLostError) deps.lock?.refused(error);
    // Shutdown is not the source's fault: its health stays as it was.
    if (signal?.aborted || error instanceof CycleLockLostError) return finish('cancelled', previous);
    return recordFailure(source, attempt, answered, error, deps, clock, finish);
  }
}

/** A 200 with a new body, as refreshSource hands it on to be stored. */
interface Fetched {
  previous: SourceState;
  /** The state after a successful fetch, before what the document changes. */
  healthy: SourceState;
  response: FetchResult;
  now: Date;
  signal: AbortSignal | undefined;
}

/**
 * Checked right before a commit. The signal is also aborted when this
 * process loses the cycle lock, and then another cycle may be writing the
 * same source: a document read before that must not be committed after it.
 */
function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/** What a stored document changed. */
interface Stored {
  state: SourceState;
  added: number;
  updated: number;
}

/** The response's caching headers, as the next-check computation takes them. */
function hintsOf(response: FetchResult): { maxAgeSeconds: number | null; expiresAt: string | null; retryAfterSeconds: number | null } {
  return { maxAgeSeconds: response.maxAgeSeconds, expiresAt: response.expiresAt, retryAfterSeconds: response.retryAfterSeconds };
}

/**
 * Plans and commits a document once it is read, without any frame holding
 * its candidates longer than it takes to hand them to the store.
 * refreshSource's frame has usually been promoted to the old generation
 * while the document waited for a worker, and so has the pool's promise; the
 * store's writer may take a while to confirm a commit. Whatever an old object
 * or a long wait keeps reachable survives the young collections and is
 * promoted, and once V8 sees most objects of a kind survive it allocates them
 * straight into the old generation: in one cold cycle out of three the main
 * thread's heap then grew by 50-60 MB before the next full collection.
 */
function storeDocument(read: Promise<ParseOutput>, source: Source, deps: RefreshDeps, fetched: Fetched): Promise<Stored> {
  return read
    .then((output) => startCommit(source, deps, fetched, takeOutput(output)))
    .then(({ committed, stored }) => committed.then(() => stored));
}

/** Dedups and plans the candidates, and starts the commit; resolves with the commit in flight. */
async function startCommit(
  source: Source,
  deps: RefreshDeps,
  fetched: Fetched,
  output: ParseOutput,
): Promise<{ committed: Promise<void>; stored: Stored }> {
  const { previous, healthy, response, now, signal } = fetched;
  const { ttlMinutes, skipHours, skipDays, candidates } = output;
  const { plan, claim } = await planDocument(source.id, candidates, previous, now, deps);
  let committed: Promise<void>;
  let state: SourceState;
  try {
    stopIfAborted(signal);
    const changed = plan.upserts.length > 0 || plan.deletes.length > 0;
    state = {
      ...healthy,
      etag: response.etag,
      lastModified: response.lastModified,
      bodyHash: response.bodySha256,
      wireHash: response.wireSha256,
      ttlMinutes,
      skipHours,
      skipDays,
      itemsStored: plan.itemsAfter,
      oldestKept: plan.oldestKept,
      revision: previous.revision + (changed ? 1 : 0),
      nextAttemptAt: nextAfterSuccess(deps.cycleStartedAt ?? now, { ...hintsOf(response), ttlMinutes, skipHours, skipDays }, deps.limits).toISOString(),
    };
    committed = deps.store.commitSource({
      sourceId: source.id,
      state,
      upserts: plan.upserts,
      deletes: plan.deletes,
      aliases: plan.aliases,
      ...(plan.sourceAliases !== null ? { sourceAliases: plan.sourceAliases } : {}),
      pruned: plan.pruned,
      alerts: healthAlerts(source, previous, state, now.toISOString()),
    }, fenced(deps));
  } catch (error) {
    // No commit was started: the aliases claimed for it will never be written.
    claim?.withdrawn();
    throw error;
  }
  if (claim) committed.then(claim.landed, claim.withdrawn);
  if (plan.adoptable.length > 0 && deps.takeovers) {
    const { takeovers } = deps;
    const items = plan.adoptable;
    committed.then(() => takeovers.offer(source.id, items), () => undefined);
  }
  return { committed, stored: { state, added: plan.added, updated: plan.updated } };
}

/**
 * The output with its candidates moved to a new array, leaving an empty one
 * in the object the pool's (old) promise still references. Without this,
 * every source's candidates (~0.6 MB for 50 items) outlived its commit and
 * the main thread's heap peaked ~60 MB higher in a cold cycle of 300 sources.
 */
function takeOutput(output: ParseOutput): ParseOutput {
  return { ttlMinutes: output.ttlMinutes, skipHours: output.skipHours, skipDays: output.skipDays, candidates: output.candidates.splice(0) };
}
