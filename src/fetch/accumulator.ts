/**
 * Where a response body's bytes gather while it streams in: under a size
 * cap, hashed as they arrive, copied out of the read that brought them (a
 * socket read's buffer is reused for the next read; see request.ts).
 */
import { createHash } from 'node:crypto';
import { BLOCK_SIZE, type BlockPool } from './blocks.js';

/** Bytes collected so far; see {@link accumulator}. */
export interface Accumulator {
  /** Copies a chunk in; false (and nothing kept) once the total exceeds the limit. */
  add(chunk: Buffer): boolean;
  /** The body (null when it hashes as the known one) and its hash; call once, at the end. */
  result(): { body: Buffer | null; sha256: string };
  total(): number;
}

/**
 * Collects and hashes chunks up to `limit` bytes.
 *
 * When the length is known up front (`expected`: Content-Length without a
 * content coding) and no hash is, the bytes are copied into one buffer of
 * that size: no second copy to join pieces, and the result owns its whole
 * ArrayBuffer, so the parse pool can hand it to a worker without copying.
 * The buffer is not zero-filled, so a server that declares a large body and
 * sends little costs address space, not resident memory.
 *
 * Otherwise the bytes go into blocks borrowed from `blocks`, joined into one
 * buffer only if the body turns out to differ from the `known` hash. Most
 * refreshes of a feed that sends no validators get the same bytes again;
 * their blocks go straight back to the pool, so such a refresh allocates
 * nothing for its body.
 */
export function accumulator(limit: number, expected: number | null, known: string | null, blocks: BlockPool): Accumulator {
  const hash = createHash('sha256');
  let total = 0;
  let filled: Buffer | null =
    known === null && expected !== null && expected > 0 && expected <= limit ? Buffer.allocUnsafeSlow(expected) : null;
  /** What `filled` held when more came than was declared; the rest of the body is in `held`. */
  let prefix: Buffer | null = null;
  const held: Buffer[] = [];
  /** Bytes used in the last block of `held`. */
  let used = BLOCK_SIZE;

  const hold = (chunk: Buffer): void => {
    for (let at = 0; at < chunk.length; ) {
      if (used === BLOCK_SIZE) {
        held.push(blocks.take());
        used = 0;
      }
      const copied = chunk.copy(held[held.length - 1]!, used, at, Math.min(chunk.length, at + BLOCK_SIZE - used));
      used += copied;
      at += copied;
    }
  };
  const release = (): void => {
    for (const block of held) blocks.give(block);
    held.length = 0;
    used = BLOCK_SIZE;
  };

  return {
    add(chunk) {
      const start = total;
      total += chunk.length;
      if (total > limit) {
        release();
        filled = null;
        prefix = null;
        return false;
      }
      hash.update(chunk);
      if (filled && total <= filled.length) {
        chunk.copy(filled, start);
        return true;
      }
      if (filled) {
        prefix = filled.subarray(0, start);
        filled = null;
      }
      hold(chunk);
      return true;
    },
    result() {
      const sha256 = hash.digest('hex');
      if (sha256 === known) {
        release();
        return { body: null, sha256 };
      }
      if (filled) return { body: total === filled.length ? filled : copyOf(filled.subarray(0, total)), sha256 };
      const body = Buffer.allocUnsafeSlow(total);
      let at = prefix ? prefix.copy(body, 0) : 0;
      held.forEach((block, index) => {
        at += block.copy(body, at, 0, index === held.length - 1 ? used : BLOCK_SIZE);
      });
      release();
      return { body, sha256 };
    },
    total: () => total,
  };
}

/**
 * A buffer of its own, never a slice of Node's shared pool (which small
 * Buffer.from copies use): the parse pool hands a buffer that owns its
 * ArrayBuffer to a worker without copying it.
 */
function copyOf(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}
