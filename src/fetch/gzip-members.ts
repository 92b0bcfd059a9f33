/**
 * A gzip decoder that reads the body member by member (RFC 1952 §2.2) and
 * stops at bytes that do not begin another member. Some servers and proxies
 * append a newline or padding after the compressed stream; browsers and curl
 * keep what decoded and ignore the rest, where node's Gunzip takes any
 * non-zero byte after a member for the start of the next and fails on it.
 * A member cut short or corrupt (its CRC or length does not match), and a
 * further one that begins with gzip's magic number and then breaks, still fail.
 */
import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

const ID1 = 0x1f;
const ID2 = 0x8b;
const CM_DEFLATE = 8;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;
const FIXED_HEADER = 10;
const TRAILER = 8;
/** A file name or comment this long is not a header any server sends; the cap keeps a bad one from growing. */
const MAX_HEADER = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/** Output pieces four times zlib's default: a 1 MB feed then costs a quarter of the stream hand-offs (and CRC calls). */
const OUTPUT_CHUNK = 64 * 1024;

/**
 * Errors with zlib's own codes, so they read as the decoder's: Z_BUF_ERROR
 * for input that ran out inside a member, as zlib's own decoders say it
 * (body.ts tells a body cut short by its connection's close so), else Z_DATA_ERROR.
 */
function gzipError(message: string, code: 'Z_DATA_ERROR' | 'Z_BUF_ERROR' = 'Z_DATA_ERROR'): Error {
  return Object.assign(new Error(message), { code });
}

/** Length of the member header `bytes` begins with; null while more bytes are needed. */
function headerLength(bytes: Buffer): number | null {
  if (bytes.length < FIXED_HEADER) return null;
  const flags = bytes[3] ?? 0;
  if (bytes[2] !== CM_DEFLATE || (flags & FRESERVED) !== 0) throw gzipError('invalid gzip header');
  let at = FIXED_HEADER;
  if (flags & FEXTRA) {
    if (bytes.length < at + 2) return null;
    at += 2 + bytes.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if ((flags & flag) === 0) continue;
    const end = at < bytes.length ? bytes.indexOf(0, at) : -1;
    if (end < 0) return null;
    at = end + 1;
  }
  if (flags & FHCRC) at += 2;
  return bytes.length >= at ? at : null;
}

type State = 'header' | 'data' | 'trailer' | 'ignored';

/** The decoder of the gzip content coding (codings.ts): compressed bytes in, the body out. */
export class GzipMembers extends Transform {
  private state: State = 'header';
  /** Header or trailer bytes gathered so far. */
  private pending: Buffer = EMPTY;
  /** Members read whole, trailer checked. */
  private members = 0;
  /** The current member's deflate data goes through its own raw inflater, which stops at the data's end. */
  private inflater: zlib.InflateRaw | null = null;
  /** Bytes given to that inflater: what it did not use of them follows the deflate data. */
  private fed = 0;
  /** CRC-32 and length (mod 2^32) of the member's output so far, for its trailer. */
  private crc = 0;
  private size = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.decodeChunk(chunk, callback);
  }

  override _flush(callback: TransformCallback): void {
    // After a whole member, nothing, or one byte (not yet a magic number), is the end of the body.
    const atEnd = this.state === 'ignored' || (this.state === 'header' && this.members > 0 && this.pending.length < 2);
    callback(atEnd ? null : gzipError('unexpected end of file', 'Z_BUF_ERROR'));
  }

  override _read(size: number): void {
    // The inflater was paused when this stream's buffer filled.
    this.inflater?.resume();
    super._read(size);
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.inflater?.destroy();
    callback(error);
  }

  /** Reads `chunk` in the current state; calls back once all of it is used. */
  private decodeChunk(chunk: Buffer, callback: TransformCallback): void {
    if (chunk.length === 0 || this.state === 'ignored') {
      callback();
      return;
    }
    if (this.state === 'data') {
      this.inflate(chunk, callback);
      return;
    }
    const bytes = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = EMPTY;
    if (this.state === 'trailer') {
      if (bytes.length < TRAILER) {
        this.pending = bytes;
        callback();
        return;
      }
      if (bytes.readUInt32LE(0) !== this.crc || bytes.readUInt32LE(4) !== this.size) {
        callback(gzipError('gzip member does not match its checksum or length'));
        return;
      }
      this.members += 1;
      this.state = 'header';
      this.decodeChunk(bytes.subarray(TRAILER), callback);
      return;
    }
    const magic = bytes[0] === ID1 && (bytes.length < 2 || bytes[1] === ID2);
    if (!magic && this.members > 0) {
      // Not another member: what a server appended after the stream.
      this.state = 'ignored';
      callback();
      return;
    }
    if (!magic) {
      callback(gzipError('incorrect header check'));
      return;
    }
    let length: number | null;
    try {
      length = headerLength(bytes);
    } catch (error) {
      callback(error as Error);
      return;
    }
    if (length === null) {
      this.pending = bytes;
      callback(bytes.length > MAX_HEADER ? gzipError('gzip header too long') : null);
      return;
    }
    this.startMember();
    this.decodeChunk(bytes.subarray(length), callback);
  }

  private startMember(): void {
    const inflater = zlib.createInflateRaw({ chunkSize: OUTPUT_CHUNK });
    this.inflater = inflater;
    this.state = 'data';
    this.fed = 0;
    this.crc = 0;
    this.size = 0;
    inflater.on('data', (out: Buffer) => {
      if (this.destroyed) return;
      this.crc = zlib.crc32(out, this.crc);
      this.size = (this.size + out.length) >>> 0;
      if (!this.push(out)) inflater.pause();
    });
    inflater.on('error', (error: Error) => this.destroy(error));
  }

  private inflate(chunk: Buffer, callback: TransformCallback): void {
    const inflater = this.inflater;
    if (inflater === null) throw new Error('no member is being inflated');
    this.fed += chunk.length;
    inflater.write(chunk, (error) => {
      if (error) return; // its 'error' listener destroys this stream
      // The inflater counts the input it used: less than it was given means the deflate data ended in this chunk.
      const left = this.fed - inflater.bytesWritten;
      if (left === 0) {
        callback();
        return;
      }
      const rest = chunk.subarray(chunk.length - left);
      const next = (): void => {
        this.inflater = null;
        this.state = 'trailer';
        this.decodeChunk(rest, callback);
      };
      // Its last output counts toward the checksum, so the trailer is read once the inflater has ended.
      if (inflater.readableEnded) next();
      else inflater.once('end', next);
    });
  }
}
