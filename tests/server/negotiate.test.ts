/**
 * Negotiation on raw header strings, as the fast path uses it: the
 * remembered encoding choice agrees with the parsed one however often a
 * header is seen, and conditional requests compare validators the same way
 * for every form of If-None-Match and If-Modified-Since.
 */
import { describe, expect, it } from 'vitest';
import { chooseEncoding, encodingFor, isNotModified } from '../../src/server/negotiate.js';
import type { CachedBody } from '../../src/server/index.js';

const body = (): CachedBody => ({
  raw: Buffer.from('x'),
  gzip: Buffer.alloc(0),
  br: Buffer.alloc(0),
  hash: 'abc',
  etags: { identity: '"abc"', gzip: 'W/"abc-gzip"', br: 'W/"abc-br"' },
  lastModified: new Date('2026-11-26T10:00:00Z'),
});

describe('encodingFor', () => {
  it.each([undefined, '', 'gzip', 'gzip, deflate, br', 'br;q=0.5, gzip', 'br;q=0, gzip;q=0', '*', 'identity', 'GZIP', 'deflate'])(
    '%s chooses as chooseEncoding does, first and second time',
    (header) => {
      expect(encodingFor(header)).toBe(chooseEncoding(header));
      expect(encodingFor(header)).toBe(chooseEncoding(header));
    },
  );

  it('stays right past the number of headers it remembers', () => {
    const headers = Array.from({ length: 600 }, (_, i) => `gzip;q=0.${i % 9}, br;q=0.${(i + 4) % 9}, x-${i}`);
    for (const header of [...headers, ...headers]) expect(encodingFor(header), header).toBe(chooseEncoding(header));
  });
});

describe('isNotModified', () => {
  it.each([
    { inm: '"abc"', ims: undefined, expected: true },
    { inm: 'W/"abc"', ims: undefined, expected: true },
    { inm: '"x", "abc"', ims: undefined, expected: true },
    { inm: '*', ims: undefined, expected: true },
    { inm: '"abd"', ims: undefined, expected: false },
    { inm: '"ab"', ims: undefined, expected: false },
    // If-None-Match wins over a date that would match.
    { inm: '"x"', ims: 'Thu, 26 Nov 2026 10:00:00 GMT', expected: false },
    { inm: undefined, ims: 'Thu, 26 Nov 2026 10:00:00 GMT', expected: true },
    { inm: undefined, ims: 'Thu, 26 Nov 2026 09:59:59 GMT', expected: false },
    { inm: undefined, ims: 'not a date', expected: false },
    // The obsolete forms are HTTP-dates too (asctime is GMT although it does not say so); other date-like text is not.
    { inm: undefined, ims: 'Thursday, 26-Nov-26 10:00:00 GMT', expected: true },
    { inm: undefined, ims: 'Thu Nov 26 10:00:00 2026', expected: true },
    { inm: undefined, ims: '2099', expected: false },
    { inm: undefined, ims: '2099-01-01T00:00:00Z', expected: false },
    { inm: undefined, ims: undefined, expected: false },
  ])('If-None-Match $inm, If-Modified-Since $ims -> $expected', ({ inm, ims, expected }) => {
    expect(isNotModified(inm, ims, body(), 'identity')).toBe(expected);
  });

  it.each([
    { inm: 'W/"abc-gzip"', coding: 'gzip', expected: true },
    // The strong form a client kept from before the compressed forms' tags were weak.
    { inm: '"abc-gzip"', coding: 'gzip', expected: true },
    { inm: 'W/"abc-br"', coding: 'br', expected: true },
    { inm: 'W/"x", W/"abc-br"', coding: 'br', expected: true },
    { inm: '"abc", "abc-gzip"', coding: 'gzip', expected: true },
    { inm: '*', coding: 'br', expected: true },
    // A copy in another coding holds other bytes.
    { inm: '"abc"', coding: 'gzip', expected: false },
    { inm: '"abc-gzip"', coding: 'identity', expected: false },
    { inm: '"abc-gzip"', coding: 'br', expected: false },
  ] as const)('If-None-Match $inm for the $coding body -> $expected', ({ inm, coding, expected }) => {
    expect(isNotModified(inm, undefined, body(), coding)).toBe(expected);
  });

  it('answers a date alone only when it tells this body from the one before it', () => {
    const shared = { ...body(), sharesLastModified: true };
    expect(isNotModified(undefined, 'Thu, 26 Nov 2026 10:00:00 GMT', shared, 'identity')).toBe(false);
    expect(isNotModified(undefined, 'Fri, 27 Nov 2026 10:00:00 GMT', shared, 'identity')).toBe(false);
    expect(isNotModified('"abc"', 'Thu, 26 Nov 2026 10:00:00 GMT', shared, 'identity')).toBe(true);
  });
});
