/**
 * One cycle: refresh every due source, many at a time. The fetcher enforces
 * the global and per-host connection limits; this bounds how many sources
 * are in flight, and how many of their documents are being read or
 * committed, so memory stays flat with thousands of sources.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describeError } from '../errors.js';
import { Semaphore } from '../fetch/index.js';
import { initialSourceState, type Source, type SourceState } from '../model/index.js';
import { isSkippedAt } from '../scheduler/next-check.js';
import { CycleClaims } from './cycle-claims.js';
import { CycleTakeovers, type TakeoverReport } from './takeovers.js';
import { effectiveUrl, refreshSource, type RefreshDeps, type RefreshOutcome } from './refresh-source.js';

export interface CycleOptions {
  sources: readonly Source[];
  deps: RefreshDeps;
  /** Sources in flight at once. */
  concurrency: number;
  /**
   * Fetched documents being parsed or committed at once; the rest wait with
   * their bodies. Default {@link DOCUMENTS_PER_WORKER} per parse worker (4
   * without a pool). Ignored when `deps.documents` is set.
   */
  documentsInFlight?: number;
  /** Refresh every source whatever its next-attempt time (manual `byline fetch`). */
  force?: boolean;
  /**
   * The time of the schedule's tick this cycle runs for. The waits to the
   * sources' next checks count from it, and a source whose next check is not
   * after it is due. A cycle starts a few milliseconds after its tick, more or
   * fewer each time (the cron timer, the lock): counted from that start, a
   * wait as long as the schedule's period ended just after the next tick
   * about every other time, and the source waited a whole period more. A tick
   * later than the clock (by more than a timer's slack) is not taken.
   */
  scheduledAt?: Date | null;
  onOutcome?: (source: Source, outcome: RefreshOutcome) => void;
  signal?: AbortSignal;
  /**
   * Every source whose articles the combined feed shows, when the cycle
   * refreshes only some of them (a schedule group): an article the publisher's
   * own feed takes over may be held by any of them. Default: `sources`.
   */
  holderIds?: readonly string[];
}

export interface CycleReport {
  startedAt: string;
  finishedAt: string;
  /** One per refreshed source, in the order the sources were given (not the order they finished). */
  outcomes: RefreshOutcome[];
  /** Sources not due yet (next attempt in the future, or gone). */
  skipped: string[];
  /** Articles the publisher's own feed took over from an alerts feed after the refreshes (takeovers.ts). */
  takeovers: TakeoverReport;
}

/**
 * Documents in flight per parse worker. A cold cycle is bound by parsing or
 * by the store's writes, and whichever is slower makes the others' work pile
 * up: with all 32 sources past their fetch, 30 documents waited for a worker
 * and each commit's candidates waited on the main thread for the writer,
 * where they outlived several young collections and were promoted. Four per
 * worker keeps every worker busy (one reading, a few queued, one or two
 * committing) and left the main thread's heap at half its peak.
 */
export const DOCUMENTS_PER_WORKER = 4;

/**
 * Sources whose refresh starts in one turn of the event loop when a cycle
 * begins. Starting a fetch holds the event loop for ~1 ms (the request, its
 * socket, the connect); the first 32 started together held it for ~30 ms,
 * while the parse workers were starting on the same two cores, and that was
 * the longest wait a request to the server saw in a cold cycle.
 */
export const LANES_PER_TURN = 4;

/** Resolves after `turns` turns of the event loop, so timers and I/O run in between. */
function afterTurns(turns: number): Promise<void> {
  return turns <= 0 ? Promise.resolve() : nextTurn().then(() => afterTurns(turns - 1));
}

/**
 * Runs one cycle over the given sources; resolves when every due source is
 * done. Takes no lock: a caller sharing the store with other processes holds
 * its cycle lock around the cycle (see cycle-lock.ts).
 */
