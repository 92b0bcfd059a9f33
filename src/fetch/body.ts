/**
 * Reads a response body into memory under two caps enforced while streaming:
 * bytes off the wire (`too_large`) and bytes after decompression
 * (`decompression_limit`), so neither a huge download nor a gzip bomb can fill
 * memory. Decodes gzip, deflate (zlib-wrapped or raw) and br with node:zlib
 * (codings.ts).
 */
import { createHash } from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { accumulator, type Accumulator } from './accumulator.js';
import type { BlockPool } from './blocks.js';
import { decoderFor, isSupportedCoding, readsAsItCame } from './codings.js';
import { FetchFailure } from './failure.js';
import type { WireBody } from './request.js';

/** Limits and context for one body. */
export interface BodyOptions {
  /** Content-Encoding codings in the order they were applied (see parseContentEncoding). */
  encodings: readonly string[];
  maxBytes: number;
  maxDecompressedBytes: number;
  /** Content-Length when the server sent one. */
  declaredLength: number | null;
  /** Aborting destroys the stream with `signal.reason`. */
  signal: AbortSignal;
  /**
   * Hex SHA-256 of the body the caller already has from this URL. A body that
   * hashes the same is never assembled (see {@link accumulator}).
   */
  knownSha256?: string | null;
  /**
   * Hex SHA-256 of that body's bytes as they came off the wire, still
   * encoded. With both hashes known, an encoded body is gathered before it
   * is decoded, and not decoded at all when it hashes the same.
   */
  knownWireSha256?: string | null;
  /** Where a body of unknown length, or of known hash, gathers. */
  blocks: BlockPool;
}

/** The decoded body, its hash, and how many bytes it took on the wire. */
export interface BodyOutcome {
  /** Null when the body hashes as `knownSha256`: the caller has these bytes already. */
  body: Buffer | null;
  /** Hex SHA-256 of the decoded body. */
  sha256: string;
  wireBytes: number;
  /** Hex SHA-256 of the bytes on the wire (the same as `sha256` without a content coding). */
  wireSha256: string;
}

/** Looks at the first chunk (left in the stream) without switching it to flowing mode; null when the body is empty. */
function firstChunk(stream: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onReadable = (): void => {
      const chunk: unknown = stream.read();
      if (chunk === null) return; // at the end; 'end' follows
      cleanup();
      const first = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      // Put it back in this same tick: once the buffer is empty, 'end' is due on the next one.
      stream.unshift(first);
      resolve(first);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(prematureClose());
    };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}

/** A decoder's error for input that ended inside its data (zlib's code; gzip-members.ts uses it too). */
function ranOut(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'Z_BUF_ERROR';
}

/** The pipeline's own error for a stream that closed before its end (no decoder raises it). */
function isPrematureClose(error: Error): boolean {
  return 'code' in error && error.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** Counts and hashes bytes passing through, and fails once they exceed `limit`. */
function meter(limit: number, onExceed: () => FetchFailure): { stream: Transform; count: () => number; sha256: () => string } {
  let total = 0;
  const hash = createHash('sha256');
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      hash.update(chunk);
      if (total > limit) callback(onExceed());
      else callback(null, chunk);
    },
  });
  return { stream, count: () => total, sha256: () => hash.digest('hex') };
}

/** The accumulator as the last stage of a decoding pipeline, failing with `onExceed()` past its limit. */
function collector(
  limit: number,
  known: string | null,
  blocks: BlockPool,
  onExceed: () => FetchFailure,
): { stream: Writable; result: Accumulator['result'] } {
  const collected = accumulator(limit, null, known, blocks);
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      callback(collected.add(chunk) ? null : onExceed());
    },
  });
  return { stream, result: () => collected.result() };
}

/**
 * Reads a body without content coding straight from the stream's chunks. A
 * cycle reads hundreds of such bodies, and a pipeline of a meter and a
 * collector cost each one ~150 µs more of the event loop's time: two stream
 * hand-offs per chunk, and the pipeline's own abort signal, aborted with an
 * AbortError (a stack trace) once the body is read.
 */
function readPlain(stream: Readable, maxBytes: number, declaredLength: number | null, known: string | null, blocks: BlockPool): Promise<BodyOutcome> {
  return new Promise((resolve, reject) => {
    const collected = accumulator(maxBytes, declaredLength, known, blocks);
    const settle = (error: unknown): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', settle);
      stream.off('close', onClose);
      if (error === null) resolve(outcomeOf(collected));
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      if (collected.add(chunk)) return;
      settle(new FetchFailure({ kind: 'too_large', limit: maxBytes, declared: null }));
      stream.destroy();
    };
    const onEnd = (): void => settle(null);
    const onClose = (): void => settle(prematureClose());
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', settle);
    stream.once('close', onClose);
  });
}

/** What an accumulator of bytes without content coding collected: the wire's bytes are the body's. */
function outcomeOf(collected: Accumulator): BodyOutcome {
  const { body, sha256 } = collected.result();
  return { body, sha256, wireBytes: collected.total(), wireSha256: sha256 };
}

