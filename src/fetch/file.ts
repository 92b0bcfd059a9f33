/**
 * Reads a file: URL from disk under the same size cap as the network, so a
 * local feed (or a mistaken /dev/zero) behaves like a remote one. The file's
 * mtime stands in for Last-Modified, which makes conditional reads work too.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BlockPool } from './blocks.js';
import { FetchFailure } from './failure.js';
import { readBody } from './body.js';

/** The outcome of reading a file: URL. */
export interface FileOutcome {
  /** Null when `ifModifiedSince` covers the file's mtime, or when the file hashes as `knownSha256`. */
  body: Buffer | null;
  /** Hex SHA-256 of the file's bytes; null when it was not read. */
  sha256: string | null;
  /** Bytes read from the file. */
  bytesRead: number;
  /** The mtime as an HTTP date. */
  lastModified: string;
}

/**
 * Reads `url`. Throws a FetchFailure (`file_read` carrying the fs error,
 * `too_large`) or the signal's reason.
 */
export async function readFileUrl(
  url: URL,
  options: { maxBytes: number; ifModifiedSince: string | null; knownSha256: string | null; signal: AbortSignal; blocks: BlockPool },
): Promise<FileOutcome> {
  let path = url.href;
  try {
    path = fileURLToPath(url);
    const info = await stat(path);
    if (info.isDirectory()) {
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString();
    const since = options.ifModifiedSince ? Date.parse(options.ifModifiedSince) : Number.NaN;
    if (!Number.isNaN(since) && Math.floor(info.mtimeMs / 1000) * 1000 <= since) {
      return { body: null, sha256: null, bytesRead: 0, lastModified };
    }
    if (info.isFile() && info.size > options.maxBytes) {
      throw new FetchFailure({ kind: 'too_large', limit: options.maxBytes, declared: info.size });
    }
    // Read at most one byte past the cap: enough to know it is too big, whatever stat said.
    const stream = createReadStream(path, { start: 0, end: options.maxBytes });
    const { body, sha256, wireBytes } = await readBody(stream, {
      encodings: [],
      maxBytes: options.maxBytes,
      maxDecompressedBytes: options.maxBytes,
      declaredLength: info.isFile() ? info.size : null,
      signal: options.signal,
      knownSha256: options.knownSha256,
      blocks: options.blocks,
    });
    return { body, sha256, bytesRead: wireBytes, lastModified };
  } catch (error) {
    if (error instanceof FetchFailure || options.signal.aborted) throw error;
    throw new FetchFailure({ kind: 'file_read', path }, { cause: error });
  }
}
