/**
 * A pool of worker threads for the CPU-heavy half of a refresh: decode, parse,
 * normalize and sanitize one fetched document. Running it off the main thread
 * lets a cycle use every core and keeps the event loop free to fetch and to
 * answer HTTP requests while hundreds of feeds are being read.
 *
 * The worker runs the very same readDocument (parseFeed + normalizeFeed) as
 * the in-thread path; what crosses the thread boundary is checked with zod on the way back,
 * and a ParseError thrown in the worker is rethrown here with the same code and
 * message, so a source's health reads exactly as it would without the pool.
 */
import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { BylineError, ParseError } from '../errors.js';
import { startModuleWorker } from './module-worker.js';
import { ParseReplyEnvelopeSchema, type ParseInput, type ParseOutput, type ParseRequest, type WorkerFailure } from './parse-messages.js';

export { ParseInputSchema, ParseOutputSchema, type ParseInput, type ParseOutput } from './parse-messages.js';
export { readDocument } from './read-document.js';

/** Options of {@link createParsePool}. */
export interface ParsePoolOptions {
  /** Worker threads; default os.availableParallelism(). */
  size?: number;
  /** Documents that may wait for a free worker; one more is refused at once. Default 1024. */
  maxQueue?: number;
  /** A document still being read after this long fails with parse_error and its worker is replaced. Default 60 s. */
  timeoutMs?: number;
  /**
   * Cap on each worker's young generation, in MB. V8 sizes it for throughput
   * (up to ~48 MB per thread on 64-bit). A parse worker's garbage is
   * short-lived strings and nodes, but a document's (a 300 KB feed's tree,
   * its sanitized items) outgrows an 8 MB nursery: its objects were promoted
   * and died in the old generation, and marking and sweeping them cost a cold
   * cycle ~15 % more CPU than at 16 MB, which keeps most of 32 MB's saving
   * for ~20 MB less resident memory at 1,000 sources. Default 16.
   */
  youngGenerationMb?: number;
  /**
   * Cap on each worker's heap (V8's old generation), in MB. V8 lets a heap
   * run further past its live data between full collections the higher its
   * limit: a parse worker inheriting a large machine's 4 GB limit holds a
   * few MB of live data but ~30 MB of dead decoded strings and trees. Below
   * 2 GB the allowance shrinks and each worker's heap peaks at about half.
   * A document that needs more than this fails alone (parse_worker_failed)
   * and its worker is replaced. Default {@link DEFAULT_OLD_GENERATION_MB},
   * or the main thread's own limit when that is lower.
   */
  oldGenerationMb?: number;
}

/**
 * Default heap cap of a parse worker, in MB. Reading a 15 MiB feed (the
 * fetcher's default size limit) of 200-byte items takes between 256 and 512
 * MB, a 30 MiB one less than 1 GB; a 60 MiB one (the most a compressed 15 MiB
 * can inflate to) ran into the 60 s timeout before its heap did.
 */
export const DEFAULT_OLD_GENERATION_MB = 1536;

/** Counters for tests, benchmarks and logs. */
export interface ParsePoolStats {
  size: number;
  /** Workers currently started. */
  workers: number;
  busy: number;
  queued: number;
  /** The most documents ever being read at the same moment. */
  peakBusy: number;
  completed: number;
}

/** Reads documents on worker threads. */
export interface ParsePool {
  /** Parses and normalizes one document; rejects with ParseError when it is not a feed we can read. */
  run(input: ParseInput): Promise<ParseOutput>;
  stats(): ParsePoolStats;
  /**
   * Starts every worker not running yet, without work: each loads its
   * modules (~0.3 s of CPU) while the caller waits for something else, such
   * as the network, instead of when the first document arrives.
   */
  start(): void;
  /**
   * Stops the workers that are not reading anything; the next document
   * starts one again. A worker keeps its heap (~35 MB) while idle, and
   * starting one costs about half a second of CPU, so this suits the end of
   * a cycle, not a pause within one.
   */
  stopIdle(): Promise<void>;
  /** Stops every worker; queued and in-flight documents reject. Later `run` calls reject. Safe to call twice. */
  close(): Promise<void>;
}

