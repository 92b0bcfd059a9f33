/**
 * WAL checkpoints off the main thread. SQLite's automatic checkpoint runs
 * inside whichever commit crosses the threshold, copying megabytes into the
 * database file and fsyncing it: on the event loop that is a stall of 100 ms
 * and more in the middle of a cycle, and most of a cold cycle's store time.
 * The writing connection turns automatic checkpoints off, and a worker thread
 * with its own connection runs PASSIVE checkpoints, which never wait for a
 * lock and never block the writer, once enough has been written.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Bytes written since the last checkpoint that make the next commit ask for one (SQLite's default is ~4 MB). */
export const CHECKPOINT_AFTER_BYTES = 8 * 1024 * 1024;

// Plain CommonJS evaluated in the worker, so it runs the same from dist/ and from TypeScript sources under tsx.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
} catch (error) {
  parentPort.postMessage({ fatal: String((error && error.message) || error) });
  process.exit(1);
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error && error.message || error) });
  }
});
`;

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/** Asks a worker for checkpoints as writes accumulate; see the module comment. */
export interface Checkpointer {
  /** Records `bytes` just committed; starts a checkpoint when enough has built up and none is running. */
  wrote(bytes: number): void;
  /** Checkpoints completed and the last error the worker reported, for tests and diagnostics. */
  stats(): { requested: number; completed: number; lastError: string | null };
  /** Waits for a running checkpoint, then stops the worker. */
  close(): Promise<void>;
}

/** Options of {@link startCheckpointer}. */
export interface CheckpointerOptions {
  /** Database file, already created and in WAL mode. */
  file: string;
  thresholdBytes?: number;
  /** The worker died: the writer must take checkpoints back (or the WAL would grow without bound). */
  onFailed: (error: Error) => void;
}

/** Starts the checkpoint worker for `options.file`. */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const { file, thresholdBytes = CHECKPOINT_AFTER_BYTES } = options;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file } });
  // An idle checkpointer must not keep a finished command alive.
  worker.unref();
  let pending = 0;
  let running = false;
  let closing = false;
  let failed = false;
  let requested = 0;
  let completed = 0;
  let lastError: string | null = null;
  let idle: (() => void) | null = null;

  const settle = (error: string | null): void => {
    running = false;
    lastError = error;
    idle?.();
    idle = null;
  };
  const fail = (error: Error): void => {
    settle(error.message);
    if (failed || closing) return;
    failed = true;
    options.onFailed(error);
  };
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      fail(new Error(`checkpoint worker exited (${code})`));
      resolve();
    }),
  );
  worker.on('message', (reply: { ok?: boolean; error?: string; fatal?: string }) => {
    if (reply.fatal !== undefined) {
      fail(new Error(`checkpoint worker cannot open ${file}: ${reply.fatal}`));
      return;
    }
    completed++;
    settle(reply.ok ? null : (reply.error ?? 'unknown error'));
  });
  worker.on('error', (error: unknown) => fail(error instanceof Error ? error : new Error(describe(error))));

  return {
    wrote(bytes: number): void {
      pending += bytes;
      if (failed || running || pending < thresholdBytes) return;
      pending = 0;
      running = true;
      requested++;
      worker.postMessage('checkpoint');
    },
    stats: () => ({ requested, completed, lastError }),
    async close(): Promise<void> {
      if (running) await new Promise<void>((resolve) => (idle = resolve));
      closing = true;
      worker.postMessage('close');
      await exited;
    },
  };
}
