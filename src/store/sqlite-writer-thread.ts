/**
 * The code the SQLite writer thread runs (see sqlite-writer.ts): its own
 * connection, the writes grouped into IMMEDIATE transactions (each write under
 * a savepoint of its own), and the checkpoint policy.
 * Plain CommonJS evaluated in the worker, so it runs the same from dist/ and
 * from TypeScript sources under tsx. What it is told (the file, the limits,
 * the thresholds) comes in workerData. The values arrive encoded, as UTF-8
 * (see packRows in sqlite-pack.ts).
 */

/**
 * One write as the thread receives it (built by packRows in sqlite-pack.ts):
 * row i is keys[i], expires[i], and the UTF-8 of its value in
 * bytes[ends[i - 1] ?? 0, ends[i]).
 */
export interface PackedRows {
  keys: string[];
  expires: Array<number | null>;
  ends: number[];
  bytes: ArrayBuffer;
}

/** A row to remove after the upserts: full key, and the text it must still hold (null: any). */
export type DeleteRow = [key: string, ifText: string | null];

/*
 * A write message is { id, rows: PackedRows, deletes?: DeleteRow[], fence?: string }:
 * with a fence, the write is applied only if the cycle_lock row still holds
 * that owner record, unexpired, in the transaction that applies it.
 */

