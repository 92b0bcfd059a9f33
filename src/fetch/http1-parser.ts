/**
 * Reads one HTTP/1.1 response (RFC 9112) from the bytes of its connection as
 * they arrive: the status line and header fields, then the body as framed by
 * Content-Length, chunked coding or the end of the connection. Pure: bytes
 * in, events out. Body bytes are handed on as views of the caller's buffer,
 * never copied here; see request.ts for why byline reads responses itself.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { FetchFailure } from './failure.js';

/** node:http's default cap on a response head, kept so no feed reads differently for the switch. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** A chunk-size line longer than this is not a size (extensions included). */
const MAX_CHUNK_LINE = 1024;
/** 2^48 - 1: more hex digits than any body byline would accept. */
const MAX_CHUNK_DIGITS = 12;
const LF = 0x0a;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.(\d) +(\d{3})(?:[ \t](.*))?$/;
const CHUNK_SIZE = /^([0-9a-fA-F]+)[ \t]*(?:;.*)?$/;

/** What the head of a response says. */
export interface ResponseHead {
  status: number;
  /**
   * Names in lower case; a repeated field joined with ", " (Set-Cookie kept as
   * a list, single-valued fields such as Location as their first copy), as
   * node:http gives them.
   */
  headers: IncomingHttpHeaders;
  /** Whether the connection may carry another request once this response ends. */
  keepAlive: boolean;
  /** The server's `Keep-Alive: timeout=N`, in ms; null when it sent none. */
  keepAliveTimeoutMs: number | null;
}

/** Where the parser's findings go, synchronously, in order: head, body pieces, complete. */
export interface ResponseEvents {
  head(head: ResponseHead): void;
  /** A piece of the body: a view of the bytes given to `execute`, valid only during the call. */
  body(view: Buffer): void;
  complete(): void;
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

function protocolError(reason: string): FetchFailure {
  return new FetchFailure({ kind: 'protocol', reason });
}

/** A line quoted in an error: short, and printable. */
function quote(line: string): string {
  const shown = line.length > 40 ? `${line.slice(0, 40)}…` : line;
  return JSON.stringify(shown);
}

function tokensOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter((token) => token !== '');
}

/** One Content-Length, from however many fields and list members carried it; all must agree (RFC 9112 §6.3). */
function contentLengthOf(value: string | undefined): number | null {
  if (value === undefined) return null;
  const members = value.split(',').map((member) => member.trim());
  const first = members[0] ?? '';
  if (!/^\d{1,15}$/.test(first) || members.some((member) => member !== first)) {
    throw protocolError(`invalid Content-Length ${quote(value)}`);
  }
  return Number(first);
}

function keepAliveTimeoutOf(value: string | undefined): number | null {
  const match = value === undefined ? null : /(?:^|[,;\s])timeout\s*=\s*(\d+)/i.exec(value);
  return match ? Number(match[1]) * 1000 : null;
}

/**
 * Fields that hold one value, where a repeat is not a list: joined, two
 * Locations or Last-Modified dates would make one wrong value. The first copy
 * counts, as node:http keeps it (its list, less the request-only fields).
 */
const SINGLE_VALUED = new Set(['age', 'content-type', 'etag', 'expires', 'last-modified', 'location', 'retry-after', 'server']);

/** Adds one field to the node:http-shaped header object. */
function addField(headers: IncomingHttpHeaders, name: string, value: string): void {
  const previous = headers[name];
  if (name === 'set-cookie') {
    headers[name] = Array.isArray(previous) ? [...previous, value] : [value];
  } else if (previous === undefined) {
    headers[name] = value;
  } else if (!SINGLE_VALUED.has(name)) {
    // Content-Length too: contentLengthOf then sees every copy, and differing copies are an error, not a choice.
    headers[name] = `${String(previous)}, ${value}`;
  }
}

/** Feed it the connection's bytes with `execute`, and `end` when the connection ends. */
export class ResponseParser {
  private state: State = 'head';
  /** The line being read (status, field, chunk size or trailer), as Latin-1 like node:http reads heads. */
  private line = '';
  private lines: string[] = [];
  /** Bytes of the head, or of the trailer section, read so far. */
  private sectionBytes = 0;
  private seenBytes = false;
  private remaining = 0;
  /** Body bytes read, and the head's Content-Length: what a report of a body cut short says. */
  private bodyBytes = 0;
  private declaredLength: number | null = null;

  constructor(private readonly events: ResponseEvents) {}

  /** True once the response is complete. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** True while the body is read to the end of the connection: neither a Content-Length nor chunked coding frames it. */
  get untilClose(): boolean {
    return this.state === 'until-close';
  }

