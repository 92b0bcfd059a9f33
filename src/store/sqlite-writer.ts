/**
 * The SQLite store's writes and WAL checkpoints, on a worker thread with its
 * own connection. better-sqlite3 is synchronous: on the event loop, a cold
 * cycle's commits (tens of megabytes), SQLite's automatic checkpoints (which
 * copy the WAL into the database and fsync it inside whichever commit crosses
 * the threshold) and any wait for another process's write lock would stall
 * every request the server is answering. Here they cost the event loop the
 * encoding of each commit's values and one postMessage. Checkpoints wait until the writes pause (see
 * CHECKPOINT_IDLE_MS). Reads stay on the caller's connection: WAL readers
 * never wait for the writer, and a commit is acknowledged only once it is
 * durable in the WAL, so a read after an awaited write sees it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { FENCE_REFUSED_CODE } from './commit-writer.js';
import { CYCLE_LOCK_KEY } from './lock-record.js';
import { packRows, type WriteRow } from './sqlite-pack.js';
import { WRITER_THREAD_SOURCE, type DeleteRow } from './sqlite-writer-thread.js';

export type { DeleteRow } from './sqlite-writer-thread.js';
export type { WriteRow } from './sqlite-pack.js';

/** Bytes committed since the last checkpoint that make the writer run one once it idles (SQLite's default is ~4 MB). */
export const CHECKPOINT_AFTER_BYTES = 8 * 1024 * 1024;

/**
 * How long the writer waits without a write before it checkpoints. A
 * checkpoint fsyncs the WAL and the database file, and every commit queued
 * behind it waits: checkpointing every 8 MB took ~1.5-2 s of a cold cycle of
 * 500 sources, while the fetches and the parse workers waited on commits.
 * Deferred until the writes pause (after the cycle, in practice), the same
 * cold cycle took ~1 s less, and the one checkpoint after it 1.5-2.5 s. In a
 * pause the writer also empties the WAL file (TRUNCATE) once all of it is
 * copied. It never waits for a reader: frames a reader still needs stay in
 * the WAL until the next pause after a write.
 */
export const CHECKPOINT_IDLE_MS = 500;

/**
 * Bytes committed since the last checkpoint after which the writer
 * checkpoints without waiting for a pause, so that the WAL stays bounded
 * while writes never stop. The WAL takes ~2.2 times the bytes committed (each
 * commit rewrites pages of the key index and of the table): ~670 MB for the
 * first cycle of 1,000 sources of 50 items, which stays under it. At 256 MB
 * (when the WAL took ~3.5 times, before articles were kept under their
 * source) that cycle reached the cap, and its one checkpoint of ~900 MB held
 * every commit long enough to cost it the gain of deferring.
 */
export const CHECKPOINT_CAP_BYTES = 384 * 1024 * 1024;

/**
 * How long a small write waits for others to share its transaction, in ms.
 * A warm cycle commits one small row per source (its state after a 304):
 * 500 transactions of one row each, every one taking the write lock and
 * writing to the WAL, and 500 confirmations for the event loop to handle.
 * Answers arrive in bursts (a cycle starts many requests at once), so a short
 * wait groups most of them: in-process warm cycles of 500 sources took
 * 189-211 ms of CPU against 219-258 ms, and ~40 ms longer. Each write still
 * lands or fails on its own (a savepoint each), and is confirmed only once
 * its transaction is committed.
 */
export const GROUP_LINGER_MS = 2;

/** A write (or a waiting batch) of this many bytes of values goes at once, without waiting: a document's articles do. */
export const GROUP_BYTES = 64 * 1024;

/** Writes already queued join the transaction being written until it holds this many bytes of values. */
export const GROUP_CAP_BYTES = 8 * 1024 * 1024;

/**
 * Size the WAL file is cut back to when a write reuses it after a complete
 * checkpoint, instead of keeping its peak (a first cycle can take it to
 * several hundred MB). A per-connection setting: the connection that reuses the WAL is the
 * writer's, so it is set there too. A checkpoint in a pause empties the file
 * outright (TRUNCATE), so only a checkpoint at the cap leaves this to a write.
 */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Cap on the writer's young generation, in MB. V8 sizes a thread's nursery
 * for throughput (32 MB here by default), but everything this thread
 * allocates is one commit's rows, dead as soon as the transaction ends. Each
 * commit allocates several times its articles' size (the cloned rows and
 * their JSON): at 8 MB a cold cycle of 1,000 sources ran ~600 young
 * collections on this thread, each copying the commit in hand, ~0.8 s in all;
 * 16 MB halves both for ~5 MB more resident, and 32 MB cost ~30 MB more.
 */
export const WRITER_YOUNG_GENERATION_MB = 16;

/**
 * Page cache per connection, in KiB: SQLite's own default. better-sqlite3's
 * build raises it to 16 MiB, which a cold cycle of 1,000 sources fills
 * (14 MB more resident for the two connections) without making its commits
 * or reads any faster: the pages are in the OS cache and the WAL anyway.
 */
export const DEFAULT_CACHE_KIB = 2000;

/**
 * Nice value of the writer thread on Linux: below the event loop, so a commit
 * never takes the core from a request, and above the parse workers (nice 10),
 * so that commits, which hold their articles until written, keep up with
 * parsing, which only holds fetched bytes.
 */
export const WRITER_NICE = 5;

