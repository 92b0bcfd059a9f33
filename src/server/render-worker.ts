/**
 * The render thread's worker: reads each revision's snapshot from its own
 * store connection and renders one path at a time from it, with the same
 * loadSnapshot and renderPath that `byline build` runs in-process. Both are
 * long synchronous stretches (decoding and validating a thousand stored
 * articles, then rendering them), which is why they run here and not on the
 * thread that answers requests. A snapshot is read when the main thread first
 * names it, and its archive page count goes back, so that thread can answer
 * a page past the count itself. The rendered text is encoded to UTF-8 here
 * and its buffer transferred, so the main thread neither encodes nor copies
 * the megabytes of a feed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createArchiveIndex } from '../jobs/archive.js';
import type { LearnedImage } from '../jobs/image-lengths.js';
import { loadSnapshot, renderPath, type PublishSnapshot } from '../jobs/publish.js';
import { lowerThisThreadPriority } from '../jobs/thread-priority.js';
import { createStore, type Store } from '../store/index.js';
import { RenderRequestSchema, RenderWorkerDataSchema, type RenderReply, type RenderRequest } from './render-messages.js';

/** Snapshots kept: the newest, and the one before it while builds of the old revision finish. */
const SNAPSHOTS_KEPT = 2;

const { config, store: storeOptions } = RenderWorkerDataSchema.parse(workerData);
const archiveIndex = createArchiveIndex();
const lengths = new Map<string, LearnedImage>();
const imageLengths = { get: (url: string) => lengths.get(url)?.length ?? null, typeOf: (url: string) => lengths.get(url)?.type ?? null };
const snapshots = new Map<number, Promise<PublishSnapshot>>();
const encoder = new TextEncoder();
let store: Promise<Store> | null = null;

function snapshotOf(key: number, now: string): Promise<PublishSnapshot> {
  let snapshot = snapshots.get(key);
  if (!snapshot) {
    if (!store) {
      // This connection only reads: no writer thread of its own.
      store = createStore({ ...storeOptions, writerThread: false });
      // A store that could not be opened is tried again by the next read.
      store.catch(() => (store = null));
    }
    snapshot = store.then((opened) => loadSnapshot(config, opened, { now: () => new Date(now), imageLengths, archiveIndex }));
    snapshots.set(key, snapshot);
    // A failed read must not stick: the next path of this revision reads again.
    snapshot.catch(() => snapshots.delete(key));
    for (const old of [...snapshots.keys()].sort((a, b) => a - b).slice(0, -SNAPSHOTS_KEPT)) snapshots.delete(old);
  }
  return snapshot;
}

/** Answers a request for a snapshot or a path; an error becomes a failed reply, for that request alone. */
async function answer(request: Exclude<RenderRequest, { type: 'close' }>): Promise<RenderReply> {
  try {
    if (request.lengths) {
      lengths.clear();
      for (const [url, learned] of request.lengths) lengths.set(url, learned);
    }
    const snapshot = await snapshotOf(request.key, request.now);
    if (request.type === 'snapshot') return { type: 'snapshot', id: request.id, archivePages: snapshot.archive.pageCount };
    const text = await renderPath(snapshot, request.path);
    return { type: 'rendered', id: request.id, bytes: text === null ? null : encoder.encode(text) };
  } catch (error) {
    const failure = error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
    return { type: 'failed', id: request.id, error: failure };
  }
}

const port = parentPort;
if (!port) throw new Error('render-worker: must run as a worker thread (see render-thread.ts)');
// Background work, like parsing: requests on the main thread come first (see thread-priority.ts).
lowerThisThreadPriority();
port.on('message', (message: unknown) => {
  // A request the main thread could not have sent is a bug: throwing ends the worker, which the thread reports.
  const request = RenderRequestSchema.parse(message);
  if (request.type === 'close') {
    void (store ?? Promise.resolve(null))
      .then((opened) => opened?.close())
      .catch(() => undefined)
      .finally(() => port.close());
    return;
  }
  void answer(request).then((reply) => {
    const bytes = reply.type === 'rendered' ? reply.bytes : null;
    // TextEncoder gives each result a buffer of its own, so handing it over detaches nothing else.
    const whole = bytes !== null && bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    port.postMessage(reply, whole ? [bytes.buffer] : []);
  });
});