export async function runCycle(options: CycleOptions): Promise<CycleReport> {
  const clock = options.deps.now ?? (() => new Date());
  const cycleStartedAt = startOf(options.scheduledAt ?? null, clock());
  const offers = options.deps.takeovers ?? new CycleTakeovers();
  const deps: RefreshDeps = {
    ...options.deps,
    cycleStartedAt,
    documents: options.deps.documents ?? new Semaphore(documentLimit(options)),
    claims: options.deps.claims ?? new CycleClaims(),
    takeovers: offers,
  };
  const startedAt = cycleStartedAt.toISOString();
  const states = await options.deps.store.getStates(options.sources.map((source) => source.id));
  const due: Source[] = [];
  const skipped: string[] = [];
  const now = clock();
  // A cron timer may fire a little before its tick: what is due at the tick is due then, and quiet hours are the tick's.
  const dueAt = new Date(Math.max(now.getTime(), cycleStartedAt.getTime()));
  for (const source of options.sources) {
    const state = states.get(source.id);
    const isGone = state?.status === 'gone' && state.lastUrl === effectiveUrl(source, state) && !options.force;
    const notYet = !options.force && state?.nextAttemptAt && Date.parse(state.nextAttemptAt) > dueAt.getTime() && !clockWentBack(state, now);
    // The feed's own skipHours/skipDays, at the tick itself (see isSkippedAt).
    const quiet = !options.force && state !== undefined && isSkippedAt(dueAt, state);
    if (isGone || notYet || quiet) skipped.push(source.id);
    else due.push(source);
  }

  if (options.deps.pool && neverRead(due, states) >= options.deps.pool.stats().size) options.deps.pool.start();

  // Indexed by position in `due`, so the report reads in config order however the work interleaves.
  const outcomes: (RefreshOutcome | undefined)[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < due.length && !options.signal?.aborted) {
      const index = next++;
      const source = due[index]!;
      // The state read above is still current: cycles never overlap and each source has one writer.
      const outcome = await refreshSource(source, deps, options.signal, states.get(source.id) ?? null).catch(
        (error: unknown) => crashed(source, error, clock),
      );
      outcomes[index] = outcome;
      options.onOutcome?.(source, outcome);
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency, due.length));
  await Promise.all(Array.from({ length: lanes }, (_, lane) => afterTurns(Math.floor(lane / LANES_PER_TURN)).then(worker)));
  // Cycles are minutes apart; idle parse workers would hold their heaps until the next one.
  await options.deps.pool?.stopIdle();
  // Every refresh has committed: nothing else writes the sources a takeover moves an article between.
  const takeovers = await offers.settle({
    store: deps.store,
    retention: deps.retention,
    now: clock(),
    holderIds: options.holderIds ?? options.sources.map((source) => source.id),
    ...(deps.lock ? { lock: deps.lock } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const done = outcomes.filter((outcome): outcome is RefreshOutcome => outcome !== undefined);
  return { startedAt, finishedAt: clock().toISOString(), outcomes: done, skipped, takeovers };
}

/**
 * Due sources never read before: each will need a parse worker as soon as
 * its fetch answers. When there are at least as many as workers (a first
 * cycle, many new sources), the workers start with the fetches, so their
 * start-up overlaps the wait for the first answers instead of delaying them
 * (and the event loop) when they arrive together. A cycle of known sources
 * mostly hears 304s or the same bodies and needs no worker at all.
 */
function neverRead(due: readonly Source[], states: ReadonlyMap<string, SourceState>): number {
  return due.filter((source) => !states.get(source.id)?.bodyHash).length;
}

/** How early a cron timer may fire before its tick and the tick still be taken as the cycle's start. */
const TICK_SLACK_MS = 1000;

/** The time a cycle's waits count from: the tick it runs for, or now when it has none (or a tick still to come). */
function startOf(scheduledAt: Date | null, now: Date): Date {
  return scheduledAt !== null && scheduledAt.getTime() <= now.getTime() + TICK_SLACK_MS ? scheduledAt : now;
}

/**
 * Whether the source was last tried at a time still to come: the clock was
 * set back since (it ran ahead, then NTP or the operator corrected it). Its
 * next-attempt time was counted on that clock and may be hours or months
 * away now, so it is not waited for.
 */
function clockWentBack(state: SourceState, now: Date): boolean {
  return state.lastAttemptAt !== null && Date.parse(state.lastAttemptAt) > now.getTime();
}

function documentLimit(options: CycleOptions): number {
  const workers = options.deps.pool?.stats().size ?? 1;
  return Math.max(1, Math.floor(options.documentsInFlight ?? DOCUMENTS_PER_WORKER * workers));
}

/** refreshSource records its own failures; this only covers the store failing while reading state. */
function crashed(source: Source, error: unknown, clock: () => Date): RefreshOutcome {
  const state = initialSourceState(source.id);
  return {
    sourceId: source.id,
    status: 'failed',
    added: 0,
    updated: 0,
    httpStatus: null,
    error: describeError(error),
    elapsedMs: 0,
    state: { ...state, status: 'failing', lastAttemptAt: clock().toISOString() },
  };
}