/** Options of {@link startWriter}. */
export interface WriterOptions {
  /** Database file, already created (kv table included) and in WAL mode. */
  file: string;
  busyTimeoutMs: number;
  /** Default {@link CHECKPOINT_AFTER_BYTES}. */
  checkpointAfterBytes?: number;
  /** Default {@link CHECKPOINT_IDLE_MS}. */
  checkpointIdleMs?: number;
  /** Default {@link CHECKPOINT_CAP_BYTES}. */
  checkpointCapBytes?: number;
  /** Page cache of the writer's connection, in KiB; default {@link DEFAULT_CACHE_KIB}. */
  cacheKib?: number;
  /** Default {@link WAL_SIZE_LIMIT_BYTES}. */
  walSizeLimitBytes?: number;
  /** Default {@link GROUP_LINGER_MS}; 0 writes every write in a transaction of its own (and those queued behind it). */
  groupLingerMs?: number;
  /** The worker died: the caller must write and checkpoint on its own connection from now on. */
  onFailed: (error: Error) => void;
}

/** A write the worker refused; carries SQLite's error code like the driver's own errors do. */
export class SqliteWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/** The writer thread as the adapter sees it. */
export interface SqliteWriter {
  /** Whether the worker is usable (false once it failed or closed). */
  readonly alive: boolean;
  /**
   * Upserts every row, then removes every delete that still matches, all or
   * none, in an IMMEDIATE transaction it may share with other writes; rejects
   * with a {@link SqliteWriteError}. With a `fence`, none unless that record
   * holds the cycle lock in that transaction (code {@link FENCE_REFUSED_CODE}).
   */
  write(rows: WriteRow[], deletes?: DeleteRow[], fence?: string | null): Promise<void>;
  /** Checkpoints completed, the last checkpoint error and transactions committed, for tests and diagnostics. */
  stats(): { checkpoints: number; lastError: string | null; transactions: number };
  /** Finishes queued writes, then stops the worker. */
  close(): Promise<void>;
}

type Written = { ids: number[]; ok: true; transactions: number };
type Refused = { id: number; ok: false; message?: string; code?: string };
type Reply = Written | Refused | { checkpoint: true; ok: boolean; error?: string } | { fatal: string };

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/** Starts the writer thread for `options.file`. */
export function startWriter(options: WriterOptions): SqliteWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WRITER_THREAD_SOURCE, {
    eval: true,
    workerData: {
      driver,
      file: options.file,
      busyTimeoutMs: options.busyTimeoutMs,
      checkpointAfterBytes: options.checkpointAfterBytes ?? CHECKPOINT_AFTER_BYTES,
      checkpointIdleMs: options.checkpointIdleMs ?? CHECKPOINT_IDLE_MS,
      checkpointCapBytes: options.checkpointCapBytes ?? CHECKPOINT_CAP_BYTES,
      cacheKib: Math.max(1, Math.trunc(options.cacheKib ?? DEFAULT_CACHE_KIB)),
      walSizeLimitBytes: Math.max(0, Math.trunc(options.walSizeLimitBytes ?? WAL_SIZE_LIMIT_BYTES)),
      nice: WRITER_NICE,
      groupLingerMs: Math.max(0, options.groupLingerMs ?? GROUP_LINGER_MS),
      groupBytes: GROUP_BYTES,
      groupCapBytes: GROUP_CAP_BYTES,
      lockName: CYCLE_LOCK_KEY,
      fenceRefusedCode: FENCE_REFUSED_CODE,
    },
    resourceLimits: { maxYoungGenerationSizeMb: WRITER_YOUNG_GENERATION_MB },
  });
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let alive = true;
  let closing = false;
  let checkpoints = 0;
  let lastError: string | null = null;
  let transactions = 0;
  // Only pending writes keep the process alive; an idle writer must not hold a finished command open.
  worker.unref();

  const fail = (error: Error): void => {
    if (!alive) return;
    alive = false;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
    if (!closing) options.onFailed(error);
  };
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      fail(new Error(`sqlite writer thread exited (${code})`));
      resolve();
    }),
  );
  worker.on('error', (error: unknown) => fail(error instanceof Error ? error : new Error(describe(error))));
  const settle = (id: number): { resolve: () => void; reject: (error: Error) => void } | undefined => {
    const entry = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) worker.unref();
    return entry;
  };
  worker.on('message', (reply: Reply) => {
    if ('fatal' in reply) {
      fail(new Error(`sqlite writer cannot open ${options.file}: ${reply.fatal}`));
    } else if ('checkpoint' in reply) {
      checkpoints++;
      lastError = reply.ok ? null : (reply.error ?? 'unknown error');
    } else if ('ids' in reply) {
      transactions = reply.transactions;
      for (const id of reply.ids) settle(id)?.resolve();
    } else {
      settle(reply.id)?.reject(new SqliteWriteError(reply.message ?? 'write failed', reply.code));
    }
  });

  return {
    get alive() {
      return alive;
    },
    write(rows: WriteRow[], deletes: DeleteRow[] = [], fence: string | null = null): Promise<void> {
      if (!alive) return Promise.reject(new Error('sqlite writer thread is not running'));
      // Encoded before anything waits on it: a value that cannot be encoded fails this write alone.
      const packed = packRows(rows);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, rows: packed, ...(deletes.length > 0 ? { deletes } : {}), ...(fence !== null ? { fence } : {}) }, [packed.bytes]);
      });
    },
    stats: () => ({ checkpoints, lastError, transactions }),
    async close(): Promise<void> {
      if (!alive) return;
      closing = true;
      // Messages are handled in order, so every write posted before this one finishes first.
      worker.ref();
      worker.postMessage({ op: 'close' });
      await exited;
    },
  };
}