/** Why a document was refused or abandoned by the pool itself (not by the parser). */
export class ParsePoolError extends BylineError {
  constructor(code: 'parse_pool_closed' | 'parse_pool_full' | 'parse_worker_failed', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

interface Job {
  id: number;
  input: ParseInput;
  resolve: (output: ParseOutput) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/** The bytes to post and what to transfer: a view of a shared or larger buffer is copied, never detached. */
function transferable(bytes: Uint8Array): { bytes: Uint8Array<ArrayBuffer>; transfer: ArrayBuffer[] } {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    return { bytes: new Uint8Array(buffer), transfer: [buffer] };
  }
  const copy = new Uint8Array(bytes);
  return { bytes: copy, transfer: [copy.buffer] };
}

/** The error the in-thread pipeline would have thrown for this failure. */
function rebuildError(failure: WorkerFailure): Error {
  if (failure.parseCode) return new ParseError(failure.parseCode, failure.message);
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}

/** Creates a pool; workers start on first use and never keep the process alive while idle. */
export function createParsePool(options: ParsePoolOptions = {}): ParsePool {
  const size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
  const maxQueue = Math.max(0, options.maxQueue ?? 1024);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const mainLimitMb = Math.floor(getHeapStatistics().heap_size_limit / (1024 * 1024));
  const resourceLimits: ResourceLimits = {
    maxYoungGenerationSizeMb: options.youngGenerationMb ?? 16,
    maxOldGenerationSizeMb: options.oldGenerationMb ?? Math.min(DEFAULT_OLD_GENERATION_MB, mainLimitMb),
  };
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let peakBusy = 0;
  let completed = 0;

  const busyCount = (): number => slots.filter((slot) => slot.job !== null).length;

  const settle = (slot: Slot): Job | null => {
    const job = slot.job;
    slot.job = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    // An idle worker must not hold the process open (a CLI command that forgot close() still exits).
    slot.worker.unref();
    return job;
  };

  const retire = (slot: Slot, reason: Error): void => {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    settle(slot)?.reject(reason);
    void slot.worker.terminate();
    pump();
  };

  const addSlot = (): Slot => {
    const slot: Slot = { worker: startModuleWorker(import.meta.url, 'parse-worker', { resourceLimits }), job: null, timer: null };
    slot.worker.on('message', (message: unknown) => {
      if (!slots.includes(slot)) return;
      const reply = ParseReplyEnvelopeSchema.safeParse(message);
      const job = slot.job;
      if (!job || !reply.success || reply.data.id !== job.id) {
        const detail = reply.success ? 'a reply for another document' : reply.error.message;
        retire(slot, new ParsePoolError('parse_worker_failed', `parse worker: unexpected reply: ${detail}`));
        return;
      }
      settle(slot);
      completed++;
      if (reply.data.ok) job.resolve(reply.data.output);
      else job.reject(rebuildError(reply.data.error));
      pump();
    });
    const failed = (detail: string, cause?: unknown): void => {
      if (!slots.includes(slot)) return;
      retire(slot, new ParsePoolError('parse_worker_failed', `parse worker: ${detail}`, { cause }));
    };
    slot.worker.on('error', (error) => failed(error.message, error));
    slot.worker.on('messageerror', (error) => failed(error.message, error));
    slot.worker.on('exit', (code) => failed(`exited with code ${code}`));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    slot.worker.unref();
    slots.push(slot);
    return slot;
  };

  const dispatch = (slot: Slot, job: Job): void => {
    slot.job = job;
    slot.worker.ref();
    const { bytes, transfer } = transferable(job.input.bytes);
    const request: ParseRequest = { ...job.input, id: job.id, bytes };
    slot.worker.postMessage(request, transfer);
    slot.timer = setTimeout(() => {
      // A document that takes this long is hostile or pathological; the thread is not reusable mid-task.
      retire(slot, new ParseError('parse_error', `parse: gave up after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    slot.timer.unref();
    peakBusy = Math.max(peakBusy, busyCount());
  };

  function pump(): void {
    while (!closed && queue.length > 0) {
      const slot = slots.find((candidate) => candidate.job === null) ?? (slots.length < size ? addSlot() : null);
      if (!slot) return;
      dispatch(slot, queue.shift()!);
    }
  }

  return {
    run(input) {
      if (closed) return Promise.reject(new ParsePoolError('parse_pool_closed', 'parse pool: closed'));
      const idle = slots.some((slot) => slot.job === null) || slots.length < size;
      if (!idle && queue.length >= maxQueue) {
        return Promise.reject(new ParsePoolError('parse_pool_full', `parse pool: ${queue.length} documents already waiting`));
      }
      return new Promise<ParseOutput>((resolve, reject) => {
        queue.push({ id: nextId++, input, resolve, reject });
        pump();
      });
    },
    stats() {
      return { size, workers: slots.length, busy: busyCount(), queued: queue.length, peakBusy, completed };
    },
    start() {
      while (!closed && slots.length < size) addSlot();
    },
    async stopIdle() {
      const idle = slots.filter((slot) => slot.job === null);
      // Out of `slots` first, so their exit is not taken for a failure.
      for (const slot of idle) slots.splice(slots.indexOf(slot), 1);
      await Promise.all(idle.map((slot) => slot.worker.terminate()));
    },
    async close() {
      if (closed) return;
      closed = true;
      const reason = new ParsePoolError('parse_pool_closed', 'parse pool: closed');
      for (const job of queue.splice(0)) job.reject(reason);
      const stopping = slots.splice(0);
      for (const slot of stopping) settle(slot)?.reject(reason);
      await Promise.all(stopping.map((slot) => slot.worker.terminate()));
    },
  };
}
