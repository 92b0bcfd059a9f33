/**
 * The site's render thread: reads each revision's snapshot and renders its
 * paths on one worker thread with its own store connection, so neither step
 * blocks the event loop that answers requests. Both are long synchronous
 * stretches for 1,000 items: the SQLite backend reads and decodes a thousand
 * articles in one go (twice: the feeds and the newsletter), ~100 ms, and each
 * feed format takes 100–200 ms to render.
 *
 * The main thread names snapshots (a number and the time they are as of) and
 * asks for paths; the worker reads a snapshot when it is named, answering with
 * its archive page count, and answers a path with the document's UTF-8 bytes,
 * transferred rather than copied. With the count, the main thread turns away
 * a page number past it without queueing a render: otherwise every page
 * number a client made up would wait its turn here, ahead of the feeds.
 * Image lengths learned by this process are sent along whenever they
 * changed. One request runs at a time, in request order. A worker that
 * crashes (or runs out of its heap) or takes longer than `timeoutMs` is
 * terminated and that request rejects with RenderThreadError; the next one
 * starts a fresh worker. The output cache
 * turns a rejection into "keep serving the previous body, report it, retry at
 * the next check". A worker with nothing to render for `idleMs` stops, as
 * the parse workers do between cycles; the next render starts a fresh one.
 */
import { getHeapStatistics } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Config } from '../config/index.js';
import { BylineError } from '../errors.js';
import type { ImageLengths } from '../jobs/image-lengths.js';
import { startModuleWorker } from '../jobs/module-worker.js';
import type { CreateStoreOptions } from '../store/index.js';
import { RenderReplySchema, type RenderRequest, type RenderWorkerData } from './render-messages.js';

/** Options of {@link createRenderThread}. */
export interface RenderThreadOptions {
  /** How to open the store (the worker opens its own connection: SQLite file or Redis). */
  store: CreateStoreOptions;
  /** A path still rendering after this long fails and its worker is replaced. Default 60 s. */
  timeoutMs?: number;
  /** Cap on the worker's heap (V8's old generation), in MB; a render that needs more fails alone. Default 512, or the main thread's limit when lower. */
  oldGenerationMb?: number;
  /** Cap on the worker's young generation, in MB. Default 16. */
  youngGenerationMb?: number;
  /**
   * The worker stops after this long with nothing to render, and the next
   * render starts a fresh one. Renders come in bursts after each cycle,
   * minutes apart, and an idle worker held its heap (snapshots included) all
   * the while. Default {@link DEFAULT_IDLE_MS}.
   */
  idleMs?: number;
}

/** Default {@link RenderThreadOptions.idleMs}: long enough for a burst of renders and the requests that follow it. */
export const DEFAULT_IDLE_MS = 60_000;

/** A snapshot as the main thread knows it: a name, the time it is read as of, and its complete archive pages. */
export interface RenderSnapshot {
  key: number;
  now: Date;
  archivePages: number;
}

/** Reads snapshots and renders paths off the main thread. */
export interface RenderThread {
  /** Names a new snapshot and has the worker read it from the store (as of `now`); resolves once it is read. */
  snapshot(now: Date): Promise<RenderSnapshot>;
  /** The UTF-8 bytes of `path` in `snapshot`; `null` when nothing is published there. */
  render(snapshot: RenderSnapshot, path: string): Promise<Uint8Array | null>;
  /** Closes the worker's store connection and stops it; renders queued or running reject. Safe to call twice. */
  close(): Promise<void>;
  stats(): RenderThreadStats;
}

/** Counters for tests and logs. */
export interface RenderThreadStats {
  /** Workers started so far (a crashed or stuck one is replaced by the next render). */
  started: number;
  /** Whether a worker is running now (false once it has exited). */
  alive: boolean;
  /** Snapshots read (or failed to read) on request. */
  snapshots: number;
  /** Paths rendered (or failed to render). */
  rendered: number;
}

