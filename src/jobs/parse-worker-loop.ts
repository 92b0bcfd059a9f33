/**
 * The parse pool's worker thread, once parse-worker.ts has lowered its
 * priority: reads one document at a time with the same readDocument the
 * refresh job runs in-thread without a pool, and answers with the candidates
 * or with the error, reduced to name, message and parse code. The candidates
 * are validated here, on the worker's core, before they cross the thread
 * boundary: the pool's thread is the one every fetch and commit waits on.
 */
import { parentPort } from 'node:worker_threads';
import { ParseError } from '../errors.js';
import { ParseOutputSchema, ParseRequestSchema, type ParseReply, type WorkerFailure } from './parse-messages.js';
import { readDocument } from './read-document.js';

function failure(error: unknown): WorkerFailure {
  if (error instanceof ParseError) return { name: error.name, message: error.message, parseCode: error.code };
  if (error instanceof Error) return { name: error.name, message: error.message, parseCode: null };
  return { name: 'Error', message: String(error), parseCode: null };
}

async function read(message: unknown): Promise<ParseReply> {
  const id = typeof message === 'object' && message !== null && 'id' in message && typeof message.id === 'number' ? message.id : 0;
  try {
    const output = ParseOutputSchema.parse(await readDocument(ParseRequestSchema.parse(message)));
    return { id, ok: true, output };
  } catch (error) {
    return { id, ok: false, error: failure(error) };
  }
}

const port = parentPort;
if (!port) throw new Error('parse-worker: must run as a worker thread (see parse-pool.ts)');
port.on('message', (message: unknown) => {
  void read(message).then((reply) => port.postMessage(reply));
});