  /**
   * Reads `view`; returns how many of its bytes belong to this response (fewer
   * than its length only when bytes follow the response's end). Throws a
   * `protocol` FetchFailure for a malformed response.
   */
  execute(view: Buffer): number {
    let at = 0;
    if (view.length > 0) this.seenBytes = true;
    while (at < view.length && this.state !== 'done') {
      if (this.state === 'length' || this.state === 'chunk-data') {
        const take = Math.min(this.remaining, view.length - at);
        this.events.body(view.subarray(at, at + take));
        this.bodyBytes += take;
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          if (this.state === 'length') this.finish();
          else this.state = 'chunk-end';
        }
      } else if (this.state === 'until-close') {
        this.events.body(view.subarray(at));
        this.bodyBytes += view.length - at;
        at = view.length;
      } else {
        at = this.readLine(view, at);
      }
    }
    return at;
  }

  /**
   * The connection ended: completes a body read to the end of the connection,
   * throws if anything else was cut short. Before any byte it throws a
   * no_response failure: that is what tells a pooled connection the server
   * had closed (request.ts sends the request again) from a response cut short.
   */
  end(): void {
    if (this.state === 'done') return;
    if (this.state === 'until-close') {
      this.finish();
      return;
    }
    if (!this.seenBytes) throw new FetchFailure({ kind: 'no_response' });
    throw this.cutShort();
  }

  /** The failure of a response whose connection ended here, closed or (`cause`) with an error. */
  cutShort(cause?: Error): FetchFailure {
    const framings = { head: 'head', length: 'length', 'until-close': 'close', trailers: 'trailers' } as const;
    const framing = this.state in framings ? framings[this.state as keyof typeof framings] : 'chunked';
    return new FetchFailure(
      { kind: 'truncated', framing, received: this.bodyBytes, expected: framing === 'length' ? this.declaredLength : null },
      { cause },
    );
  }

  private readLine(view: Buffer, at: number): number {
    const newline = view.indexOf(LF, at);
    const stop = newline < 0 ? view.length : newline;
    this.line += view.toString('latin1', at, stop);
    const section = this.state === 'head' || this.state === 'trailers';
    this.sectionBytes += stop - at + (newline < 0 ? 0 : 1);
    if (section ? this.sectionBytes > MAX_HEAD_BYTES : this.line.length > MAX_CHUNK_LINE) {
      const what = this.state === 'head' ? 'response head' : this.state === 'trailers' ? 'trailer section' : 'chunk size line';
      throw protocolError(`${what} larger than ${section ? '16' : '1'} KiB`);
    }
    if (newline < 0) return view.length;
    const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    this.onLine(line);
    return newline + 1;
  }

  private onLine(line: string): void {
    switch (this.state) {
      case 'head':
        if (line !== '') this.lines.push(line);
        // Blank lines before a status line are tolerated (RFC 9112 §2.2).
        else if (this.lines.length > 0) this.onHead();
        return;
      case 'chunk-size': {
        const match = CHUNK_SIZE.exec(line);
        const digits = match?.[1] ?? '';
        if (!match || digits.length > MAX_CHUNK_DIGITS) throw protocolError(`malformed chunk size ${quote(line)}`);
        this.remaining = Number.parseInt(digits, 16);
        this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
        this.sectionBytes = 0;
        return;
      }
      case 'chunk-end':
        if (line !== '') throw protocolError('chunk longer than its size');
        this.state = 'chunk-size';
        return;
      case 'trailers':
        // Trailer fields are read past, not used.
        if (line === '') this.finish();
        return;
      default:
        throw new Error(`no line is read in state ${this.state}`);
    }
  }

  private onHead(): void {
    const [statusLine = '', ...fieldLines] = this.lines;
    this.lines = [];
    const status = STATUS_LINE.exec(statusLine);
    if (!status) throw protocolError(`malformed status line ${quote(statusLine)}`);
    const minor = Number(status[1]);
    const code = Number(status[2]);
    const headers: IncomingHttpHeaders = Object.create(null) as IncomingHttpHeaders;
    const fields: Array<[string, string]> = [];
    for (const line of fieldLines) {
      const last = fields[fields.length - 1];
      if (line.startsWith(' ') || line.startsWith('\t')) {
        // obs-fold: a user agent replaces it with a space (RFC 9112 §5.2).
        if (!last) throw protocolError(`malformed header line ${quote(line)}`);
        last[1] = `${last[1]} ${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (!TOKEN.test(name)) throw protocolError(`malformed header line ${quote(line)}`);
      fields.push([name.toLowerCase(), line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')]);
    }
    for (const [name, value] of fields) addField(headers, name, value);

    if (code >= 100 && code < 200) {
      if (code === 101) throw protocolError('unexpected 101 Switching Protocols');
      // An interim response (100 Continue, 103 Early Hints): the final one follows on the same connection.
      this.sectionBytes = 0;
      return;
    }
    const connection = tokensOf(headers.connection);
    let keepAlive = minor >= 1 ? !connection.includes('close') : connection.includes('keep-alive');
    const transferCodings = tokensOf(headers['transfer-encoding']);
    const length = contentLengthOf(headers['content-length']);
    if (code === 204 || code === 304) {
      this.state = 'done';
    } else if (transferCodings.length > 0) {
      if (transferCodings.slice(0, -1).includes('chunked')) {
        throw protocolError(`unsupported Transfer-Encoding ${quote(transferCodings.join(', '))}`);
      }
      // Both framings at once may be an attempt at response splitting: use Transfer-Encoding, then close.
      if (length !== null) keepAlive = false;
      // Codings that do not end in chunked (an old server's `identity`) leave the connection's end to frame the
      // body (RFC 9112 §6.3), as node:http read them; the fetcher decodes codings other than chunked.
      if (transferCodings[transferCodings.length - 1] === 'chunked') this.state = 'chunk-size';
      else {
        keepAlive = false;
        this.state = 'until-close';
      }
    } else if (length !== null) {
      this.remaining = length;
      this.declaredLength = length;
      this.state = length === 0 ? 'done' : 'length';
    } else {
      keepAlive = false;
      this.state = 'until-close';
    }
    const keepAliveHeader = headers['keep-alive'];
    this.events.head({
      status: code,
      headers,
      keepAlive,
      keepAliveTimeoutMs: keepAliveTimeoutOf(Array.isArray(keepAliveHeader) ? keepAliveHeader.join(',') : keepAliveHeader),
    });
    if (this.state === 'done') this.events.complete();
  }

  private finish(): void {
    this.state = 'done';
    this.events.complete();
  }
}