/** Why a render was abandoned by the render thread itself (not by a renderer or the store). */
export class RenderThreadError extends BylineError {
  constructor(code: 'render_thread_closed' | 'render_worker_failed', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A queued request: read a snapshot, or render one of its paths. */
type Job = { id: number; key: number; now: Date; reject: (error: unknown) => void } & (
  | { kind: 'snapshot'; resolve: (archivePages: number) => void }
  | { kind: 'render'; path: string; resolve: (bytes: Uint8Array | null) => void }
);

/** What a job that did not finish failed to do, for its error message. */
const unfinished = (job: Job): string => (job.kind === 'render' ? `${job.path} not rendered` : `snapshot ${job.key} not read`);

/** How long a closing worker may take to close its store before it is terminated. */
const CLOSE_GRACE_MS = 2000;

/** Creates the render thread; its worker starts on the first render and never keeps the process alive while idle. */
export function createRenderThread(
  config: Config,
  lengths: Pick<ImageLengths, 'version' | 'learned'> | null,
  options: RenderThreadOptions,
): RenderThread {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const mainLimitMb = Math.floor(getHeapStatistics().heap_size_limit / (1024 * 1024));
  const resourceLimits: ResourceLimits = {
    maxYoungGenerationSizeMb: options.youngGenerationMb ?? 16,
    maxOldGenerationSizeMb: options.oldGenerationMb ?? Math.min(512, mainLimitMb),
  };
  const data: RenderWorkerData = { config, store: options.store };
  let nextKey = 1;
  let nextId = 1;
  let worker: Worker | null = null;
  /** The image-length version the worker has, as of the last request posted (-1: none yet). */
  let sentLengths = -1;
  let running: { job: Job; timer: NodeJS.Timeout } | null = null;
  const queue: Job[] = [];
  let closed = false;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  let idleTimer: NodeJS.Timeout | null = null;
  /** An idle worker being stopped; close() waits for it. */
  let idleStop: Promise<void> | null = null;
  let workersStarted = 0;
  let alive = 0;
  let snapshotsRead = 0;
  let rendered = 0;

  /** Ends the running job, if any, and lets the idle worker stop holding the process open. */
  const settle = (): Job | null => {
    const job = running?.job ?? null;
    if (running) clearTimeout(running.timer);
    running = null;
    worker?.unref();
    return job;
  };

  /** Drops the worker (crashed, stuck or misbehaving); the running job fails with `reason`. */
  const retire = (reason: Error): void => {
    const dying = worker;
    worker = null;
    sentLengths = -1;
    settle()?.reject(reason);
    void dying?.terminate();
    pump();
  };


  const start = (): Worker => {
    const started = startModuleWorker(import.meta.url, 'render-worker', { resourceLimits, workerData: data });
    workersStarted++;
    alive++;
    started.once('exit', () => alive--);
    started.on('message', (message: unknown) => {
      if (worker !== started) return;
      const reply = RenderReplySchema.safeParse(message);
      const expected = running?.job.kind === 'snapshot' ? 'snapshot' : 'rendered';
      if (!running || !reply.success || reply.data.id !== running.job.id || (reply.data.type !== 'failed' && reply.data.type !== expected)) {
        const detail = reply.success ? 'a reply for another request' : reply.error.message;
        retire(new RenderThreadError('render_worker_failed', `render worker: unexpected reply: ${detail}`));
        return;
      }
      const job = settle()!;
      const data = reply.data;
      if (job.kind === 'snapshot') snapshotsRead++;
      else rendered++;
      if (data.type === 'failed') job.reject(Object.assign(new Error(data.error.message), { name: data.error.name }));
      else if (job.kind === 'snapshot' && data.type === 'snapshot') job.resolve(data.archivePages);
      else if (job.kind === 'render' && data.type === 'rendered') job.resolve(data.bytes);
      pump();
    });
    const failed = (detail: string, cause?: unknown): void => {
      if (worker !== started) return;
      retire(new RenderThreadError('render_worker_failed', `render worker: ${detail}`, { cause }));
    };
    started.on('error', (error) => failed(error.message, error));
    started.on('messageerror', (error) => failed(error.message, error));
    started.on('exit', (code) => failed(`exited with code ${code}`));
    return started;
  };

  /** Stops the worker once it has had nothing to render for `idleMs`. */
  const armIdle = (): void => {
    if (idleTimer || closed || !worker) return;
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (running || queue.length > 0 || !worker) return;
      const stopping = worker;
      worker = null;
      sentLengths = -1;
      idleStop = stop(stopping).finally(() => (idleStop = null));
    }, idleMs);
    idleTimer.unref();
  };

  const disarmIdle = (): void => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
  };

  function pump(): void {
    if (closed || running) return;
    if (queue.length === 0) {
      armIdle();
      return;
    }
    disarmIdle();
    const job = queue.shift()!;
    worker ??= start();
    const version = lengths?.version ?? 0;
    try {
      const common = {
        id: job.id,
        key: job.key,
        now: job.now.toISOString(),
        lengths: lengths && version !== sentLengths ? lengths.learned() : null,
      };
      const request: RenderRequest = job.kind === 'render' ? { type: 'render', ...common, path: job.path } : { type: 'snapshot', ...common };
      worker.postMessage(request);
    } catch (error) {
      // Nothing reached the worker: this render fails alone.
      job.reject(error);
      pump();
      return;
    }
    sentLengths = version;
    worker.ref();
    const timer = setTimeout(() => {
      // The thread cannot be interrupted mid-render: it is replaced.
      retire(new RenderThreadError('render_worker_failed', `render worker: ${unfinished(job)} within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    timer.unref();
    running = { job, timer };
  }

  /** Lets the worker close its store connection and exit; terminates it if that takes too long. */
  const stop = async (stopping: Worker): Promise<void> => {
    stopping.ref();
    const exited = new Promise<void>((resolve) => stopping.once('exit', () => resolve()));
    stopping.postMessage({ type: 'close' } satisfies RenderRequest);
    let grace: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (grace = setTimeout(() => resolve('late'), CLOSE_GRACE_MS)));
    if ((await Promise.race([exited, late])) === 'late') await stopping.terminate();
    clearTimeout(grace);
  };

  const enqueue = (job: Job): void => {
    queue.push(job);
    pump();
  };

  const closedError = (): RenderThreadError => new RenderThreadError('render_thread_closed', 'render thread: closed');

  return {
    async snapshot(now) {
      if (closed) throw closedError();
      const key = nextKey++;
      const archivePages = await new Promise<number>((resolve, reject) => enqueue({ kind: 'snapshot', id: nextId++, key, now, resolve, reject }));
      return { key, now, archivePages };
    },
    render(snapshot, path) {
      if (closed) return Promise.reject(closedError());
      return new Promise<Uint8Array | null>((resolve, reject) =>
        enqueue({ kind: 'render', id: nextId++, key: snapshot.key, now: snapshot.now, path, resolve, reject }),
      );
    },
    stats: () => ({ started: workersStarted, alive: alive > 0, snapshots: snapshotsRead, rendered }),
    async close() {
      if (closed) return;
      closed = true;
      disarmIdle();
      const reason = closedError();
      for (const job of queue.splice(0)) job.reject(reason);
      settle()?.reject(reason);
      const stopping = worker;
      worker = null;
      if (stopping) await stop(stopping);
      await idleStop;
    },
  };
}