export const WRITER_THREAD_SOURCE = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const Database = require(workerData.driver);
try {
  // Below the event loop's priority, above the parse workers' (Linux: a thread's nice value is its own).
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isSafeInteger(tid) && tid > 0) require('node:os').setPriority(tid, workerData.nice);
} catch {
  // No /proc/thread-self (not Linux) or not permitted: normal priority.
}
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('cache_size = ' + -workerData.cacheKib);
  db.pragma('journal_size_limit = ' + workerData.walSizeLimitBytes);
} catch (error) {
  parentPort.postMessage({ fatal: String((error && error.message) || error) });
  process.exit(1);
}
// A blob cast to TEXT is taken as text in the database's encoding: its bytes are stored as they are.
const utf8 = db.pragma('encoding', { simple: true }) === 'UTF-8';
const upsert = db.prepare(
  'INSERT INTO kv (key, value, expires) VALUES (?, ' + (utf8 ? 'CAST(? AS TEXT)' : '?') + ', ?) ' +
  'ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
);
const remove = db.prepare('DELETE FROM kv WHERE key = ? AND (? IS NULL OR value = ?)');
// Prepared on first use: the store creates the lock table after this thread starts.
let lockRow = null;
// Whether each fence held, for the transaction being written: one lookup per fence and transaction.
let fences = new Map();
function fenceHolds(fence) {
  let holds = fences.get(fence);
  if (holds === undefined) {
    lockRow ??= db.prepare('SELECT owner, expires FROM cycle_lock WHERE name = ?');
    const row = lockRow.get(workerData.lockName);
    holds = row !== undefined && row.owner === fence && Number(row.expires) > Date.now();
    fences.set(fence, holds);
  }
  return holds;
}
function applyWrite(write) {
  if (write.fence && !fenceHolds(write.fence)) {
    const error = new Error('the cycle lock this write was made under is no longer held by its owner');
    error.code = workerData.fenceRefusedCode;
    throw error;
  }
  const written = applyRows(write.rows);
  if (write.deletes) for (const [key, ifText] of write.deletes) remove.run(key, ifText, ifText);
  return written;
}
function applyRows(rows) {
  const bytes = Buffer.from(rows.bytes);
  let start = 0;
  for (let i = 0; i < rows.keys.length; i++) {
    const end = rows.ends[i];
    upsert.run(rows.keys[i], utf8 ? bytes.subarray(start, end) : bytes.toString('utf8', start, end), rows.expires[i]);
    start = end;
  }
  return start;
}
function refuse(id, error) {
  parentPort.postMessage({ id, ok: false, message: String((error && error.message) || error), code: error && error.code });
}
// Called inside writeAll's transaction, better-sqlite3 runs it under a savepoint: a write that fails is undone alone.
const writeOne = db.transaction(applyWrite);
// A failure that SQLite answers by rolling back the whole transaction (a full disk, an I/O error) ends it,
// and every write of the batch fails with it.
const writeAll = db.transaction((writes, written, refused) => {
  fences = new Map();
  let bytes = 0;
  for (const write of writes) {
    try {
      bytes += writeOne(write);
      written.push(write.id);
    } catch (error) {
      if (!db.inTransaction) throw error;
      refuse(write.id, error);
      refused.add(write.id);
    }
  }
  return bytes;
});
let transactions = 0;
// Writes waiting for their transaction, and what they hold.
let batch = [];
let batchBytes = 0;
let linger = null;
let closing = false;
// One IMMEDIATE transaction for the batch and whatever is queued behind it; returns the bytes committed.
function writeBatch() {
  if (linger) clearTimeout(linger);
  linger = null;
  for (let next; batchBytes < workerData.groupCapBytes && (next = receiveMessageOnPort(parentPort)); ) {
    if (next.message.op === 'close') {
      closing = true;
      break;
    }
    take(next.message);
  }
  const writes = batch;
  batch = [];
  batchBytes = 0;
  if (writes.length === 0) return 0;
  const written = [];
  const refused = new Set();
  try {
    const bytes = writeAll.immediate(writes, written, refused);
    transactions++;
    if (written.length > 0) parentPort.postMessage({ ids: written, ok: true, transactions });
    return bytes;
  } catch (error) {
    for (const write of writes) if (!refused.has(write.id)) refuse(write.id, error);
    return 0;
  }
}
function take(message) {
  batch.push(message);
  batchBytes += message.rows.bytes.byteLength;
}
let pending = 0;
let idle = null;
// Copies what no reader still needs, never waiting for one (SQLite calls no busy handler in PASSIVE
// mode); true when that was the whole WAL.
function passive() {
  const result = db.pragma('wal_checkpoint(PASSIVE)')[0];
  return result.busy === 0 && result.log === result.checkpointed;
}
// In a pause the WAL file is also emptied, once everything is copied and without waiting: TRUNCATE
// waits for any reader still on the WAL (up to the busy timeout), and every commit queues behind it.
function inPause() {
  if (!passive()) return false;
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
  }
  return true;
}
function checkpoint(run) {
  if (idle) clearTimeout(idle);
  idle = null;
  let complete = false;
  try {
    complete = run();
    parentPort.postMessage({ checkpoint: true, ok: true });
  } catch (error) {
    parentPort.postMessage({ checkpoint: true, ok: false, error: String((error && error.message) || error) });
  }
  // What a reader kept in the WAL is copied in the next pause after a write.
  pending = complete ? 0 : workerData.checkpointAfterBytes;
}
function close() {
  // What waited for a pause goes to the database file now, not in whichever connection closes last.
  if (pending > 0) checkpoint(passive);
  db.close();
  parentPort.close();
}
function flush() {
  pending += writeBatch();
  if (closing) return close();
  if (pending >= workerData.checkpointCapBytes) {
    checkpoint(passive);
  } else if (pending >= workerData.checkpointAfterBytes) {
    // Idle, it also empties the WAL file: cutting a 500 MB WAL back took the first commit after it ~0.3 s.
    if (idle) idle.refresh();
    else idle = setTimeout(checkpoint, workerData.checkpointIdleMs, inPause);
  }
}
parentPort.on('message', (message) => {
  if (message.op === 'close') {
    closing = true;
    return flush();
  }
  take(message);
  // A small write waits a moment for company; a large one, or a batch grown large, goes at once.
  if (batchBytes >= workerData.groupBytes || workerData.groupLingerMs <= 0) flush();
  else if (linger === null) linger = setTimeout(flush, workerData.groupLingerMs);
});
`;
