/**
 * A reader that stops early (`byline sources --json | head`, `byline fetch |
 * head -1`) closes the pipe byline writes to, and the next write fails with
 * EPIPE. Node reports that as an 'error' event on process.stdout or stderr,
 * which with no listener ends the process with a stack trace in the middle of
 * the command: a fetch would stop mid-cycle, holding the store's cycle lock.
 * Output nobody reads any more is no failure, so the command carries on without
 * it (the stream stays closed, and later writes to it are dropped) and exits
 * with its own code.
 */

/** Errors of a write to a stream whose reader has gone: the first one, then every write after it. */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/** Lets `stream` lose its reader quietly; any other error on it is thrown as before. */
export function ignoreClosedReader(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (READER_GONE.has(error.code ?? '')) return;
    throw error;
  });
}