/** Reads a body without content coding from the connection's reads, copying each into the accumulator. */
function readWire(body: WireBody, maxBytes: number, declaredLength: number | null, known: string | null, blocks: BlockPool): Promise<BodyOutcome> {
  return new Promise((resolve, reject) => {
    const collected = accumulator(maxBytes, declaredLength, known, blocks);
    let over = false;
    body.consume({
      data(view) {
        if (over || collected.add(view)) return;
        over = true;
        body.discard();
        reject(new FetchFailure({ kind: 'too_large', limit: maxBytes, declared: null }));
      },
      end() {
        if (!over) resolve(outcomeOf(collected));
      },
      error(error) {
        if (!over) reject(error);
      },
    });
  });
}

/** A stream that closed before its end: reported like a reset connection. */
function prematureClose(): Error {
  return Object.assign(new Error('connection closed before the body was complete'), { code: 'ECONNRESET' });
}

/**
 * Reads `stream` to the end under the caps of `options`. Throws a FetchFailure
 * (too_large, decompression_limit, decode, unsupported_encoding), the abort
 * reason, or the stream's own error (connection reset...).
 */
export async function readBody(source: Readable | WireBody, options: BodyOptions): Promise<BodyOutcome> {
  const { encodings, maxBytes, maxDecompressedBytes, declaredLength, signal, blocks } = options;
  const known = options.knownSha256 ?? null;
  // Every phase below listens for errors itself; this keeps a late error from a
  // stream already given up on from crashing the process, and notes each one:
  // the pipeline hands the first error to every stream it destroys, and a
  // decoder emitting the connection's error (a body cut short) did not fail to decode.
  const upstreamErrors = new WeakSet<Error>();
  const noteError = (error: Error): void => void upstreamErrors.add(error);
  if (source instanceof Readable) source.on('error', noteError);
  const refuse = (reason: unknown): never => {
    if (source instanceof Readable) source.destroy();
    else source.discard();
    throw reason;
  };
  if (declaredLength !== null && declaredLength > maxBytes) {
    refuse(new FetchFailure({ kind: 'too_large', limit: maxBytes, declared: declaredLength }));
  }
  if (signal.aborted) refuse(signal.reason);
  // Read straight from the connection; its exchange watches the signal and fails the body itself.
  if (!(source instanceof Readable) && encodings.length === 0) return readWire(source, maxBytes, declaredLength, known, blocks);

  let stream = source instanceof Readable ? source : source.stream().on('error', noteError);

  const onAbort = (): void => {
    stream.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (encodings.length === 0) return await readPlain(stream, maxBytes, declaredLength, known, blocks);
    const knownWire = options.knownWireSha256 ?? null;
    if (known !== null && knownWire !== null) {
      // Most refreshes of a feed without validators get the same compressed bytes: they are then never decompressed.
      const gathered = await readPlain(stream, maxBytes, declaredLength, knownWire, blocks);
      if (gathered.body === null) return { body: null, sha256: known, wireBytes: gathered.wireBytes, wireSha256: knownWire };
      // An empty body is no chunk at all, as it would be read from the connection.
      stream = Readable.from(gathered.body.length > 0 ? [gathered.body] : []);
    }
    const first = await firstChunk(stream);
    if (first === null) {
      const empty = accumulator(0, null, known, blocks).result();
      return { ...empty, wireBytes: 0, wireSha256: empty.sha256 };
    }
    if (readsAsItCame(encodings, first)) return await readPlain(stream, maxBytes, declaredLength, known, blocks);
    const unsupported = encodings.find((coding) => !isSupportedCoding(coding));
    if (unsupported !== undefined) {
      stream.destroy();
      throw new FetchFailure({ kind: 'unsupported_encoding', encoding: unsupported });
    }

    const wire = meter(maxBytes, () => new FetchFailure({ kind: 'too_large', limit: maxBytes, declared: null }));
    // Decoders run outermost coding first, i.e. the reverse of the header's order.
    const outermostFirst = [...encodings].reverse();
    const decodeErrors = new WeakMap<Error, string>();
    let outermostError: Error | null = null;
    const decoders = outermostFirst.map((coding, index) => {
      const decoder = decoderFor(coding, index === 0 ? first : null);
      decoder.on('error', (error: Error) => {
        if (upstreamErrors.has(error) || isPrematureClose(error)) return;
        decodeErrors.set(error, coding);
        if (index === 0) outermostError ??= error;
      });
      return decoder;
    });
    const sink = collector(maxDecompressedBytes, known, blocks, () => new FetchFailure({ kind: 'decompression_limit', limit: maxDecompressedBytes }));

    try {
      await pipeline([stream, wire.stream, ...decoders, sink.stream]);
    } catch (error) {
      if (error instanceof FetchFailure) throw error;
      const encoding = error instanceof Error ? decodeErrors.get(error) : undefined;
      if (encoding !== undefined && ranOut(error) && error === outermostError && !(source instanceof Readable) && source.untilClose) {
        // The connection's close ended the body inside the outermost coding's data: cut short, not undecodable.
        throw new FetchFailure({ kind: 'truncated', framing: 'close', received: wire.count(), expected: null, coding: encoding }, { cause: error });
      }
      if (encoding !== undefined) throw new FetchFailure({ kind: 'decode', encoding }, { cause: error });
      // Reported as readPlain reports it, so a body cut short reads the same whatever its coding.
      if (error instanceof Error && isPrematureClose(error)) throw prematureClose();
      throw error;
    }
    return { ...sink.result(), wireBytes: wire.count(), wireSha256: wire.sha256() };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
