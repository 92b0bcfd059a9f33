/**
 * Properties of the HTTP/1.1 response reader over generated responses: any
 * well-formed response, cut into any pieces, reads back as it was written;
 * and any bytes at all, broken responses included, end in a complete
 * response or a clear error, never in another exception, and never in more
 * body bytes than came in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FetchFailure } from '../../src/fetch/failure.js';
import { ResponseParser } from '../../src/fetch/http1-parser.js';

interface Outcome {
  statuses: number[];
  body: Buffer;
  complete: boolean;
  /** What ended the read when it did not complete: the error's kind. */
  error: 'protocol' | 'cut short' | 'no response' | null;
}

/** Reads `pieces` in turn, then the end of the connection. Unexpected exceptions propagate. */
function read(pieces: Buffer[]): Outcome {
  const outcome: Outcome = { statuses: [], body: Buffer.alloc(0), complete: false, error: null };
  const body: Buffer[] = [];
  const parser = new ResponseParser({
    head: (head) => outcome.statuses.push(head.status),
    body: (view) => {
      expect(outcome.complete).toBe(false);
      body.push(Buffer.from(view));
    },
    complete: () => {
      outcome.complete = true;
    },
  });
  try {
    for (const piece of pieces) {
      const used = parser.execute(piece);
      expect(used).toBeGreaterThanOrEqual(0);
      expect(used).toBeLessThanOrEqual(piece.length);
      if (parser.done) break;
    }
    parser.end();
  } catch (error) {
    if (error instanceof FetchFailure && error.detail.kind === 'protocol') outcome.error = 'protocol';
    else if (error instanceof FetchFailure && error.detail.kind === 'truncated') outcome.error = 'cut short';
    else if (error instanceof FetchFailure && error.detail.kind === 'no_response') outcome.error = 'no response';
    else throw error;
  }
  outcome.body = Buffer.concat(body);
  return outcome;
}

/** `bytes` cut at the given fractions of its length. */
function cut(bytes: Buffer, fractions: number[]): Buffer[] {
  const points = [...new Set(fractions.map((fraction) => Math.floor(fraction * bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(at, point));
    at = point;
  }
  return pieces;
}

const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/).filter((name) => !/^(content-length|transfer-encoding|connection)$/i.test(name));
const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

/** A well-formed response: its bytes, its status and its body. */
const response = fc
  .record({
    status: fc.constantFrom(200, 203, 206, 301, 404, 410, 429, 500, 503),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
    body: fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
    framing: fc.constantFrom('length', 'chunked', 'close'),
    chunkSizes: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
    interim: fc.boolean(),
  })
  .map(({ status, headers, body, framing, chunkSizes, interim }) => {
    const fields = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
    let framed: Buffer;
    let framingField = '';
    if (framing === 'length') {
      framingField = `Content-Length: ${body.length}\r\n`;
      framed = body;
    } else if (framing === 'chunked') {
      framingField = 'Transfer-Encoding: chunked\r\n';
      const parts: Buffer[] = [];
      for (let at = 0, index = 0; at < body.length; index++) {
        const size = Math.min(chunkSizes[index % chunkSizes.length]!, body.length - at);
        parts.push(Buffer.from(`${size.toString(16)}\r\n`), body.subarray(at, at + size), Buffer.from('\r\n'));
        at += size;
      }
      parts.push(Buffer.from('0\r\n\r\n'));
      framed = Buffer.concat(parts);
    } else {
      framed = body;
    }
    const head = `${interim ? 'HTTP/1.1 100 Continue\r\n\r\n' : ''}HTTP/1.1 ${status} Reason\r\n${fields}${framingField}\r\n`;
    return { bytes: Buffer.concat([Buffer.from(head, 'latin1'), framed]), status, body };
  });

describe('the response reader, over generated responses', () => {
  it('reads any well-formed response back as written, however it is cut', () => {
    fc.assert(
      fc.property(response, fractions, ({ bytes, status, body }, at) => {
        const outcome = read(cut(bytes, at));
        expect(outcome.error).toBeNull();
        expect(outcome.statuses).toEqual([status]);
        expect(outcome.complete).toBe(true);
        expect(outcome.body.equals(body)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('ends any bytes, broken responses too, in a complete response or a clear error', () => {
    const damaged = fc
      .tuple(
        response,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'insert', 'delete')), {
          minLength: 1,
          maxLength: 6,
        }),
      )
      .map(([{ bytes }, edits]) => {
        const edited = [...bytes];
        for (const [where, value, edit] of edits) {
          const at = Math.floor(where * edited.length);
          if (edit === 'flip') edited[at] = value;
          else if (edit === 'insert') edited.splice(at, 0, value);
          else edited.splice(at, 1);
        }
        return Buffer.from(edited);
      });
    const anything = fc.oneof(damaged, fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)));
    fc.assert(
      fc.property(anything, fractions, (bytes, at) => {
        const outcome = read(cut(bytes, at));
        expect(outcome.complete || outcome.error !== null).toBe(true);
        expect(outcome.body.length).toBeLessThanOrEqual(bytes.length);
        expect(outcome.statuses.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1500 },
    );
  });
});
