/**
 * Packs a write's rows for the SQLite writer thread (sqlite-writer.ts): the
 * keys and expiries as they are, every value encoded (codec.ts) into one
 * buffer of UTF-8 that is transferred to the thread, not copied.
 */
import { envelopeParts } from './codec.js';
import type { PackedRows } from './sqlite-writer-thread.js';

/**
 * One row to upsert: full key, value, expiry (epoch ms) or null. The value is
 * encoded text, or a plain-data envelope to encode (codec.ts, encodeEnvelope).
 */
export type WriteRow = [key: string, value: string | object, expires: number | null];

/** Size {@link packRows} encodes into first, and keeps between commits; a larger commit's room is let go after it. */
const SCRATCH_BYTES = 1024 * 1024;
let scratch: Buffer | null = null;

/** The scratch buffer with room for `needed` bytes, its first `used` bytes kept. */
function scratchFor(used: number, needed: number): Buffer {
  if (scratch !== null && scratch.length >= needed) return scratch;
  const grown = Buffer.allocUnsafeSlow(Math.max(SCRATCH_BYTES, needed, 2 * (scratch?.length ?? 0)));
  scratch?.copy(grown, 0, 0, used);
  scratch = grown;
  return grown;
}

/**
 * The rows as the writer thread takes them: every value encoded here and its
 * UTF-8 written into one buffer, which is transferred, not copied. The thread
 * binds slices of it, which SQLite stores as they are. A structured clone of
 * the envelopes cost the thread ~1 ms per document of 50 articles to read
 * back, plus ~0.5 ms for SQLite to convert each value to UTF-8 itself, and
 * this thread about what encoding and writing them costs (~0.8 ms).
 *
 * The values are encoded into a scratch buffer first and copied out at their
 * exact size: measuring a string's UTF-8 length first (Buffer.byteLength)
 * cost about as much again as encoding it, where the copy is a memcpy. A
 * UTF-16 code unit takes at most 3 bytes of UTF-8, so reserving 3 per unit
 * means Buffer#write never runs out of room (it would cut the text short).
 */
export function packRows(rows: WriteRow[]): PackedRows {
  const ends: number[] = [];
  let offset = 0;
  const write = (text: string): void => {
    offset += scratchFor(offset, offset + 3 * text.length).write(text, offset);
  };
  try {
    for (const [, value] of rows) {
      if (typeof value === 'string') write(value);
      else for (const part of envelopeParts(value)) write(part);
      ends.push(offset);
    }
    const bytes = Buffer.allocUnsafeSlow(offset);
    if (offset > 0) scratch!.copy(bytes, 0, 0, offset);
    return { keys: rows.map(([key]) => key), expires: rows.map(([, , expires]) => expires), ends, bytes: bytes.buffer };
  } finally {
    if (scratch !== null && scratch.length > SCRATCH_BYTES) scratch = null;
  }
}
